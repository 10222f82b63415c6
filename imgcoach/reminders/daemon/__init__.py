"""The reminder daemon: APScheduler as a rebuildable timer over the database outbox (no UI imports)."""

"""Storage: engine set-up, table models, migrations. The only place that knows it is SQLite."""

"""The coach: readiness checks, outreach pipeline, rotation log and application materials.

Everything in this package is pure (plain dataclasses in, plain values out, ``today`` injected) so the
CLI, the TUI and the services share one set of rules and the tests need no database.
"""

"""Reminder e-mail: templates, message building and transports (no database, no UI)."""

"""Use cases: one function per user action, one transaction each, derived rows kept in step."""

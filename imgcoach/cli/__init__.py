"""The `imgcoach` command: thin, script-friendly faces over the services."""

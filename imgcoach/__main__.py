"""`python -m imgcoach` is the `imgcoach` command."""

from imgcoach.cli.main import main

main()

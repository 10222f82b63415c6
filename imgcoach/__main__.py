"""`python -m imgcoach` is the `imgcoach` command."""

from imgcoach.cli import main

main()

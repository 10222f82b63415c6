"""The command-line face. ``main`` is the `imgcoach` entry point.

`imgcoach --version` is answered here, before click is imported: click alone costs more than the
interpreter's own start-up, and the version needs none of it (issue 17: --version within 2x
`python -c pass`). Everything else goes to imgcoach.cli.main, which imports click and only the
command that runs. tests/test_cli_startup.py checks the output is exactly click's.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from imgcoach import __version__

        sys.stdout.write(f"imgcoach, version {__version__}\n")
        return
    from imgcoach.cli.main import main as run

    run(argv)

"""The command-line face. ``main`` is the `imgcoach` entry point.

`imgcoach --version` and `imgcoach --help` are answered here, before click is imported: click alone costs
more than the interpreter's own start-up, and neither needs it (issue 17: within 2x `python -c pass`; the
help text is click's own, kept in top_help.txt, see imgcoach.cli.top_help). The list commands that
imgcoach.cli.quick can answer without click, SQLAlchemy or SQLModel are answered next (within 5x; it
declines anything it is not sure of). Everything else goes to imgcoach.cli.main, which imports click and
only the command that runs. tests/test_cli_startup.py checks both outputs are exactly click's;
tests/test_cli_quickread.py checks the quick answers are byte for byte the full path's.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from imgcoach import __version__

        sys.stdout.write(f"imgcoach, version {__version__}\n")
        return
    if args in (["--help"], ["-h"]) and _wide_terminal():
        from imgcoach.cli.top_help import HELP_FILE

        try:
            text = HELP_FILE.read_text(encoding="utf-8")
        except OSError:  # a broken install: click renders it below
            text = ""
        if text:
            sys.stdout.write(text)
            return
    from imgcoach.core.collector import collector_paused

    # The cyclic collector paused while a quick read imports and works its answer out (core.collector): what it
    # piles up (modules, the kept program table, the ranking) lives until the process ends, and the collector's
    # passes over it were about 5 % of the first `shortlist` after a write (issue 17). The full path, if it comes
    # to that, runs with it as it was.
    with collector_paused():
        from imgcoach.cli.quick import answer

        answered = answer(args)  # a read command answered without click or SQLAlchemy (issue 17: within 5x)
    if answered:
        if argv is None:  # the `imgcoach` process itself, not a caller in its own process
            _exit_without_teardown()
        return
    from imgcoach.cli.main import main as run

    run(argv)


def _exit_without_teardown() -> None:
    """End the process once a quick read has printed its answer, without the interpreter's teardown: freeing every
    module and object one by one was about 8 ms, 6 % of the first `shortlist` after a write (issue 17), for memory
    the system takes back at once. Only when nothing is left for teardown to do: the answer flushed, its
    connections closed (each quick read closes its own), no exit handler registered and no other thread running;
    otherwise the process ends as usual."""
    import atexit
    import os

    threading = sys.modules.get("threading")
    if atexit._ncallbacks() or (threading is not None and threading.active_count() > 1):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: the usual ending says so
        return
    os._exit(0)


def _wide_terminal() -> bool:
    """At least 80 columns (or not a terminal, which click also treats as 80): click's help no longer wraps
    differently from there on."""
    import shutil

    from imgcoach.cli.top_help import WIDTH

    return shutil.get_terminal_size().columns >= WIDTH

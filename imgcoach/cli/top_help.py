"""`imgcoach --help` without importing click: the top-level help, rendered once by click and kept in a file.

Why: importing click costs more than the interpreter's own start-up, and `--help` is what a new user runs
first (issue 17: within 2x `python -c pass`). The file holds exactly what click prints on a terminal at
least 80 columns wide (click wraps help at 78 there, whatever the width beyond); narrower terminals take
click's own path. tests/test_cli_startup.py fails when the file and click disagree; regenerate it with
`python -m imgcoach.cli.top_help`.
"""

from __future__ import annotations

from pathlib import Path

HELP_FILE = Path(__file__).with_name("top_help.txt")
WIDTH = 80  # click's default max_width: from here on its help text no longer depends on the terminal


def render() -> str:
    """The top-level help exactly as click prints it on a terminal of WIDTH columns or more."""
    import click

    from imgcoach.cli.main import cli

    # click wraps at min(columns, 80) - 2 when it measures the terminal itself, at exactly terminal_width here
    ctx = click.Context(cli, info_name="imgcoach", terminal_width=WIDTH - 2, **cli.context_settings)
    return ctx.get_help() + "\n"


if __name__ == "__main__":
    HELP_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {HELP_FILE}")

"""Text whose wrapped lines keep their indent: the Help's two-column approach (a Rich grid) for any text.

A long line in a dialog or pane wrapped back to column 0, under the labels ("  • title" then a wrapped
"summary" at the edge), so what belonged to what was lost. Each line becomes a grid row: its lead (the
indent, or the first `hang` characters, e.g. "25 Nov ") in a column of its own, the rest wrapping beside it.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

BULLETS = ("• ", "- ", "! ")


class Indented:
    """The rows of keep_indent; str() is the plain text (a widget's `content` read back, as for a Text)."""

    def __init__(self, group: Group, plain: str) -> None:
        self.group = group
        self.plain = plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.group

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.group)

    def __str__(self) -> str:
        return self.plain


def keep_indent(text: Text | str, hang: int = 0) -> Indented:
    """`text` line by line; a line's continuation starts under its text, `hang` columns in at least."""
    source = Text(text) if isinstance(text, str) else text
    parts: list[Text | Table] = []
    lines = list(source.split("\n", allow_blank=True))
    if len(lines) > 1 and not lines[-1].plain:
        lines = lines[:-1]  # the text's last newline ends its last line; it adds no blank one
    for line in lines:
        plain = line.plain
        lead = max(len(plain) - len(plain.lstrip(" ")), min(hang, len(plain)))
        if plain[lead:].startswith(BULLETS):
            lead += 2  # "  • title": the title's words continue under the title, not under the bullet
        if lead == 0 or lead == len(plain):
            parts.append(line)
            continue
        grid = Table.grid(pad_edge=False)
        grid.add_column(width=lead, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(line[:lead], line[lead:])
        parts.append(grid)
    return Indented(Group(*parts), source.plain)

"""The one-line navigation bar: every registered screen with its key, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from imgcoach.tui.registry import SCREENS


class NavBar(Widget):
    """Fits any number of registry entries: full titles, then short ones, then keys alone."""

    DEFAULT_CSS = "NavBar { height: 1; }"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        width = self.size.width or 80
        for limit in (None, 6, 4, 0):
            text = self._text(limit)
            if text.cell_len <= width:
                return text
        return text

    def _text(self, limit: int | None) -> Text:
        text = Text()
        text.append(" imgcoach ", style="bold reverse")
        for item in SCREENS:
            title = item.title if limit is None else item.title[:limit]
            style = "bold reverse" if item.key == self.current else ""
            text.append(" ")
            text.append(item.binding, style="bold underline" if item.key != self.current else style)
            if title:
                text.append(f" {title}", style=style)
        return text

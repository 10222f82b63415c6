"""The navigation bar: every registered screen with its key, the current one highlighted.

One row when every title fits; otherwise two rows of whole titles (at 80 columns "t Timeline r Rotations …"
rather than "Rota Stud Lett"), and keys alone only when even two rows are too narrow.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from imgcoach.tui.registry import SCREENS, ScreenEntry


class NavBar(Widget):
    """Fits any number of registry entries: one row, two rows of full titles, then keys alone."""

    DEFAULT_CSS = "NavBar { height: auto; }"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._lines(width or 80))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.size.width or 80))

    def _lines(self, width: int) -> list[Text]:
        one = self._text(SCREENS, brand=True)
        if one.cell_len <= width:
            return [one]
        half = (len(SCREENS) + 1) // 2
        two = [self._text(SCREENS[:half], brand=True), self._text(SCREENS[half:], brand=False)]
        if max(line.cell_len for line in two) <= width:
            return two
        return [self._text(SCREENS, brand=True, titles=False)]

    def _text(self, items: list[ScreenEntry], *, brand: bool, titles: bool = True) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" imgcoach " if brand else " " * len(" imgcoach "), style="bold reverse" if brand else "")
        for item in items:
            current = item.key == self.current
            style = "bold reverse" if current else ""
            text.append(" ")
            text.append(item.binding, style=style if current else "bold underline")
            if titles or current:
                text.append(f" {item.title}", style=style)
        return text

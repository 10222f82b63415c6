"""A one-line choice field: ←/→ or space cycle the options. Far lighter than Select (no overlay),
so a form with several choices opens in a few milliseconds."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceField(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceField { height: 1; padding: 0 1; background: $boost; }
    ChoiceField:focus { background: $accent 30%; text-style: bold; }
    """
    BINDINGS = [
        Binding("right,space", "step(1)", "Next choice", show=False),
        Binding("left", "step(-1)", "Previous choice", show=False),
    ]
    index: reactive[int] = reactive(0)

    def __init__(self, options: tuple[tuple[str, Any], ...], value: Any = None, *, blank: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.options = ((("—", None),) if blank else ()) + tuple(options)
        values = [v for _, v in self.options]
        self.set_reactive(ChoiceField.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> Any:
        return self.options[self.index][1] if self.options else None

    @value.setter
    def value(self, new: Any) -> None:
        values = [v for _, v in self.options]
        if new in values:
            self.index = values.index(new)

    def action_step(self, step: int) -> None:
        if self.options:
            self.index = (self.index + step) % len(self.options)

    def render(self) -> Text:
        label = Text(self.options[self.index][0] if self.options else "")
        # Cut with "…" before the closing ▶: a rotation's name ran past the field at 80 columns, losing its dates
        # and the ▶ with no sign of the cut.
        room = self.content_size.width - 4
        if room > 0 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return Text.assemble(("◀ ", "dim"), label, (" ▶", "dim"))

"""A detail pane a keyboard user can read to the end.

The Shortlist's explanation was a plain text area that scrolled by mouse only: at 80x24 the lower part of a
program's explanation (its requirements, what is assumed) could not be reached from the keyboard. This pane
takes the focus on Tab, shows it (its top border turns heavy in the accent colour), and scrolls with the keys
the footer and the help name.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

SCROLL = Binding.Group("Scroll")


class DetailPane(VerticalScroll):
    """A focusable scrolling pane with its keys in the footer (↑↓ Scroll) and the help."""

    DEFAULT_CSS = """
    DetailPane {
        border-top: solid $primary;
        border-title-color: $text-muted;
        border-title-align: right;
    }
    DetailPane:focus {
        border-top: heavy $accent;
        border-title-color: $accent;
        background-tint: $foreground 4%;
    }
    """

    # Textual's own scroll bindings, said in the footer and the help (the help lists this class's bindings).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", key_display="↑", group=SCROLL, id="detail-scroll-up"),
        Binding("down", "scroll_down", "Scroll down", key_display="↓", group=SCROLL, id="detail-scroll-down"),
        Binding("pageup", "page_up", "Page up", key_display="PgUp", show=False, id="detail-page-up"),
        Binding("pagedown", "page_down", "Page down", key_display="PgDn", show=False, id="detail-page-down"),
        Binding("home", "scroll_home", "To the top", key_display="Home", show=False, id="detail-top"),
        Binding("end", "scroll_end", "To the end", key_display="End", show=False, id="detail-end"),
    ]

    def on_mount(self) -> None:
        self._titled(self.has_focus)

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._titled(has_focus)

    def _titled(self, focused: bool) -> None:
        """How the pane is reached, on its border: Tab from the list; shift+Tab back to it."""
        self.border_title = "shift+tab: back to the list" if focused else "tab: scroll the details"

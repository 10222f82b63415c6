"""A detail pane a keyboard user can read to the end.

The Shortlist's explanation was a plain text area that scrolled by mouse only: at 80x24 the lower part of a
program's explanation (its requirements, what is assumed) could not be reached from the keyboard. This pane
takes the focus on Tab, shows it (its top border turns heavy in the accent colour), and scrolls with the keys
the footer and the help name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget

from imgcoach.tui.widgets.paint import after_painted

if TYPE_CHECKING:
    from rich.text import Text
    from textual.widgets import Static

SCROLL = Binding.Group("Scroll")
SCROLLING = frozenset({"scroll_up", "scroll_down", "page_up", "page_down", "scroll_home", "scroll_end"})


class DetailPane(VerticalScroll, inherit_bindings=False):  # only the keys below (a class keyword: an attribute is ignored)
    """A focusable scrolling pane with its keys in the footer (↑↓ Scroll) and the help.

    Its text wraps, so it has nothing to scroll sideways: it binds no ← → (nor ctrl+PgUp/PgDn), and the
    screen's ← → (the Letters board's columns) are the screen's whatever Textual does with a sideways
    scroll that cannot move. ``back`` and ``titles`` let a screen say where shift+Tab returns to (the Letters
    board: the column the card is in, not the one before in the Tab order).
    """

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
        Binding("shift+tab", "back", "Back out of the pane", show=False, id="detail-back"),
    ]

    def __init__(self, *children: Widget, id: str | None = None,
                 titles: tuple[str, str] = ("tab: scroll the details", "shift+tab: back to the list"),
                 back: Callable[[], Widget | None] | None = None) -> None:
        super().__init__(*children, id=id)
        self.titles = titles  # (unfocused, focused): how the pane is reached, and how to leave it
        self.back = back
        self._scrolls = False  # whether its text runs past its height: the scroll keys are offered only then

    def on_mount(self) -> None:
        self._titled(self.has_focus)

    # A text `show_first_lines` gave its first lines, whose whole comes after the paint: (the Static, the whole text).
    _text_to_come: tuple[Static, Text] | None = None

    def show_first_lines(self, static: Static, text: Text) -> None:
        """`static.update(text)`, except on the screen being shown with a text of more lines than two heights of the
        terminal: those first lines now (a first frame and a PageDown from the top show no further), the whole text
        once the next frame is painted. Readiness gave its first check's 203 lines of evidence on the 5-year plan
        (417 rows wrapped at 80 columns) to a pane showing 8 of them, and that frame wrapped and laid out them all,
        two or three times (issue 15). A key or the wheel that scrolls down adds the rest first; until it is there,
        the pane's border does not count the lines below (it would count those of the first lines only)."""
        self._text_to_come = None
        cut = _end_of_line(text.plain, 2 * max(self.app.size.height, 1))
        if cut is None or not (self.is_attached and self.screen.is_current):
            static.update(text)
            return
        static.update(text[:cut])
        rest = self._text_to_come = (static, text)
        self._titled(self.has_focus)
        after_painted(self, self._show_rest, rest)

    def _show_rest(self, rest: tuple[Static, Text]) -> None:
        if rest is self._text_to_come:  # else shown meanwhile (a key), or another text given since
            self.show_whole_text()

    def show_whole_text(self) -> None:
        """The whole text `show_first_lines` gave its first lines of, now."""
        rest, self._text_to_come = self._text_to_come, None
        if rest is not None:
            static, text = rest
            if static.is_attached:
                static.update(text)
            self._titled(self.has_focus)

    def action_scroll_down(self) -> None:
        self.show_whole_text()
        super().action_scroll_down()

    def action_page_down(self) -> None:
        self.show_whole_text()
        super().action_page_down()

    def action_scroll_end(self) -> None:
        self.show_whole_text()  # Textual's scroll to the end waits for the next refresh: the whole text laid out
        super().action_scroll_end()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.show_whole_text()
        super()._on_mouse_scroll_down(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The Profile's pane, focused as the screen opens, said "↑ ↓ Scroll" in the footer where its text fits
        and the keys moved nothing: they are offered while there is something to scroll."""
        if action in SCROLLING:
            return self._scrolls
        return super().check_action(action, parameters)

    def watch_virtual_size(self) -> None:
        """The text grew or shrank (a longer profile, another program's explanation)."""
        self._offer_scrolling()

    def on_resize(self, event: events.Resize) -> None:
        """The pane grew or shrank with the window."""
        self._offer_scrolling()

    def _offer_scrolling(self) -> None:
        scrolls = self.max_scroll_y > 0
        if scrolls != self._scrolls:
            self._scrolls = scrolls
            self.refresh_bindings()
        # One row high (the Shortlist's fees at 80x24), a scrollbar is all thumb and says nothing of what is
        # hidden: the border's count says it, and the row keeps the scrollbar's width for text.
        self.styles.scrollbar_size_vertical = 0 if self.scrollable_content_region.height <= 1 else 2
        self._titled(self.has_focus)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._titled(self.has_focus)

    def hidden_below(self) -> int:
        """Lines of its text below what the pane shows."""
        return max(0, round(self.max_scroll_y - self.scroll_y))

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._titled(has_focus)

    def offer(self, readable: bool) -> None:
        """A pane with nothing to read (the Import screen's notes of a clean file) is no stop on Tab and its
        border says no "tab: scroll" of nothing."""
        self.can_focus = readable
        self._titled(self.has_focus)

    def _titled(self, focused: bool) -> None:
        """How the pane is reached, on its border: Tab from the list; shift+Tab back to it; and how many lines are
        below what it shows, which a scrollbar says only when the pane has the rows to draw one."""
        if not self.can_focus:
            self.border_title = None
            return
        below = 0 if self._text_to_come is not None else self.hidden_below()
        more = f" · {below} more line{'s' if below != 1 else ''}" if below else ""
        self.border_title = (self.titles[1] if focused else self.titles[0]) + more

    def action_back(self) -> None:
        """shift+Tab: to the widget the screen names (the card's column), else the one before in the Tab order."""
        target = self.back() if self.back is not None else None
        if target is not None:
            target.focus()
        else:
            self.screen.focus_previous()


def _end_of_line(text: str, lines: int) -> int | None:
    """Where `text`'s first `lines` lines end (the offset of the newline after them); None if it has no more lines."""
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            return None
    return end

"""The footer, whose last key is never cut: keys that are also in the help and the palette give way first.

Textual's footer is one row that scrolls sideways when its keys are wider than the window, so at 80
columns the last key read "? H". Here, when the row is too narrow, the palette key first drops its word
("^p palette" becomes "^p"), then the keys named in GIVES_WAY (in that order: search, quit, the Letters
board's e-mail) are hidden until the rest fits; on a wider window they come back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

if TYPE_CHECKING:
    from textual.screen import Screen


class PlannerFooter(Footer):
    # Actions whose key is hidden, in this order, when room is short. Then ctrl+q (q quits as well, and the help
    # says both), then the Letters board's v (its e-mail is the pane beside it): with the letter's pane focused
    # (its scroll keys) and a move to undo, the row ran past 80 columns, cut to "? H" with "^z Undo" unseen.
    GIVES_WAY: ClassVar[tuple[str, ...]] = ("search", "quit", "view")
    _recompose_queued = False
    _composed_for: tuple[Any, ...] | None = None  # the keys the last compose showed (_keys_now)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual's footer recomposes (every key widget removed and mounted again) once per bindings change,
        and a screen's first visit changes them a dozen times in one frame (focus, rows highlighted, each
        table's bindings): one recompose after the frame reads them as they are then, so it shows the same."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_queued:
            self._recompose_queued = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_queued = False  # a change from here on queues another
        if self._composed_for is not None and self._composed_for == self._keys_now():
            return  # the same keys as shown (a return to the screen, focus back where it was): nothing to redo
        if self._composed_for and await self._update_in_place():
            return
        await self.recompose()

    async def _update_in_place(self) -> bool:
        """The keys as a recompose would show them, by adding the keys (or key groups) that came, removing those that
        went and dimming or undimming the others, when that is all that changed (no key changed in place): False, with
        nothing done, otherwise. A table screen's first visit recomposed its footer (every key widget removed, mounted
        and styled again) once its rows came, for "⏎ Details" alone, offered from then on (issue 15); the Profile's,
        each time its pane's "↑ ↓ Scroll" group came or went with the text fitting the pane or not."""
        from difflib import SequenceMatcher

        from textual._context import active_message_pump
        from textual.compose import compose

        shown = list(self.children)
        # What a recompose would mount, not mounted; composed as this footer (its keys bind its `compact`), as a
        # recompose runs compose in the footer's own context.
        token = active_message_pump.set(self)
        try:
            wanted = compose(self)
        finally:
            active_message_pump.reset(token)
        if not all(isinstance(part, FooterKey | KeyGroup | FooterLabel) for part in [*shown, *wanted]):
            return False
        steps = SequenceMatcher(None, [_part_identity(part) for part in shown],
                                [_part_identity(part) for part in wanted], autojunk=False).get_opcodes()
        if any(step == "replace" for step, *_ in steps):
            return False
        for step, old_from, old_to, new_from, new_to in steps:
            if step == "equal":
                for part, new in zip(shown[old_from:old_to], wanted[new_from:new_to], strict=True):
                    for key, new_key in zip(_keys_in(part), _keys_in(new), strict=True):
                        if key._disabled != new_key._disabled:
                            key._disabled = new_key._disabled
                            key.set_class(new_key._disabled, "-disabled")
            elif step == "delete":
                await self.remove_children(shown[old_from:old_to])
            else:  # insert, before the part that follows (none: at the end); a group mounts the keys composed in it
                before = shown[old_from] if old_from < len(shown) else None
                await self.mount_all(wanted[new_from:new_to], before=before)
        self.fit()
        return True

    async def recompose(self) -> None:
        await super().recompose()  # the screen's keys changed (focus moved, a screen opened)
        self.fit()

    def compose(self) -> ComposeResult:
        # The keys as this compose reads them. Read after the recompose's awaits instead, a change made meanwhile
        # (the Profile pane's scroll keys withdrawn once its text was laid out) counted as shown: the footer kept
        # "↑ ↓ Scroll" and the next check found nothing to redo.
        self._composed_for = self._keys_now()
        yield from super().compose()

    def _keys_now(self) -> tuple[Any, ...] | None:
        """Everything Textual's Footer.compose reads from the screen's active bindings, in its order. Each return
        to a screen recomposed its footer (every key widget removed, mounted and drawn again: a quarter of a
        return's frame on the large plan) though the keys were those it showed."""
        if not self._bindings_ready or not self.is_attached:
            return None
        app = self.app
        # Every active binding, shown or not (the palette's key is looked up among the hidden ones): a change in
        # any of them recomposes, as before.
        return tuple((key, binding.key, app.get_key_display(binding), binding.description, binding.action,
                      binding.show, binding.group, enabled, tooltip)
                     for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items())

    def on_resize(self) -> None:
        self.fit()

    def _width(self, widget: Widget) -> int:
        """The cells the widget takes in the row, its margins included."""
        container = Size(max(self.size.width, 1), 1)
        return widget.get_content_width(container, container) + widget.styles.gutter.width + widget.styles.margin.width

    def row_width(self, widgets: list[Widget]) -> int:
        """The cells the keys left of the palette take: the last key's right margin may touch the palette."""
        if not widgets:
            return 0
        return sum(self._width(w) for w in widgets) - widgets[-1].styles.margin.right

    def fit(self) -> None:
        if not self.size.width:
            return
        palette = [w for w in self.children if w.has_class("-command-palette") and isinstance(w, FooterKey)]
        row = [w for w in self.children if not w.has_class("-command-palette")]
        giving = [key for action in self.GIVES_WAY for key in row
                  if isinstance(key, FooterKey) and key.action == action]
        shown = list(row)
        for key in giving:
            key.display = True
        for key in palette:  # its word back (a wider window, keys gone)
            self._palette_word(key, short=False)
        if self.row_width(shown) > self._room(palette):
            for key in palette:  # "^p palette" becomes "^p" before any key gives way: the palette lists them all
                self._palette_word(key, short=True)
        room = self._room(palette)
        for key in giving:
            if self.row_width(shown) <= room:
                break
            key.display = False
            shown.remove(key)

    def _room(self, palette: list[FooterKey]) -> int:
        return self.size.width - sum(self._width(w) for w in palette)

    @staticmethod
    def _palette_word(key: FooterKey, *, short: bool) -> None:
        word = key.__dict__.setdefault("_planner_word", key.description)
        wanted = "" if short else word
        if key.description != wanted:
            key.description = wanted
            key.refresh(layout=True)


def _keys_in(part: Widget) -> list[FooterKey]:
    """The keys a footer part draws: a key itself, a key group's keys (composed and not mounted: those it will mount),
    a group's word none."""
    if isinstance(part, FooterKey):
        return [part]
    if isinstance(part, KeyGroup):
        keys = part.children if part.is_attached else part._pending_children
        return [key for key in keys if isinstance(key, FooterKey)]
    return []


def _part_identity(part: Widget) -> tuple[Any, ...]:
    """What a footer part (a key, a key group, a group's word) shows and does, but whether its keys are dimmed."""
    if isinstance(part, FooterLabel):
        return ("label", str(part.content))
    if isinstance(part, KeyGroup):
        return ("group", part.has_class("-compact"), *(_identity(key) for key in _keys_in(part)))
    return ("key", *_identity(part)) if isinstance(part, FooterKey) else ("other", id(part))


def _identity(key: FooterKey) -> tuple[Any, ...]:
    """What a footer key shows and does, but whether it is dimmed (disabled): its word as composed (`fit` shortens the
    palette's), its key, its action, its tooltip and its place (grouped, the palette)."""
    return (key.key, key.key_display, key.__dict__.get("_planner_word", key.description), key.action,
            str(key.tooltip or ""), key.has_class("-grouped"), key.has_class("-command-palette"))

"""Letters: a board of requests by status, the drafted request e-mail and the packet checklist.

Moving a card goes through the people service, which re-derives the rotation's reminders
(once a letter is requested, the "time to ask" reminders stop).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich._wrap import divide_line  # Rich's own line breaker: a card's height is the rows Rich draws
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.styles import RulesMap
from textual.visual import RichVisual, Visual
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from imgcoach.core.ids import saved_id
from imgcoach.core.vocab.letters import ask_window_chunks, ask_window_words, letter_asked
from imgcoach.core.words import counted
from imgcoach.plan import LETTER_STATUSES
from imgcoach.tui import dates, render
from imgcoach.tui.screens.base import PlannerScreen
from imgcoach.tui.widgets.detail_pane import DetailPane
from imgcoach.tui.widgets.dialogs import DetailsScreen
from imgcoach.tui.widgets.paint import after_painted

if TYPE_CHECKING:
    from imgcoach.core.context import Context
    from imgcoach.plan import LetterCard
    from imgcoach.tui.wrap import Indented


def _short_range(opens: date, closes: date) -> list[str]:
    """A window on a card: "11 Feb –", "25 Feb 2027", each a chunk render.pack keeps whole."""
    start, end = dates.range_ends(opens, closes)
    return [f"{start}{dates.RANGE_DASH.rstrip()}", end]


class CardText:
    """A card laid out for the width its column gives it: the ask window and the due day are packed
    from whole dates, so a narrow column (15 cells at 80 columns) shows "ask 23 Nov –" over
    "01 Dec 2026" where a word wrap would cut "2026" off or hide it under the next card; the due day
    stays on one line ("by 25 Dec 2026" where "due 25 Dec 2026" is a cell too wide)."""

    def __init__(self, card: LetterCard, column: Widget) -> None:
        self.card = card
        self.column = column  # the list that shows it: its Visual renders through it

    def lines(self, width: int) -> list[tuple[str, str]]:
        """The card's lines (each with its style) before Rich wraps the longer ones to `width`."""
        card = self.card
        lines = [(render.clip(card.writer.name, 40), "bold")]
        if card.rotation is not None:
            lines.append((card.rotation.specialty, "dim"))
        if card.window and not letter_asked(card.letter.status):
            opens, last = card.window
            if card.last_call_passed:  # not "ask" in days long gone
                chunks = ["last", "call", "was", dates.day(last)]
            else:  # the one rule's words (one day: "ask on"), a longer window as the card's short range
                chunks = ask_window_chunks(opens, last, dates.day, _short_range)
            lines.extend((line, "") for line in render.pack(chunks, width))
        if card.letter.due_on:
            due = dates.day(card.letter.due_on)
            # One line: at 80 columns a column has 14 cells, one short of "due 25 Dec 2026"; "by" fits.
            word = "due" if len(due) + 4 <= width or len(due) + 3 > width else "by"
            lines.extend((line, "") for line in render.pack([word, due], width))
        return lines

    def text(self, width: int) -> Text:
        (name, bold), *rest = self.lines(width)
        text = Text(name, style=bold)  # the whole card's base style: every line is drawn on it
        for line, style in rest:
            text.append(f"\n{line}", style=style)
        return text

    def height(self, width: int) -> int:
        """The rows `text(width)` takes once Rich wraps it, counted with Rich's own line breaker on the plain
        lines: the list measures every card's height when it is filled, and Rich rendering each of a board's
        200 cards only to count its rows was half the Letters screen's first visit (issue 17)."""
        return sum(len(divide_line(line, width, fold=True)) + 1 for line, _ in self.lines(width))

    def visualize(self) -> Visual:
        """Textual's Visual protocol: drawn as the Rich renderable it is, measured by `height`."""
        return CardVisual(self.column, self)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text(options.max_width))


class CardVisual(RichVisual):
    """A card in its column's list: rendered as before (RichVisual), its height counted without a render."""

    def __init__(self, widget: Widget, card: CardText) -> None:
        super().__init__(widget, card)
        self.card = card

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.card.height(width)


class BoardColumn(OptionList):
    """A status column of the board. On the screen being shown, only the cards its next frame can show are made before
    that frame; the rest follow once it is painted. The board made all of the 5-year plan's 200 cards (options, texts,
    heights) before a first frame showing three or four a column at 80x24 (issue 15). A key that needs every card
    (down past the last one made, or up from the first, which wrap round; End; PageDown; the wheel) adds the rest
    first; so does a screen built ahead (no one waits for its paint)."""

    # Enter was OptionList's own, unsaid in the footer, and the screen did nothing with the card it chose.
    BINDINGS = [Binding("enter", "select", "Details", key_display="⏎", id="letter-details")]
    _cards_to_come: list[LetterCard] | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select":  # an empty column has no card to open
            return self.option_count > 0
        return super().check_action(action, parameters)

    def fill(self, cards: list[LetterCard], *, all_now: bool = False) -> None:
        """The column's cards, in order, in place of those it had."""
        had_cards = self.option_count > 0
        self.clear_options()
        self._cards_to_come = None
        texts = [CardText(card, self) for card in cards[:len(cards) if all_now else self._cards_in_view(cards)]]
        self.add_options([Option(text, id=str(text.card.letter.id)) for text in texts])
        if len(texts) < len(cards):
            rest = self._cards_to_come = cards[len(texts):]
            after_painted(self, self._add_rest, rest)
        if had_cards != bool(cards):
            self.refresh_bindings()  # "⏎ Details" offered, or taken away

    @property
    def cards_to_come(self) -> int:
        """Cards of this column not made yet (they come after the paint)."""
        return len(self._cards_to_come or ())

    def _cards_in_view(self, cards: list[LetterCard]) -> int:
        """How many of `cards`, from the top, fill two heights of the column (a PageDown from the top stays among them):
        all of them while the column has no size yet, or when it is not on the screen shown."""
        region = self.scrollable_content_region
        if region.width <= 0 or region.height <= 0 or not (self.is_attached and self.screen.is_current):
            return len(cards)
        width = region.width - self._get_left_gutter_width() \
            - self.get_component_styles("option-list--option").padding.width
        lines = 0
        for n, card in enumerate(cards):
            if lines >= 2 * region.height:
                return n
            lines += CardText(card, self).height(width)
        return len(cards)

    def add_cards_to_come(self) -> None:
        """Every card `fill` left for after the paint, now."""
        rest, self._cards_to_come = self._cards_to_come, None
        if rest:
            self.add_options([Option(CardText(card, self), id=str(card.letter.id)) for card in rest])

    def _add_rest(self, rest: list[LetterCard]) -> None:
        if rest is self._cards_to_come:  # else added meanwhile (a key), or replaced by a reload
            self.add_cards_to_come()

    def action_cursor_down(self) -> None:
        self.add_cards_to_come()  # from the last card made it wrapped round to the first
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self.add_cards_to_come()  # from the first card it wraps round to the last of all
        super().action_cursor_up()

    def action_last(self) -> None:
        self.add_cards_to_come()
        super().action_last()

    def action_page_down(self) -> None:
        self.add_cards_to_come()
        super().action_page_down()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.add_cards_to_come()
        super()._on_mouse_scroll_down(event)


class LetterDetailsScreen(DetailsScreen):
    """Enter on a card: the letter's details, with the board's keys for it."""

    BINDINGS = [
        Binding("shift+left,left_square_bracket", "choose('back')", "Move ←", key_display="[", id="letter-details-back"),
        Binding("shift+right,right_square_bracket", "choose('forward')", "Move →", key_display="]",
                id="letter-details-forward"),
        Binding("e", "choose('edit')", "Edit", id="letter-details-edit"),
        Binding("d", "choose('delete')", "Delete", id="letter-details-delete"),
        Binding("v", "choose('view')", "E-mail", id="letter-details-view"),
    ]


LABEL_WIDTH = 12  # a letter's details: the labels' column, under which their wrapped values stay


def letter_details(card: LetterCard) -> tuple[str, Indented, frozenset[str]]:
    """A card's details as Enter shows them (who writes, for which rotation, its state, when to ask, when it is due,
    the reminders) and the keys offered in them, with what each does: the title, the text, the keys' names."""
    from imgcoach.tui.wrap import keep_indent  # with the first Enter, not the screen's first visit

    letter, writer = card.letter, card.writer
    at = LETTER_STATUSES.index(letter.status) if letter.status in LETTER_STATUSES else 0
    back = LETTER_STATUSES[at - 1] if at > 0 else None
    forward = LETTER_STATUSES[at + 1] if at + 1 < len(LETTER_STATUSES) else None
    text = Text()

    def line(label: str, value: str, style: str = "") -> None:
        text.append(f"{label:<{LABEL_WIDTH}}", style="bold").append(f"{value}\n", style=style)

    line("Writer", ", ".join(part for part in (writer.name, writer.title) if part))
    line("E-mail", writer.email or "— (not recorded)", "" if writer.email else "dim")
    if card.rotation is not None:
        rotation = card.rotation
        line("Rotation", f"{rotation.specialty}, {rotation.institution} "
                         f"({dates.day_range(rotation.start_date, rotation.end_date)})")
    else:
        line("Rotation", "none", "dim")
    day = card.status_day
    line("State", letter.status + (f" on {dates.day(day)}" if day else
                                   "" if letter.status == "planned" else " (date not recorded)"))
    if card.window and not letter_asked(letter.status):
        if card.last_call_passed:
            line("Window", f"not asked; the last call to ask was {dates.day(card.window[1])}", "yellow")
        else:
            line("Window", ask_window_words(*card.window, dates.day))
    if letter.due_on:
        line("Due", dates.day(letter.due_on))
    if letter.eras_letter_id:
        line("ERAS id", letter.eras_letter_id)
    line("Reminders", f"{counted(card.pending_reminders, 'pending reminder')} for this rotation"
         if card.rotation is not None else "none (no rotation)")
    if letter.notes:
        line("Notes", letter.notes)
    keys = [f"[ moves it back to {back}" if back else "", f"] moves it on to {forward}" if forward else "",
            "e edits it", "d deletes it", "v shows the request e-mail"]
    line("Keys", " · ".join(k for k in keys if k), "dim")
    offered = frozenset({"edit", "delete", "view"} | ({"back"} if back else set()) | ({"forward"} if forward else set()))
    # A wrapped value (a long rotation at 80 columns) continues under its value, not under the labels.
    return f"Letter from {writer.name}", keep_indent(text, hang=LABEL_WIDTH), offered


class LettersScreen(PlannerScreen["list[LetterCard]"]):
    KEY = "letters"
    WARM = ("imgcoach.plan:letter_board", "imgcoach.plan:letter_draft")
    TITLE_TEXT = "Letters"
    CSS_PATH = "letters_screen.tcss"
    BINDINGS = [
        # One key per direction, each with its own label: grouped, the footer read "[ ] Move card" (an empty
        # checkbox, no direction) while the help said "Move card left". The tooltip (help, palette) opens with
        # the footer's words.
        Binding("shift+left,left_square_bracket", "move(-1)", "Move ←", key_display="[", id="letter-back",
                tooltip="Move ←: the card one column left (its status one step back)"),
        Binding("shift+right,right_square_bracket", "move(1)", "Move →", key_display="]", id="letter-forward",
                tooltip="Move →: the card one column right (its status one step on)"),
        Binding("right", "column(1)", "Next column", key_display="→", show=False, id="letter-next-column"),
        Binding("left", "column(-1)", "Previous column", key_display="←", show=False, id="letter-prev-column"),
        Binding("a", "new", "Add request", id="letter-new"),  # a: Add, as on every screen (it was n)
        Binding("e", "edit", "Edit", id="letter-edit"),
        Binding("d", "delete", "Delete", id="letter-delete"),
        Binding("v", "view", "E-mail", id="letter-view"),
        Binding("tab", "letter_or_board", "The letter, or back to the card", key_display="tab", show=False, id="letter-pane"),
        # shift+Tab is Tab's mirror: with two stops (the card's column, its letter) both keys go to the other one.
        # Left to the app it went to the previous column, replacing the letter shown (← already does that).
        Binding("shift+tab", "letter_or_board", "The letter, or back to the card", key_display="shift+tab", show=False,
                id="letter-pane-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[int, LetterCard] = {}
        self.draft: Any = None
        self.focus_letter: int | None = None
        self.current: OptionList | None = None  # the column the cursor is in

    def body(self) -> ComposeResult:
        with Horizontal(id="board"):
            for status in LETTER_STATUSES:
                with Vertical(classes="board-column"):
                    yield Label(status.capitalize(), classes="column-title", id=f"title-{status}")
                    yield BoardColumn(id=f"column-{status}", classes="board-list")
        # The request e-mail runs past 80x24. Tab goes from the card's column to it and back; ← → move between
        # columns. Tab went column by column, and each column it passed showed its own preview: the pane, reached
        # after the last one (often empty), showed "No letter card" instead of the card's letter.
        with DetailPane(id="letter-preview-pane", titles=("tab: scroll the letter", "tab or shift+tab: back to the board"),
                        back=lambda: self.current):
            yield Static("Loading…", id="letter-preview")

    def fetch(self, ctx: Context) -> list[LetterCard]:
        from imgcoach.plan import letter_board

        return letter_board(ctx)

    def show(self, cards: list[LetterCard]) -> None:
        self.forget_detail()  # new data: the draft is read again
        focused = self.focus_letter or self.selected_letter()
        self.cards = {saved_id(c.letter.id): c for c in cards}
        for status in LETTER_STATUSES:
            board_column = self.query_one(f"#column-{status}", BoardColumn)
            mine = [c for c in cards if c.letter.status == status]
            self.query_one(f"#title-{status}", Label).update(f"{status.capitalize()} ({len(mine)})")
            # The column of the card to show again (a move, an edit) whole: the cursor goes to it.
            board_column.fill(mine, all_now=focused in self.cards and self.cards[focused].letter.status == status)
        if focused in self.cards:
            status = self.cards[focused].letter.status
            column = self.query_one(f"#column-{status}", OptionList)
            column.highlighted = column.get_option_index(str(focused))
            self._focus_column(column)
        else:
            lists = [self.query_one(f"#column-{s}", OptionList) for s in LETTER_STATUSES]
            current = self.current if self.current is not None and self.current.option_count else None
            first = current or next((c for c in lists if c.option_count), None)
            if first is not None:
                if first.highlighted is None:
                    first.highlighted = 0
                self._focus_column(first)
        self.focus_letter = None
        self.load_preview()

    def _focus_column(self, column: OptionList) -> None:
        self.current = column
        column.focus()

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, OptionList):
            self.current = event.widget
            self.load_preview()

    def selected_letter(self) -> int | None:
        focused = self.current
        if isinstance(focused, OptionList) and focused.highlighted is not None and focused.option_count:
            option_id = focused.get_option_at_index(focused.highlighted).id
            return int(option_id) if option_id else None
        return None

    @on(OptionList.OptionHighlighted)
    def load_preview(self) -> None:
        letter_id = self.selected_letter()
        if letter_id is None:  # an empty column: no card, so no detail from the last one
            self.draft = None
            self.forget_detail()  # the pane no longer shows a draft: a card highlighted again reads its own
            # An empty board says what to do first: this preview used to overwrite that with the column's words.
            self.query_one("#letter-preview", Static).update(Text(
                "No letter card in this column." if self.cards else
                "No letter requests yet. Press a to plan one (add supervisors on the Rotations screen with w).",
                style="dim"))
            return

        def read() -> Any:
            from imgcoach.plan import letter_draft  # in the thread, after the paint

            return letter_draft(self.planner.open_context(), letter_id)

        self.read_detail_once(letter_id, read, self.show_preview,
                              lambda _, exc: self.notify(f"No preview: {exc}", severity="error"))

    def show_preview(self, letter_id: int, draft: Any) -> None:
        if letter_id != self.selected_letter():  # late: the cursor has left this card (perhaps for an empty column)
            return
        self.draft = draft
        card = self.cards.get(letter_id)
        text = Text()
        if card is not None:
            window = f" · {ask_window_words(*card.window, dates.day)}" if card.window else ""
            if card.window and card.last_call_passed and not letter_asked(card.letter.status):
                window = f" · not asked; the last call to ask was {dates.day(card.window[1])}"
            elif letter_asked(card.letter.status):  # asked already: its day, not "ask between" (as its card shows)
                day = card.status_day
                window = f" · {card.letter.status} " + (f"on {dates.day(day)}" if day else "(date not recorded)")
            rotation = f"{card.rotation.specialty}, {card.rotation.institution}" if card.rotation else "no rotation"
            text.append(f"{card.writer.name} · {rotation}{window}\n", style="bold")
            text.append(f"{counted(card.pending_reminders, 'pending reminder')} for this rotation\n", style="dim")
            if draft.note:  # the e-mail is for the day the window opens, not today
                text.append(f"{draft.note}\n", style="yellow")
        text.append("Packet: ", style="bold")
        for item in draft.packet:
            # "[!]": named in the profile, but no file there (the packet would leave it out): not a tick
            mark, style = ("[!] ", "yellow") if item.ready and item.problem else \
                ("[x] ", "green") if item.ready else ("[ ] ", "red")
            text.append(mark, style=style)
            text.append(f"{item.name}  ")
        for item in draft.packet:
            if item.ready and item.problem:  # what `profile set` says of the path, in its words
                text.append(f"\n{item.name}: {item.detail} {item.problem}", style="yellow")
        text.append(f"\n\nTo: {draft.to}\nSubject: {draft.subject}\n\n", style="dim")
        text.append(draft.body)
        self.query_one("#letter-preview", Static).update(text)
        self.query_one(DetailPane).scroll_home(animate=False)  # another card's letter, from its top

    @on(OptionList.OptionSelected)
    def open_details(self, event: OptionList.OptionSelected) -> None:
        """Enter on a card: its details, with the board's keys for it (move, edit, delete, its e-mail)."""
        letter_id = int(event.option.id) if event.option.id else None
        card = self.cards.get(letter_id) if letter_id is not None else None
        if card is None:
            return
        title, text, offered = letter_details(card)
        self.app.push_screen(LetterDetailsScreen(title, text, offered, lambda name: self._details_key(card, name)))

    def _details_key(self, card: LetterCard, name: str) -> None:
        """A key of a card's details: the board's own action, on that card if it is still the one selected."""
        if self.selected_letter() != card.letter.id:  # a reload moved the cursor meanwhile (another process's change)
            self.notify(f"The letter from {card.writer.name} is no longer selected: nothing done", severity="warning")
            return
        actions = {"back": lambda: self.action_move(-1), "forward": lambda: self.action_move(1),
                   "edit": self.action_edit, "delete": self.action_delete, "view": self.action_view}
        actions[name]()

    def action_letter_or_board(self) -> None:
        """Tab and shift+Tab: from the card to its letter, from the letter back to the card's column."""
        pane = self.query_one(DetailPane)
        if pane.has_focus and self.current is not None:
            self.current.focus()
        else:
            pane.focus()

    def action_column(self, step: int) -> None:
        lists = [self.query_one(f"#column-{s}", OptionList) for s in LETTER_STATUSES]
        current = lists.index(self.current) if self.current in lists else 0
        target = lists[(current + step) % len(lists)]
        if target.option_count and target.highlighted is None:
            target.highlighted = 0
        self._focus_column(target)

    def action_move(self, step: int) -> None:
        from imgcoach.plan import move_letter_with_undo

        letter_id = self.selected_letter()
        if letter_id is None:
            self.notify("No letter card selected", severity="warning")
            return

        def moved(record: Any) -> None:
            letter, stopped, revived = record.result, record.cancelled, record.revived
            self.focus_letter = letter.id
            # What was stopped (failed and unconfirmed ones too), not the change in pending ones alone.
            effect = " and ".join([f"{counted(n, 'reminder')} {said}" for n, said in ((stopped, "stopped"),
                                                                                   (revived, "back on")) if n]
                                  ) or "reminders unchanged"
            self.undoable(record, f"Letter from {self.cards[letter_id].writer.name} is now {letter.status}: {effect}")

        self.act(lambda ctx: move_letter_with_undo(ctx, letter_id, step), moved)

    def action_view(self) -> None:
        if self.selected_letter() is None:  # v did nothing at all where e and d say why
            self.notify("No letter card selected", severity="warning")
            return
        if self.draft is None:
            return  # its e-mail is still being written (the preview's worker)
        from imgcoach.tui.widgets.draft import letter_screen

        self.app.push_screen(letter_screen(self.draft))

    def action_new(self) -> None:
        def fetch() -> None:
            from imgcoach.plan import list_contacts, list_rotations

            ctx = self.planner.open_context()
            self.app.call_from_thread(self._new_form, list_contacts(ctx), list_rotations(ctx))

        self.run_worker(fetch, thread=True, group="act")

    def _new_form(self, contacts: list[Any], rotations: list[Any]) -> None:
        from imgcoach.plan import plan_letter_request
        from imgcoach.tui.people import letter_fields, say_letter_saved

        if not contacts:
            self.notify("Add a supervisor first (Rotations screen, key w)", severity="warning")
            return
        fields = letter_fields(contacts, rotations)

        def save(ctx: Context, values: dict[str, Any]) -> Any:
            from imgcoach.core.errors import FieldError

            if values["writer_id"] is None:
                raise FieldError("writer_id", None, "choose who writes the letter")
            return plan_letter_request(ctx, values.pop("writer_id"), **values)

        self.open_form("Plan a letter request", fields, {"writer_id": contacts[0].id}, save,
                       then=lambda saved: say_letter_saved(self, saved, "Letter request planned"))

    def action_edit(self) -> None:
        from imgcoach.tui import people

        letter_id = self.selected_letter()
        if letter_id is None:
            self.notify("No letter card selected", severity="warning")
            return
        self.focus_letter = letter_id
        people.edit_letter(self, letter_id, lambda: None)

    def action_delete(self) -> None:
        from imgcoach.tui import people

        letter_id = self.selected_letter()
        if letter_id is None:
            self.notify("No letter card selected", severity="warning")
            return
        card = self.cards[letter_id]
        people.delete_letter(self, card.letter, card.writer.name, lambda: None)

"""A keyboard form in a dialog: typed values parsed, errors shown next to their field, input kept.

The form does not know what it saves: `submit(ctx, values)` runs in a worker thread and calls a
service. A ValidationError from the service lands beside the fields it names, so the form
and the CLI share one set of rules.

An edit form is given `loaded`, the row as it was read (its version included). Its values then carry
`loaded` too, for the edit use case's `loaded=` parameter: when another process changed the row since,
the use case raises EditConflict and the form asks: reload (lose my edits), overwrite, or cancel.
An `advise(values)` callback may return warnings shown inside the form as the fields change (the
rotation form's full-time overlaps), before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Static

from imgcoach.core.errors import EditConflict, FieldError, NotFound, UserError, ValidationError
from imgcoach.tui import dates
from imgcoach.tui.appref import planner
from imgcoach.tui.widgets.choice import ChoiceField
from imgcoach.tui.widgets.text_input import PlannerInput

if TYPE_CHECKING:
    from imgcoach.core.context import Context

DATE_HINT = "YYYY-MM-DD, today, +4w, next mon"  # what every date field reads (plan.parse_day)
# A date field is 32 cells wide at 80 columns (its preview beside it): "…, next monday" showed "…, next", which
# parse_day refuses. Every date placeholder fits in DATE_ROOM.
DATE_ROOM = 32


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | int | number | date | choice | bool | list
    choices: tuple[tuple[str, Any], ...] = ()  # (label, value) for choice fields
    placeholder: str = ""  # an example, never a value: shown only while the field is empty
    required: bool = False
    suggestions: tuple[str, ...] = ()  # the closed vocabulary: typing completes to one of these
    default_from: str = ""  # date fields: left empty, this field is that start date + 4 weeks (plan.default_end)


class ListSuggester(Suggester):
    """Completes the last item of a comma-separated list ("Internal Medicine, Fam" -> "..., Family Medicine")."""

    def __init__(self, words: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.words = words

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip().casefold()
        if not typed:
            return None
        for word in self.words:
            if word.casefold().startswith(typed):
                prefix = f"{head}, " if head else ""
                return prefix + word
        return None


def parse_value(spec: FormField, raw: Any, today: date | None = None) -> Any:
    """Typed value from the widget's value; a FieldError names the field and what was typed.

    A date may be written as YYYY-MM-DD or relative to `today` ("today", "+4w", "next monday"),
    read by plan.parse_day, the one reader of typed dates."""
    if spec.kind == "choice":
        return raw
    if spec.kind == "bool":
        return raw == "yes"
    text = str(raw).strip()
    if not text:
        if spec.required and not spec.default_from:
            raise FieldError(spec.name, text, "is required")
        return [] if spec.kind == "list" else (None if spec.kind in ("int", "number", "date") else "")
    if spec.kind in ("int", "number") and text.lower() == "none" and not spec.required:
        return None  # as `profile set --budget-programs none` reads it: no value (a budget removed)
    if spec.kind == "number":
        import math

        try:
            number = float(text)
        except ValueError:
            raise FieldError(spec.name, text, "must be a number") from None
        if not math.isfinite(number):  # nan and inf pass every range check (cli.common.FiniteFloat)
            raise FieldError(spec.name, text, "must be a finite number")
        return number
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise FieldError(spec.name, text, "must be a whole number") from None
    if spec.kind == "date":
        from imgcoach.plan import DATE_FORMS, parse_day

        try:
            return parse_day(text, today or date.today())
        except ValueError as exc:  # plan.NotADate: its reason names the part out of range (2027-02-29)
            reason = getattr(exc, "reason", f"use {DATE_FORMS}")
            raise FieldError(spec.name, text, f"is not a date: {reason}") from None
    if spec.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def display_value(spec: FormField, value: Any) -> Any:
    if spec.kind == "bool":
        return "yes" if value else "no"
    if spec.kind == "choice":
        return value
    if spec.kind == "list":
        return ", ".join(value or [])
    return "" if value is None else str(value)


def date_preview(spec: FormField, raw: str, today: date, start: date | None) -> Text:
    """What a date field means, shown beside it while typing: "= 07 Dec 2026", or the default end."""
    from imgcoach.plan import default_end

    if not raw.strip():
        if spec.default_from and start is not None:
            return Text(f"blank: {dates.day(default_end(start))} (4 weeks)", style="dim")
        return Text("")
    try:
        return Text(f"= {dates.day(parse_value(spec, raw, today))}", style="green")
    except FieldError:
        return Text("? not a date", style="red")


# Form widgets are not restyled before they are in the DOM: Textual styles every widget when it is registered
# (App._register), but a class set in the constructor (`compact=True`, a Button's variant) restyled the widget
# at once, with its component classes, while it was not even in the form yet: 17 of an add-rotation form's 153
# stylesheet applications on open, and with their component classes about half the work.


class FormInput(PlannerInput):
    """A form's text field: an Input styled once, when mounted."""

    def update_node_styles(self, animate: bool = True) -> None:
        if self.parent is not None:  # else not registered yet: its styles are computed in full when it is
            super().update_node_styles(animate)


class FormButton(Button):
    """A form's button: a Button styled once, when mounted."""

    def update_node_styles(self, animate: bool = True) -> None:
        if self.parent is not None:  # else not registered yet: its styles are computed in full when it is
            super().update_node_styles(animate)


class FormScreen(ModalScreen[Any]):
    """Returns the submit result on success; None when cancelled with Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "submit", "Save", id="form-save"),  # the footer says what the button says: see __init__
        # Before the Input's own Enter (which would submit): the next field, as in a paper form.
        Binding("enter", "next_field", "Next field", key_display="⏎", priority=True, id="form-next-field"),
    ]

    def __init__(self, title: str, fields: list[FormField], values: dict[str, Any],
                 submit: Callable[[Context, dict[str, Any]], Any], *, hint: str = "", save_label: str = "Save",
                 cancel_label: str = "Cancel",
                 loaded: Mapping[str, Any] | None = None,
                 advise: Callable[[dict[str, Any]], list[str]] | None = None,
                 present: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
                 intro: tuple[str, str] | None = None) -> None:
        super().__init__()
        # A first row of the fields' grid, (label, text): it scrolls with them, so a field's error line still fits a
        # 24-row dialog (above the grid, it pushed the buttons out); a cell spanning both columns was sized by Textual
        # as if wrapped at the label's width.
        self.intro = intro
        self.form_title = title
        self.fields = fields
        self.initial = values
        self.submit = submit
        self.hint = hint
        self.save_label = save_label
        self.loaded = dict(loaded) if loaded is not None else None  # the row as read: the save checks it
        self.advise = advise
        # A stored row as the fields show it, for a reload after a conflict as for `values`: an assumed figure
        # is shown blank (the rotation's hours), else Reload filled it in and a save passed it off as given.
        self.present = present
        # The footer's ctrl+s says what the button says ("Next", "Finish", "Accept"), not always "Save".
        save = self._bindings.key_to_bindings.get("ctrl+s", [])
        self._bindings.key_to_bindings["ctrl+s"] = [replace(b, description=save_label) if b.action == "submit"
                                                    else b for b in save]
        # Likewise Escape: a set-up step it skips says "Skip" (the set-up goes on), not "Cancel".
        self.cancel_label = cancel_label
        escape = self._bindings.key_to_bindings.get("escape", [])
        self._bindings.key_to_bindings["escape"] = [replace(b, description=cancel_label) if b.action == "cancel"
                                                    else b for b in escape]
        self.today = self._local_today()  # the applicant's today once known (on mount); relative dates use it
        self._shown_once = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler (subclass first), which restyles the whole screen on every resume.

        On the first one there is nothing to refresh: every widget was styled as it was mounted, moments ago, and
        each change since (focus, a class) restyled what it touched. That restyle doubled the stylesheet work of
        opening a form, after the form was mounted and before its first frame. A later resume (back from the
        conflict dialog) restyles as Textual does: the theme may have changed meanwhile."""
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

    def compose(self) -> ComposeResult:
        # Few widgets: labels and inputs sit in one grid (no row containers), and an error line is
        # mounted only when a field has an error. Each widget costs CSS matching when the form opens.
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(self.form_title, classes="dialog-title")
            if self.hint and not self.intro:
                yield Static(self.hint, classes="form-hint")
            with VerticalScroll(id="form-fields", can_focus=False, classes="with-intro" if self.intro else ""):
                if self.intro:
                    yield Label(self.intro[0], classes="form-label form-intro")
                    yield Static(self.intro[1], classes="form-intro")
                    if self.hint:  # after the welcome, which read second when the hint stood above the fields
                        yield Label("", classes="form-label")
                        yield Static(self.hint, classes="form-hint")
                for spec in self.fields:
                    yield Label(spec.label, classes="form-label")
                    if spec.kind == "date":  # the input and, beside it, the date it reads as
                        with Horizontal(id=f"row-{spec.name}", classes="form-date-row"):
                            yield self._widget(spec)
                            yield Static(self._preview(spec), id=f"preview-{spec.name}", classes="date-preview")
                    else:
                        yield self._widget(spec)
            yield Static("", id="form-error", classes="field-error")
            if self.advise is not None:
                yield Static("", id="form-warning", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield FormButton(self.save_label, id="form-save", variant="primary", compact=True)
                yield FormButton(self.cancel_label, id="form-cancel", compact=True)
        yield Footer()

    def _widget(self, spec: FormField) -> Input | ChoiceField:
        value = display_value(spec, self.initial.get(spec.name))
        if spec.kind in ("choice", "bool"):
            options = spec.choices if spec.kind == "choice" else (("no", "no"), ("yes", "yes"))
            blank = value not in {v for _, v in options}
            return ChoiceField(options, value, blank=blank, id=f"field-{spec.name}", classes="form-input")
        suggester: Suggester | None = None
        if spec.suggestions:
            suggester = (ListSuggester(spec.suggestions) if spec.kind == "list"
                         else SuggestFromList(spec.suggestions, case_sensitive=False))
        return FormInput(value=value, placeholder=spec.placeholder, compact=True, id=f"field-{spec.name}",
                         classes="form-input", select_on_focus=False, suggester=suggester)

    # --- dates: relative forms, the date shown beside the field, a default end --------------------

    def _local_today(self) -> date:
        """Today on the app's clock in this machine's zone: used until the applicant's zone is read."""
        return planner(self.app).now().astimezone().date()

    def on_mount(self) -> None:
        self.show_advice()
        if any(spec.kind == "date" for spec in self.fields):
            self._refresh_previews()  # an end date's default shows before anything is typed
            self.run_worker(self._read_today, thread=True, group="form-today", name="form-today")

    def _read_today(self) -> None:
        """Today where the applicant lives (their profile's zone), as the rest of the plan counts days."""
        from zoneinfo import ZoneInfo

        from imgcoach.plan import get_profile

        app = planner(self.app)
        try:
            profile = get_profile(app.open_context())
        except UserError:  # no applicant yet: the machine's day stands, and saving names the real problem
            return
        if profile is not None:
            today = app.now().astimezone(ZoneInfo(profile.timezone)).date()
            self.app.call_from_thread(self._set_today, today)

    def _set_today(self, today: date) -> None:
        self.today = today
        self._refresh_previews()

    def _raw(self, name: str) -> Any:
        return self.query_one(f"#field-{name}").value  # type: ignore[attr-defined]

    def _start_of(self, spec: FormField) -> date | None:
        """The parsed start date an empty `spec` defaults from; None while it is empty or not a date."""
        start_spec = next((f for f in self.fields if f.name == spec.default_from), None)
        if start_spec is None:
            return None
        try:
            start = parse_value(start_spec, self._raw(start_spec.name), self.today)
        except FieldError:
            return None
        return start if isinstance(start, date) else None

    def _preview(self, spec: FormField) -> Text:
        raw = str(display_value(spec, self.initial.get(spec.name)))
        return date_preview(spec, raw, self.today, None) if raw else Text("")

    def _refresh_previews(self) -> None:
        for spec in self.fields:
            if spec.kind == "date":
                preview = date_preview(spec, str(self._raw(spec.name)), self.today, self._start_of(spec))
                self.query_one(f"#preview-{spec.name}", Static).update(preview)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self.is_mounted and any(spec.kind == "date" for spec in self.fields):
            self._refresh_previews()

    # --- keys: Enter moves on, ctrl+s saves ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":  # in a field (text or choice); on a button Enter presses it
            return isinstance(self.focused, Input | ChoiceField)
        return True

    def action_next_field(self) -> None:
        self.focus_next()

    def values(self) -> dict[str, Any]:
        """Parse every field; all parse errors at once. An empty end date with a start is start + 4 weeks."""
        from imgcoach.plan import default_end

        parsed: dict[str, Any] = {}
        errors: list[FieldError] = []
        for spec in self.fields:
            raw = self._raw(spec.name)
            try:
                parsed[spec.name] = parse_value(spec, raw, self.today)
            except FieldError as exc:
                errors.append(exc)
        for spec in self.fields:
            if spec.default_from and parsed.get(spec.name, 0) is None:
                start = parsed.get(spec.default_from)
                if isinstance(start, date):
                    parsed[spec.name] = default_end(start)
                elif spec.required and spec.default_from in parsed:  # the start is empty too
                    errors.append(FieldError(spec.name, "", "is required (or give a start date: then it is "
                                                            "start + 4 weeks)"))
        if errors:
            raise ValidationError(errors)
        return parsed

    def show_errors(self, error: UserError | None) -> None:
        known = {spec.name for spec in self.fields}
        found = error.errors if isinstance(error, ValidationError) else [error] if isinstance(error, FieldError) else []
        for spec in self.fields:
            mine = next((e for e in found if e.field == spec.name), None)
            self._field_error(spec.name, f"↑ {mine.message}" if mine else "")
        general = [str(e) for e in found if e.field not in known]
        if error is not None and not found:
            general.append(str(error))
        box = self.query_one("#form-error", Static)
        box.update("\n".join(general))
        box.set_class(bool(general), "shown")
        first = next((e for e in found if e.field in known), None)
        if first is not None:
            self.query_one(f"#field-{first.field}").focus()

    def _field_error(self, name: str, message: str) -> None:
        """The error line under a field (a blank label cell, then the message under the input):
        mounted on the field's first error, then updated or hidden."""
        existing = self.query(f"#error-{name}")
        if existing:
            box = existing.first(Static)
        elif message:
            box = Static("", id=f"error-{name}", classes="field-error")
            gap = Static("", id=f"error-gap-{name}", classes="field-error")
            row = self.query(f"#row-{name}")  # a date field sits in a row with its preview
            field = row.first() if row else self.query_one(f"#field-{name}")
            self.query_one("#form-fields").mount(gap, box, after=field)
        else:
            return
        box.update(message)
        box.set_class(bool(message), "shown")
        self.query_one(f"#error-gap-{name}").set_class(bool(message), "shown")

    @on(Input.Changed)
    def _field_changed(self) -> None:
        self.show_advice()

    def on_click(self) -> None:  # a choice field changed by mouse
        self.show_advice()

    def on_key(self) -> None:  # a choice field stepped with the keys (it posts no message of its own)
        self.call_after_refresh(self.show_advice)

    def show_advice(self) -> None:
        """The `advise` warnings for what the fields hold now; silent while a field does not parse yet."""
        if self.advise is None or not self.is_mounted:
            return
        try:
            warnings = self.advise(self.values())
        except ValidationError:
            return  # a half-typed date: the last advice stays until the fields parse again
        box = self.query_one("#form-warning", Static)
        box.update("\n".join(f"⚠ {w}" for w in warnings))
        box.set_class(bool(warnings), "shown")

    @on(Button.Pressed, "#form-save")
    def action_submit(self) -> None:
        try:
            values = self.values()
        except ValidationError as exc:
            self.show_errors(exc)
            return
        self._save(values)

    def show_conflict(self, conflict: EditConflict, values: dict[str, Any]) -> None:
        """Another process changed the row since the form loaded it: ask what to do with these edits."""
        from imgcoach.tui.widgets.dialogs import ConflictScreen

        def decided(choice: str | None) -> None:
            if choice == "reload":
                self.reload_values(conflict.current)
            elif choice == "overwrite":
                self.loaded = dict(conflict.current)  # saved again against what is stored now
                self._save(values)
            else:
                self.show_errors(UserError(f"Not saved: {conflict}"))

        self.app.push_screen(ConflictScreen(conflict), decided)

    def _gone(self, exc: NotFound) -> UserError:
        """The row this form loaded was deleted since (another window, the CLI): "no rotation with id 1" alone
        did not say the row had been there when the form opened, nor that nothing was saved."""
        row_id = self.loaded.get("id") if self.loaded is not None else None
        if row_id is None or not str(exc).endswith(f" with id {row_id}"):
            return exc  # an id the values name, not the row being edited: the use case's words say which
        return UserError(f"Not saved: it was deleted elsewhere (another window or the CLI) after this form "
                         f"opened it ({exc} now). Esc closes the form.")

    def reload_values(self, current: Mapping[str, Any]) -> None:
        """Show the row as stored now (the edits are dropped) and check the next save against it."""
        self.loaded = dict(current)
        stored = self.present(current) if self.present is not None else current
        shown = {**self.initial, **{k: v for k, v in stored.items() if k in self.initial}}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            widget.value = display_value(spec, shown.get(spec.name))  # type: ignore[attr-defined]
        self.show_errors(None)
        box = self.query_one("#form-error", Static)
        box.update("Reloaded the values saved elsewhere; your edits were dropped.")
        box.set_class(True, "shown")
        self.show_advice()

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self, values: dict[str, Any]) -> None:
        from imgcoach.tui.crash import storage_problem

        request = values if self.loaded is None else {**values, "loaded": self.loaded}
        try:
            result = self.submit(planner(self.app).open_context(), request)
        except EditConflict as exc:
            self.app.call_from_thread(self.show_conflict, exc, values)
            return
        except NotFound as exc:
            self.app.call_from_thread(self.show_errors, self._gone(exc))
            return
        except UserError as exc:
            self.app.call_from_thread(self.show_errors, exc)
            return
        except Exception as exc:  # the database busy, full or read-only: say so, keep the input for a retry
            problem = storage_problem(exc)
            if problem is None:
                raise
            self.app.call_from_thread(self.show_errors, UserError(problem))
            return
        self.app.call_from_thread(self.dismiss, result if result is not None else True)

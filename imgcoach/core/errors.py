"""Errors a user can fix. Faces print the message and exit with status 2."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded when a conflict is written: every quick read imports this module (issue 17)
    from imgcoach.core.datewords import DateWords


def shown(value: object, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr, cut short (a 200 KiB cell must not fill the screen)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


class UserError(Exception):
    """A problem with the user's input: one clear line, naming the file, line or field."""


class FieldError(UserError):
    """One invalid field: names the field and the value so a form can show it in place."""

    def __init__(self, field: str, value: object, message: str) -> None:
        self.field = field
        self.value = value
        self.message = message
        super().__init__(self.said_as(field))

    def said_as(self, name: str) -> str:
        """The message with the field called `name`: the CLI calls it by the option typed (cli.fields_as_options).
        A message that already quotes the text typed (a program file's cell messages do: "unknown state 'XX'")
        does not get it a second time: `programs add --state XX` said "(got 'XX')" after "unknown state 'XX'"."""
        got = shown(self.value)
        if isinstance(self.value, str) and self.value and got in self.message:
            return f"{name}: {self.message}"
        return f"{name}: {self.message} (got {got})"


class ValidationError(UserError):
    """Several field errors at once, so a form can show every one of them."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def for_field(self, field: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == field), None)


class NotFound(UserError):
    """An id that names no row (for this applicant)."""


class EditConflict(UserError):
    """A save from a form whose row another process changed since the form loaded it.

    Names the row as the person knows it (`label`, with the days it spans when it has some) and each field
    that changed meanwhile (what the form loaded, what is stored now), and carries the stored values so a
    face can offer "reload" (show `current`) or "overwrite" (save again against `current`). Nothing was
    written. `text(words)` writes the dates a face's way; str() is the CLI's ("04 Jan 2027").
    """

    def __init__(self, what: str, label: str, changed: dict[str, tuple[object, object]],
                 current: dict[str, object], span: tuple[date, date] | None = None) -> None:
        self.what = what
        self.label = label
        self.span = span
        self.changed = changed
        self.current = current
        super().__init__(self.text())

    def text(self, words: DateWords | None = None) -> str:
        """The message with the dates written in `words` (default: the CLI's, datewords.WRITTEN)."""
        if words is None:
            from imgcoach.core.datewords import WRITTEN

            words = WRITTEN
        label = f"{self.label} ({words.span(*self.span)})" if self.span else self.label
        fields = "; ".join(f"{name.replace('_', ' ')}: {_shown(old, words)} → {_shown(new, words)}"
                           for name, (old, new) in self.changed.items())
        return f"{self.what} {label} was changed elsewhere since you opened it ({fields})"


def _shown(value: object, words: DateWords) -> str:
    """A stored value as a person reads it in the conflict message."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return words.day(value)
    return str(value)

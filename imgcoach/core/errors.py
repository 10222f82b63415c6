"""Errors a user can fix. Faces print the message and exit with status 2."""


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
        super().__init__(f"{field}: {message} (got {shown(value)})")


class ValidationError(UserError):
    """Several field errors at once, so a form can show every one of them."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def for_field(self, field: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == field), None)


class NotFound(UserError):
    """An id that names no row (for this applicant)."""

"""Mail errors, split by what the caller must do next: retry later, give up on one reminder, or fix settings."""

from __future__ import annotations

from imgcoach.core.errors import UserError


class MailError(Exception):
    """Base class for every error raised by imgcoach.reminders.mail."""


class MailSettingsError(MailError, UserError):
    """The SMTP/Maildir settings are unusable; the user must fix the config file or environment."""


class TemplateError(MailError):
    """A built-in template failed to render: a bug, caught by tests thanks to StrictUndefined."""


class InvalidAddressError(MailError):
    """An address or Message-ID is malformed (or carries CR/LF); retrying cannot help."""


class DeliveryError(MailError):
    """Sending failed. ``reply`` is the server's reply (or the local error) in one line."""

    temporary: bool = True

    def __init__(self, reply: str, *, connection_lost: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.connection_lost = connection_lost


class TemporaryDeliveryError(DeliveryError):
    """Connection problems and 4xx replies: retry with backoff."""

    temporary = True


class PermanentDeliveryError(DeliveryError):
    """A 5xx reply for the recipient or message: mark the reminder failed with the reply."""

    temporary = False

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

    #: a settings problem (sender, login, policy): pause delivery, keep every reminder pending
    settings_problem: bool = False

    def __init__(self, reply: str, *, connection_lost: bool = False, unknown: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.connection_lost = connection_lost
        # The whole message went out (final dot sent) but no reply came back: it may have arrived.
        self.unknown = unknown


class TemporaryDeliveryError(DeliveryError):
    """Connection problems and 4xx replies: retry with backoff."""

    temporary = True


class PermanentDeliveryError(DeliveryError):
    """A 5xx reply for the recipient or message: mark the reminder failed with the reply."""

    temporary = False


class SettingsRejectedError(DeliveryError):
    """A 5xx that no reminder can get past (sender refused, login refused, policy rejection after DATA).

    Not the reminder's fault: delivery pauses, every reminder stays pending, the user is told what to fix.
    """

    temporary = True
    settings_problem = True

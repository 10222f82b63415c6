"""Deliver built messages: SMTP (one connection per batch, verified TLS) or a local Maildir.

Every failure becomes a DeliveryError whose ``temporary`` flag tells the outbox to back off and retry
(connection problems, 4xx) or to mark the reminder failed with the server's reply (5xx).
"""

from __future__ import annotations

import mailbox
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Protocol

from imgcoach.reminders.mail.errors import DeliveryError, PermanentDeliveryError, TemporaryDeliveryError
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings, password_for


@dataclass(frozen=True)
class Envelope:
    """SMTP envelope (MAIL FROM, RCPT TO) as already validated by the builder: no need to parse it back out
    of the headers, and no header (Cc, Bcc...) can add a recipient."""

    sender: str
    recipients: tuple[str, ...]


class Transport(Protocol):
    """What the daemon needs: send messages inside one ``with`` block (one batch)."""

    description: str

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, msg: Message, envelope: Envelope | None = None) -> None: ...


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {' '.join(text.split())}"


def classify(exc: BaseException, where: str) -> DeliveryError:
    """Map smtplib/socket/ssl exceptions to temporary or permanent delivery errors with a one-line reply."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        cls = PermanentDeliveryError if code >= 500 else TemporaryDeliveryError
        return cls(f"recipient refused by {where}: {_reply(code, text)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        # A settings problem, not the reminder's: keep it pending so it goes out once the login is fixed.
        return TemporaryDeliveryError(f"login refused by {where}: {_reply(exc.smtp_code, exc.smtp_error)}",
                                      connection_lost=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reply = f"{where} replied {_reply(code, exc.smtp_error)}"
        if 400 <= code < 500 or code < 0:
            return TemporaryDeliveryError(reply, connection_lost=code == 421)
        return PermanentDeliveryError(reply)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TemporaryDeliveryError(f"certificate of {where} not trusted: {exc.verify_message or exc}",
                                      connection_lost=True)
    if isinstance(exc, ssl.SSLError):
        return TemporaryDeliveryError(f"TLS error with {where}: {exc}", connection_lost=True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return TemporaryDeliveryError(f"{where}: {exc} (check smtp.security)", connection_lost=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TemporaryDeliveryError(f"{where} closed the connection: {exc}", connection_lost=True)
    if isinstance(exc, socket.gaierror):
        return TemporaryDeliveryError(f"cannot resolve {where}: {exc.strerror or exc}", connection_lost=True)
    if isinstance(exc, OSError):
        return TemporaryDeliveryError(f"cannot reach {where}: {exc.strerror or exc}", connection_lost=True)
    return TemporaryDeliveryError(f"{where}: {type(exc).__name__}: {exc}", connection_lost=True)


class SmtpTransport:
    """One SMTP connection reused for every message of a batch; opened lazily, reopened once if it went stale."""

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        password_source: Callable[[str], str | None] = password_for,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self.description = f"{settings.host}:{settings.port}"
        self._password_source = password_source
        self._ssl_context = ssl_context
        self._smtp: smtplib.SMTP | None = None
        self._sent_on_connection = 0

    def _context(self) -> ssl.SSLContext:
        # create_default_context verifies the certificate chain and the host name.
        return self._ssl_context or ssl.create_default_context()

    def open(self) -> None:
        s = self.settings
        helo = socket.gethostname() or "localhost"  # avoids getfqdn()'s DNS lookup
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=helo, timeout=s.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=helo, timeout=s.timeout)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                if s.user:
                    password = self._password_source(s.user)
                    if not password:
                        raise TemporaryDeliveryError(
                            f"no password for {s.user}: set IMGCOACH_SMTP_PASSWORD or store it in the system "
                            "keyring (service 'imgcoach')",
                            connection_lost=True,
                        )
                    smtp.login(s.user, password)
            except BaseException:
                smtp.close()
                raise
        except Exception as exc:
            raise classify(exc, self.description) from exc
        self._smtp = smtp
        self._sent_on_connection = 0

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def send(self, msg: Message, envelope: Envelope | None = None) -> None:
        """Send one message; raises DeliveryError. A connection the server dropped while idle is reopened once.

        With an ``envelope`` the message is flattened once here and sent with ``sendmail``; without one,
        ``send_message`` takes the envelope from the headers.
        """
        data = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")) if envelope is not None else None
        for attempt in (1, 2):
            if self._smtp is None:
                self.open()
            reused = self._sent_on_connection > 0
            try:
                if envelope is not None:
                    self._smtp.sendmail(envelope.sender, list(envelope.recipients), data)  # type: ignore[union-attr, arg-type]
                else:
                    self._smtp.send_message(msg)  # type: ignore[union-attr]
            except Exception as exc:
                error = classify(exc, self.description)
                if error.connection_lost:
                    self._drop()
                    if attempt == 1 and reused and isinstance(exc, smtplib.SMTPServerDisconnected):
                        continue
                raise error from exc
            self._sent_on_connection += 1
            return

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self._drop()

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class MaildirTransport:
    """The zero-configuration default: messages land in a Maildir that any mail client can open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"Maildir {path}"
        self._box: mailbox.Maildir | None = None

    def send(self, msg: Message, envelope: Envelope | None = None) -> None:
        try:
            if self._box is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._box = mailbox.Maildir(self.path, create=True)
            self._box.add(msg.as_bytes())
        except OSError as exc:
            raise TemporaryDeliveryError(f"cannot write to {self.description}: {exc}") from exc

    def __enter__(self) -> MaildirTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self._box = None


def open_transport(settings: MailSettings, *, ssl_context: ssl.SSLContext | None = None) -> Transport:
    """The transport the settings ask for (not yet connected)."""
    if settings.smtp is None:
        return MaildirTransport(settings.maildir)
    return SmtpTransport(
        settings.smtp, password_source=settings.password_source or password_for, ssl_context=ssl_context
    )

"""Deliver built messages: SMTP (one connection per batch, verified TLS) or a local Maildir.

Every failure becomes a DeliveryError. ``temporary``: back off and retry this reminder (connection
problems, 4xx). ``settings_problem``: a 5xx that no reminder can get past (sender, login, policy after
DATA): pause delivery and keep every reminder pending. Otherwise (a recipient 5xx to RCPT TO) the one
reminder fails with the server's reply. ``unknown``: the final dot went out and no reply came back.

The SMTP dialogue is driven command by command so each wait gets (at least) its RFC 5321 4.5.3.2 timeout; above
all the reply to the final dot gets 10 minutes, since giving up earlier is what makes a slow server
receive the same message again and again.
"""

from __future__ import annotations

import contextlib
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

from imgcoach.reminders.mail.errors import (
    DeliveryError,
    PermanentDeliveryError,
    SettingsRejectedError,
    TemporaryDeliveryError,
)
from imgcoach.reminders.mail.message import message_bytes
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings, password_for


@dataclass(frozen=True)
class Envelope:
    """SMTP envelope (MAIL FROM, RCPT TO) as already validated by the builder: no need to parse it back out
    of the headers, and no header (Cc, Bcc...) can add a recipient."""

    sender: str
    recipients: tuple[str, ...]


# Called with wait=True it returns (True) once the message may take its final step, or raises to give the
# message up unsent; with wait=False it returns at once, False if the message would have to wait.
BeforeFinal = Callable[[bool], bool]


class Transport(Protocol):
    """What the daemon needs: send messages inside one ``with`` block (one batch)."""

    description: str

    def __enter__(self) -> Transport: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None, /) -> None: ...

    def send(self, msg: Message, envelope: Envelope | None = None, *,
             before_final: BeforeFinal | None = None) -> None:
        """Send one message. ``before_final`` runs just before the step after which the message may have
        been delivered (the final dot, the Maildir write); it may raise to give the message up unsent."""
        ...

    def abort(self) -> None:
        """From another thread: break the connection now (shutdown with a deadline)."""
        ...


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {' '.join(text.split())}"


FIX_LOGIN = "check smtp.user and the password (IMGCOACH_SMTP_PASSWORD or the keyring), then `imgcoach mail test`"
FIX_SENDER = ("check the From address (smtp.from or IMGCOACH_SMTP_FROM; it must be one your account may send "
              "as) and the login, then `imgcoach mail test`")
FIX_POLICY = ("the server refuses this mail by policy: check the From address, the account's sending limits "
              "and the server's message, then `imgcoach mail test`")


def classify(exc: BaseException, where: str, stage: str = "") -> DeliveryError:
    """Map smtplib/socket/ssl exceptions to delivery errors with a one-line reply.

    ``stage`` is the command the server was answering (``rcpt``, ``mail``, ``data``, ``dot``...): only a
    5xx to RCPT TO belongs to one reminder; any other 5xx is a settings problem for every reminder.
    """
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        cls = PermanentDeliveryError if code >= 500 else TemporaryDeliveryError
        return cls(f"recipient refused by {where}: {_reply(code, text)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        reply = f"login refused by {where}: {_reply(exc.smtp_code, exc.smtp_error)}"
        if exc.smtp_code >= 500:  # 535: wrong user or password; every reminder would fail the same way
            return SettingsRejectedError(f"{reply}; {FIX_LOGIN}", connection_lost=True)
        return TemporaryDeliveryError(reply, connection_lost=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reply = f"{where} replied {_reply(code, exc.smtp_error)}"
        if 400 <= code < 500 or code < 0:
            return TemporaryDeliveryError(reply, connection_lost=code == 421)
        if stage == "rcpt":
            return PermanentDeliveryError(reply)
        if stage in ("data", "dot"):
            return SettingsRejectedError(f"{reply} after DATA; {FIX_POLICY}")
        return SettingsRejectedError(f"{reply} to MAIL FROM; {FIX_SENDER}" if stage == "mail" else
                                     f"{reply}; {FIX_SENDER}")
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


def _dot_stuffed(data: bytes) -> bytes:
    """RFC 5321 4.5.2: a line that starts with "." gets another one (bytes.replace: a tenth of re.sub's cost)."""
    body = data.replace(b"\n.", b"\n..")
    return b"." + body if body.startswith(b".") else body


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
        self._aborted = False
        self.stage = "connect"  # the command whose reply we wait for, for classify()

    def _context(self) -> ssl.SSLContext:
        # create_default_context verifies the certificate chain and the host name.
        return self._ssl_context or ssl.create_default_context()

    def open(self) -> None:
        s = self.settings
        helo = socket.gethostname() or "localhost"  # avoids getfqdn()'s DNS lookup
        greeted = False
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=helo, timeout=s.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=helo, timeout=s.timeout)
            greeted = True
            self._smtp = smtp  # so abort() can break a stalled greeting or login
            # The final dot goes out in a write of its own (after the message, see _transaction): without
            # TCP_NODELAY, Nagle's algorithm holds it until the server's delayed ACK, 40 ms a message.
            if smtp.sock is not None:
                with contextlib.suppress(OSError):
                    smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                if s.user:
                    password = self._password_source(s.user)
                    if not password:
                        raise SettingsRejectedError(
                            f"no password for {s.user}: set IMGCOACH_SMTP_PASSWORD or store it in the system "
                            "keyring (service 'imgcoach')",
                            connection_lost=True,
                        )
                    smtp.login(s.user, password)
            except BaseException:
                smtp.close()
                raise
        except Exception as exc:
            self._smtp = None
            mismatch = self._security_mismatch(exc, greeted)
            raise (TemporaryDeliveryError(mismatch, connection_lost=True) if mismatch
                   else classify(exc, self.description, "connect")) from exc
        self._smtp = smtp
        self._sent_on_connection = 0

    def _security_mismatch(self, exc: BaseException, greeted: bool) -> str:
        """The one line for a server that speaks the other way than smtp.security, else "". Without it, the
        wait for a greeting a TLS port never sends read as "HOST closed the connection" (it closed nothing),
        and TLS spoken to a plain port as a bare "wrong version number"; neither named the setting."""
        s, where = self.settings, self.description
        if s.security == "tls" and isinstance(exc, ssl.SSLError) and exc.reason == "WRONG_VERSION_NUMBER":
            return (f"TLS error with {where}: {exc}: the server did not answer in TLS; a port that starts in plain "
                    'text (587, 25) needs security = "starttls" (check smtp.security)')
        if (s.security != "tls" and not greeted and isinstance(exc, smtplib.SMTPServerDisconnected)
                and isinstance(exc.__context__, TimeoutError)):
            return (f"{where} sent no greeting within {s.timeout:g} s; a port that starts TLS at once (465) needs "
                    'security = "tls" (check smtp.security)')
        return ""

    def _wait(self, seconds: float, *, at_least: bool = False) -> None:
        """The timeout of the next wait on the server. ``settimeout`` is a system call (an ioctl) that gives the
        GIL away to the other lanes, four times a message when every stage set its own: it is called only when
        the value changes, and with ``at_least`` (the DATA and data-block waits, whose RFC 5321 values are
        minimums and not user settings) a longer timeout already set is kept. The MAIL/RCPT and final-dot
        waits get exactly their configured timeouts: two calls a message."""
        sock = self._smtp.sock if self._smtp is not None else None
        if sock is None:
            return
        current = sock.gettimeout()  # a plain read of the socket object: no system call
        if current == seconds or (at_least and current is not None and current > seconds):
            return
        sock.settimeout(seconds)

    def _transaction(self, envelope: Envelope, data: bytes, before_final: BeforeFinal | None) -> None:
        """MAIL, RCPT, DATA, the message and the final dot, each with its own RFC 5321 timeout."""
        smtp, s = self._smtp, self.settings
        assert smtp is not None
        self.stage = "mail"
        self._wait(s.command_timeout)
        # MAIL and RCPT without smtplib's quoteaddr, which parses each address again (the builder checked them)
        smtp.putcmd("mail", f"FROM:<{envelope.sender}>")
        code, text = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, envelope.sender)
        self.stage = "rcpt"
        refused = {}
        for rcpt in envelope.recipients:
            smtp.putcmd("rcpt", f"TO:<{rcpt}>")
            code, text = smtp.getreply()
            if code not in (250, 251):
                refused[rcpt] = (code, text)
        if len(refused) == len(envelope.recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        self.stage = "data"
        self._wait(s.data_start_timeout, at_least=True)
        smtp.putcmd("data")
        code, text = smtp.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, text)
        self._wait(s.data_block_timeout, at_least=True)
        body = _dot_stuffed(data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        if before_final is None or before_final(False):
            # Free to end the message now: the text and its final dot in one write (one system call, one read
            # for the server); a send that fails part way never completed the dot, as below.
            smtp.send(body + b".\r\n")
        else:
            smtp.send(body)
            before_final(True)
            smtp.send(b".\r\n")
        self.stage = "dot"  # from here on the server may have the message: its fate is unknown until 250
        self._wait(s.data_timeout)
        code, text = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, text)

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def send(self, msg: Message, envelope: Envelope | None = None, *,
             before_final: BeforeFinal | None = None) -> None:
        """Send one message; raises DeliveryError. A connection the server dropped while idle is reopened once.

        Without an ``envelope`` it is taken from the From and To headers.
        """
        if envelope is None:
            envelope = envelope_of(msg)
        data = message_bytes(msg)
        for attempt in (1, 2):
            if self._aborted:
                raise TemporaryDeliveryError(f"{self.description}: sending stopped (shutting down)",
                                             connection_lost=True)
            self.stage = "connect"
            if self._smtp is None:
                self.open()
            reused = self._sent_on_connection > 0
            try:
                self._transaction(envelope, data, before_final)
            except Exception as exc:
                stage = self.stage
                error = classify(exc, self.description, stage)
                # (smtplib's exceptions are OSErrors too; a reply with a code is not a lost connection,
                # unless we broke the connection ourselves or the "reply" is not one: a dripping server)
                garbled = isinstance(exc, smtplib.SMTPResponseException) and not 400 <= exc.smtp_code < 600
                replied = isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
                if self._aborted or garbled or (isinstance(exc, OSError) and not replied):
                    if not isinstance(error, TemporaryDeliveryError) or error.settings_problem:
                        error = TemporaryDeliveryError(f"{self.description}: connection broken: {exc}")
                    error.connection_lost = True
                    error.unknown = stage == "dot"
                    if stage == "dot":
                        error.reply = (f"{self.description} got the whole message but its reply to the final dot "
                                       f"never came ({exc}); it may have arrived")
                if error.connection_lost or self._aborted:
                    self._drop()
                    # An idle connection the server closed: nothing of this message went out, send it once more.
                    if attempt == 1 and reused and stage == "mail" and not self._aborted \
                            and isinstance(exc, smtplib.SMTPServerDisconnected):
                        continue
                raise error from exc
            self._sent_on_connection += 1
            return

    def abort(self) -> None:
        """Break the connection from another thread: a blocked read returns at once with an error."""
        self._aborted = True
        smtp = self._smtp
        sock = smtp.sock if smtp is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._wait(min(self.settings.timeout, 10.0))  # a polite QUIT must not hold up shutdown
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

    def send(self, msg: Message, envelope: Envelope | None = None, *,
             before_final: BeforeFinal | None = None) -> None:
        if before_final is not None:
            before_final(True)
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

    def abort(self) -> None:
        """A local write cannot stall on a server; nothing to break."""


def envelope_of(msg: Message) -> Envelope:
    """The envelope of a message built by imgcoach.reminders.mail.message (one From, one To)."""
    from email.utils import getaddresses

    sender = getaddresses([str(msg["Sender"] or msg["From"])])[0][1]
    recipients = tuple(a for _, a in getaddresses([str(v) for v in msg.get_all("To", [])]) if a)
    return Envelope(sender, recipients)


def open_transport(settings: MailSettings, *, ssl_context: ssl.SSLContext | None = None) -> Transport:
    """The transport the settings ask for (not yet connected)."""
    if settings.smtp is None:
        return MaildirTransport(settings.maildir)
    return SmtpTransport(
        settings.smtp, password_source=settings.password_source or password_for, ssl_context=ssl_context
    )

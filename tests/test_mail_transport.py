"""Transports against a real aiosmtpd server on loopback and a real Maildir: success, 421, 550, TLS, login."""

from __future__ import annotations

import mailbox
import re
import shutil
import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgcoach.reminders.mail.errors import (
    PermanentDeliveryError,
    SettingsRejectedError,
    TemporaryDeliveryError,
)
from imgcoach.reminders.mail.settings import SmtpSettings
from imgcoach.reminders.mail.transport import MaildirTransport, SmtpTransport, _dot_stuffed
from tests.mail_build import build
from tests.mail_samples import sample
from tests.smtp_server import SmtpServer, free_port


def _plain(server: SmtpServer, **kw: object) -> SmtpTransport:
    return SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none", timeout=5, **kw))


def test_batch_uses_one_connection_and_messages_parse() -> None:
    with SmtpServer() as server, _plain(server) as transport:
        for i in range(3):
            transport.send(build(sample(reminder_id=i)))
    assert len(server.received) == 3
    assert len({r.peer for r in server.received}) == 1
    msg = server.received[0].message
    assert server.received[0].rcpt_tos == ["amira@example.org"]
    assert msg["Message-ID"] == "<reminder-0.abc123@imgcoach.invalid>"
    cal_part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(cal_part.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == "reminder-0-abc123@imgcoach.invalid"


def test_550_for_recipient_is_permanent_and_the_connection_survives() -> None:
    with SmtpServer() as server, _plain(server) as transport:
        server.handler.rcpt_replies.append("550 5.1.1 <amira@example.org>: Recipient address rejected")
        with pytest.raises(PermanentDeliveryError) as info:
            transport.send(build(sample(reminder_id=1)))
        assert "550 5.1.1 <amira@example.org>: Recipient address rejected" in info.value.reply
        assert not info.value.temporary
        transport.send(build(sample(reminder_id=2)))
    assert [r.message["Message-ID"] for r in server.received] == ["<reminder-2.abc123@imgcoach.invalid>"]


def test_421_is_temporary_and_the_next_send_reconnects() -> None:
    with SmtpServer() as server, _plain(server) as transport:
        server.handler.data_replies.append("421 4.3.2 Service shutting down, try later")
        with pytest.raises(TemporaryDeliveryError) as info:
            transport.send(build(sample(reminder_id=1)))
        assert "421 4.3.2" in info.value.reply and info.value.connection_lost
        transport.send(build(sample(reminder_id=1)))
    assert len(server.received) == 1


def test_451_on_data_is_temporary() -> None:
    with SmtpServer() as server, _plain(server) as transport:
        server.handler.data_replies.append("451 4.7.1 Greylisted, come back later")
        with pytest.raises(TemporaryDeliveryError, match="451 4.7.1 Greylisted"):
            transport.send(build())


def test_unreachable_host_is_temporary() -> None:
    transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=2))
    with pytest.raises(TemporaryDeliveryError, match="cannot reach 127.0.0.1:.*refused"):
        transport.send(build())


def test_login_refused_and_accepted() -> None:
    with SmtpServer(users={"amira": "right"}) as server:
        bad = _plain(server, user="amira")
        bad._password_source = lambda user: "wrong"
        # A refused login is a settings problem: every reminder stays pending, the user fixes the login.
        with pytest.raises(SettingsRejectedError, match="login refused by 127.0.0.1:.*535.*mail test") as info:
            bad.send(build())
        assert info.value.temporary and info.value.settings_problem
        missing = _plain(server, user="amira")
        missing._password_source = lambda user: None
        with pytest.raises(SettingsRejectedError, match="IMGCOACH_SMTP_PASSWORD"):
            missing.send(build())
        with SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none", user="amira"),
                           password_source=lambda user: "right") as good:
            good.send(build())
    assert len(server.received) == 1


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl binary not available")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def test_implicit_tls_verifies_the_certificate(self_signed: tuple[Path, Path]) -> None:
    cert, key = self_signed
    with SmtpServer(ssl_context=_server_context(cert, key)) as server:
        settings = SmtpSettings(host=server.host, port=server.port, security="tls", timeout=5)
        with pytest.raises(TemporaryDeliveryError, match="certificate of 127.0.0.1:.* not trusted"):
            SmtpTransport(settings).send(build())
        trusting = ssl.create_default_context(cafile=str(cert))
        with SmtpTransport(settings, ssl_context=trusting) as transport:
            transport.send(build())
    assert len(server.received) == 1


def test_starttls_verifies_the_certificate(self_signed: tuple[Path, Path]) -> None:
    cert, key = self_signed
    with SmtpServer(tls_context=_server_context(cert, key)) as server:
        settings = SmtpSettings(host=server.host, port=server.port, security="starttls", timeout=5)
        with pytest.raises(TemporaryDeliveryError, match="not trusted"):
            SmtpTransport(settings).send(build())
        with SmtpTransport(settings, ssl_context=ssl.create_default_context(cafile=str(cert))) as transport:
            transport.send(build())
    assert len(server.received) == 1


def test_maildir_transport_writes_a_readable_message(tmp_path: Path) -> None:
    path = tmp_path / "data" / "Maildir"
    with MaildirTransport(path) as transport:
        transport.send(build(sample(reminder_id=3)))
        transport.send(build(sample(reminder_id=4)))
    box = mailbox.Maildir(path, create=False)
    ids = sorted(message_from_bytes(box.get_bytes(k), policy=policy.default)["Message-ID"] for k in box.iterkeys())
    assert ids == ["<reminder-3.abc123@imgcoach.invalid>", "<reminder-4.abc123@imgcoach.invalid>"]


def test_maildir_transport_reports_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(TemporaryDeliveryError, match="cannot write to Maildir"):
        MaildirTransport(blocker / "Maildir").send(build())


def test_lines_starting_with_a_dot_arrive_unchanged() -> None:
    """Dot-stuffing (RFC 5321 4.5.2): a body line "." alone would otherwise end the message early, and
    ".sig" would lose its dot at the server."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "reminders@example.org", "amira@example.org", "dots"
    msg["Message-ID"] = "<dots.1@imgcoach.invalid>"
    text = ".first\n.\n..two dots\nmiddle . line\n.\n.last\n"
    msg.set_content(text, cte="7bit")
    with SmtpServer() as server, _plain(server) as transport:
        transport.send(msg)
    assert server.received[0].message.get_content().replace("\r\n", "\n") == text


@given(st.binary(max_size=200).map(lambda b: b.replace(b"\r", b"")) | st.lists(
    st.sampled_from([b".", b"..", b"a", b"\r\n", b"\n", b". x"]), max_size=20).map(b"".join))
def test_dot_stuffing_matches_the_rfc_rule(data: bytes) -> None:
    assert _dot_stuffed(data) == re.sub(rb"(?m)^\.", b"..", data)


def _recorded_sends(transport: SmtpTransport) -> list[bytes]:
    """Open the connection and record every write the transport makes on it."""
    transport.open()
    smtp = transport._smtp
    assert smtp is not None
    sends: list[bytes] = []
    original = smtp.send

    def send(data: bytes | str) -> None:
        sends.append(data if isinstance(data, bytes) else data.encode("ascii"))
        original(data)

    smtp.send = send  # type: ignore[method-assign]
    return sends


@pytest.mark.parametrize("free", [True, False])
def test_the_text_and_its_final_dot_go_in_one_write_only_when_the_place_before_the_dot_is_free(free: bool) -> None:
    """The daemon's gate (one message between its final dot and its record): when the place is free the text
    and the dot go out in one write; when it is taken the text goes first, the transport waits, then the dot.
    Either way the server receives the same bytes, the email package's own."""
    from imgcoach.reminders.mail.message import message_bytes

    msg = build(sample(reminder_id=7))
    calls: list[bool] = []

    def before_final(wait: bool) -> bool:
        calls.append(wait)
        return free or wait

    with SmtpServer() as server, _plain(server) as transport:
        sends = _recorded_sends(transport)
        transport.send(msg, before_final=before_final)
        sends = sends[:]  # not the QUIT at the end
    assert calls == ([False] if free else [False, True])
    body = _dot_stuffed(message_bytes(msg))
    body += b"" if body.endswith(b"\r\n") else b"\r\n"
    assert sends[-1:] == [body + b".\r\n"] if free else sends[-2:] == [body, b".\r\n"]
    assert server.received[0].raw.replace(b"\r\n", b"\n") == message_bytes(msg).replace(b"\r\n", b"\n")


class _TimeoutLog:
    """The transport's real socket, recording each settimeout and, per write, the timeout it was made under
    (the timeout set before a command is the one its reply is waited with)."""

    def __init__(self, sock: object) -> None:
        self._sock = sock
        self.events: list[tuple[str, float | None]] = []

    def settimeout(self, value: float | None) -> None:
        self.events.append(("settimeout", value))
        self._sock.settimeout(value)  # type: ignore[attr-defined]

    def sendall(self, data: bytes) -> None:
        word = data.split(b" ", 1)[0].split(b":", 1)[0].strip().lower().decode("ascii", "replace")
        self.events.append((word if word in ("mail", "rcpt", "data") else "text", self._sock.gettimeout()))  # type: ignore[attr-defined]
        self._sock.sendall(data)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._sock, name)


@pytest.mark.parametrize(("command", "data_start", "expected"), [
    # the defaults' order (MAIL/RCPT longer than DATA's and the data block's minimum): two calls a message
    (30.0, 20.0, [("settimeout", 30.0), ("mail", 30.0), ("rcpt", 30.0), ("data", 30.0), ("text", 30.0),
                  ("settimeout", 60.0)]),
    # a short command timeout: DATA and the data block still get at least their own
    (10.0, 20.0, [("settimeout", 10.0), ("mail", 10.0), ("rcpt", 10.0), ("settimeout", 20.0), ("data", 20.0),
                  ("settimeout", 25.0), ("text", 25.0), ("settimeout", 60.0)]),
])
def test_each_wait_gets_its_timeout_with_a_system_call_only_where_it_changes(
        command: float, data_start: float, expected: list[tuple[str, float]]) -> None:
    """MAIL and RCPT wait exactly command_timeout, the final dot exactly data_timeout; DATA and the data block at
    least their RFC 5321 minimums. settimeout (an ioctl that gives the GIL away) ran four times a message."""
    with SmtpServer() as server, _plain(server, command_timeout=command, data_start_timeout=data_start,
                                        data_block_timeout=25.0, data_timeout=60.0) as transport:
        transport.open()
        assert transport._smtp is not None
        log = _TimeoutLog(transport._smtp.sock)
        transport._smtp.sock = log  # type: ignore[assignment]
        for i in range(3):
            transport.send(build(sample(reminder_id=i)))
        events = log.events[:]
    assert len(server.received) == 3
    assert events == expected * 3

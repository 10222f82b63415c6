"""A real SMTP server on loopback (aiosmtpd) for mail tests: records messages, can be told to refuse."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    peer: Any = None
    message_id: str = ""
    at: float = 0.0  # time.monotonic() when the final dot arrived

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Accepts everything unless ``mail_replies``/``rcpt_replies``/``data_replies`` hold canned replies (used
    first-in first-out). ``data_delays`` makes the server misbehave for chosen messages: after the final dot
    of a message whose Message-ID is a key, it waits that many seconds before its reply (it has the message,
    as a slow or stalled real server would), or drips one byte of reply every ``drip`` seconds.
    ``first_delay`` does the same for whichever message arrives first, for tests that must not depend on the
    order in which a client's threads reach the server. ``hold_first`` holds the reply to the final dot of the
    first that many messages until ``release`` is set: a test waits for what happens meanwhile, not for a time."""

    received: list[Received] = field(default_factory=list)
    mail_replies: deque[str] = field(default_factory=deque)
    rcpt_replies: deque[str] = field(default_factory=deque)
    data_replies: deque[str] = field(default_factory=deque)
    data_delays: dict[str, float] = field(default_factory=dict)
    drip: float | None = None
    first_delay: float = 0.0
    hold_first: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any) -> str:
        with self.lock:
            if self.mail_replies:
                return self.mail_replies.popleft()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        with self.lock:
            if self.rcpt_replies:
                return self.rcpt_replies.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.data_replies:
                return self.data_replies.popleft()
            headers = BytesHeaderParser(policy=policy.default).parsebytes(envelope.content)
            message_id = str(headers["Message-ID"])
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.peer,
                                          message_id, time.monotonic()))
            self.arrived.notify_all()
            delay = self.data_delays.get(message_id, 0.0) or (self.first_delay if len(self.received) == 1 else 0.0)
            held = len(self.received) <= self.hold_first
        while held and not self.release.is_set():  # other connections are served meanwhile
            await asyncio.sleep(0.01)
        if delay and self.drip:
            end = time.monotonic() + delay
            while time.monotonic() < end:  # a dripping server: one byte at a time, never a whole line
                server.transport.write(b"2")
                await asyncio.sleep(self.drip)
        elif delay:
            await asyncio.sleep(delay)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [r.message_id for r in self.received]


class SmtpServer:
    """Context manager running aiosmtpd in a thread on 127.0.0.1:<free port>."""

    def __init__(self, *, users: dict[str, str] | None = None, ssl_context: Any = None,
                 tls_context: Any = None) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.host = "127.0.0.1"
        kwargs: dict[str, Any] = {}
        if users is not None:
            def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
                ok = isinstance(auth_data, LoginPassword) and users.get(auth_data.login.decode()) == \
                    auth_data.password.decode()
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=authenticate, auth_require_tls=False)
        if tls_context is not None:
            kwargs.update(tls_context=tls_context)
        self.controller = Controller(self.handler, hostname=self.host, port=self.port,
                                     ssl_context=ssl_context, server_hostname="localhost", **kwargs)

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

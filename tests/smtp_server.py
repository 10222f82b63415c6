"""A real SMTP server on loopback (aiosmtpd) for mail tests: records messages, can be told to refuse."""

from __future__ import annotations

import socket
import threading
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

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Accepts everything unless ``rcpt_replies``/``data_replies`` hold canned replies (used first-in first-out)."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: deque[str] = field(default_factory=deque)
    data_replies: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

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
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.peer,
                                          str(headers["Message-ID"])))
            self.arrived.notify_all()
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

"""A security setting the server does not speak says so, with what to change (`mail test` and the daemon share
`transport.classify`).

Found by walking the mail settings against real servers on loopback: `security = "starttls"` against a port that
starts TLS at once (465) said "HOST:PORT closed the connection: Connection unexpectedly closed: timed out" (the
server closed nothing: it waited for a TLS hello while we waited for its greeting), and `security = "tls"`
against a plain port (587, 25) said "TLS error ...: [SSL: WRONG_VERSION_NUMBER] wrong version number", both
without a word about smtp.security. Real aiosmtpd servers, a real certificate."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from imgcoach.reminders.mail.errors import TemporaryDeliveryError
from imgcoach.reminders.mail.settings import SmtpSettings
from imgcoach.reminders.mail.transport import SmtpTransport
from tests.mail_build import build
from tests.smtp_server import SmtpServer


@pytest.fixture(scope="module")
def tls_server_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl binary not available")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_against_a_port_that_starts_tls_at_once_says_to_check_security(
        tls_server_context: ssl.SSLContext) -> None:
    with SmtpServer(ssl_context=tls_server_context) as server:  # port 465's way: TLS from the first byte
        settings = SmtpSettings(host=server.host, port=server.port, security="starttls", timeout=1)
        with pytest.raises(TemporaryDeliveryError) as caught:
            SmtpTransport(settings).send(build())
    message = str(caught.value)
    assert "closed the connection" not in message, message
    assert f"{server.host}:{server.port} sent no greeting within 1 s" in message, message
    assert 'security = "tls"' in message and "check smtp.security" in message, message


def test_tls_against_a_plain_port_says_to_check_security() -> None:
    with SmtpServer() as server:  # port 587's or 25's way: plain text first
        settings = SmtpSettings(host=server.host, port=server.port, security="tls", timeout=2)
        with pytest.raises(TemporaryDeliveryError) as caught:
            SmtpTransport(settings).send(build())
    message = str(caught.value)
    assert message.startswith(f"TLS error with {server.host}:{server.port}: "), message
    assert "did not answer in TLS" in message and 'security = "starttls"' in message, message
    assert "check smtp.security" in message, message

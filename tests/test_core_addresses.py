"""One e-mail validator for the profile, contacts and outreach (issue 16.5): what it accepts is sendable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from imgcoach.core.addresses import EmailAddress, validate_email
from imgcoach.core.errors import FieldError
from imgcoach.reminders.mail.headers import check_address


@pytest.mark.parametrize(("typed", "address"), [
    ("a@b.com", "a@b.com"),
    ("  ann.lee@example.org ", "ann.lee@example.org"),
    ("Ann.Lee+img@Example.COM", "Ann.Lee+img@example.com"),  # the local part keeps its case (RFC 5321)
    ("o'brien@hospital.ie", "o'brien@hospital.ie"),
    ("first_last-1@sub.dept.uni.edu", "first_last-1@sub.dept.uni.edu"),
    ("x@b\u00fccher.de", "x@xn--bcher-kva.de"),  # IDN domain encoded to punycode
    ("x@B\u00dcCHER.de", "x@xn--bcher-kva.de"),
    ("x@stra\u00dfe.de", "x@xn--strae-oqa.de"),  # IDNA 2008 keeps the sharp s; IDNA 2003 would say strasse.de
    ("x@xn--bcher-kva.de", "x@xn--bcher-kva.de"),
])
def test_ascii_local_parts_are_accepted_and_sendable(typed: str, address: str) -> None:
    result = validate_email(typed, "--email")
    assert result == EmailAddress(address, *address.split("@"), needs_smtputf8=False)
    assert check_address(result.address) == address  # the mail builder takes what the validator returns


@pytest.mark.parametrize(("typed", "address"), [
    ("jos\u00e9@example.com", "jos\u00e9@example.com"),
    ("jose\u0301@example.com", "jos\u00e9@example.com"),  # normalised to NFC
    ("\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a", "\u7528\u6237@xn--fsqu00a.xn--4rr70v"),
])
def test_non_ascii_local_parts_are_flagged_as_needing_smtputf8(typed: str, address: str) -> None:
    result = validate_email(typed, "--email")
    assert result.address == address
    assert result.needs_smtputf8 is True


@pytest.mark.parametrize(("typed", "why"), [
    ("mailto:a@b.com", "mailto"),
    ("MAILTO:a@b.com", "mailto"),
    (".a@b.com", "starts or ends with a dot"),
    ("a.@b.com", "starts or ends with a dot"),
    ("a..b@c.com", "two dots in a row"),
    ("Evil <x@y>", "without a name"),
    ("<x@y.com>", "angle brackets"),
    ("a@b.com, c@d.com", "one address"),
    ("a@b.com;c@d.com", "one address"),
    ("a@b.com c@d.com", "spaces"),
    ("a@b.com\r\nBcc: victim@example.com", "line break"),
    ("a@b.com\n", "line break"),
    ("a\r@b.com", "line break"),
    ("a@b.com\x00", "control character"),
    ("a@b\u2028.com", "control character"),
    ("a@localhost", "no dot"),
    ("a@b", "no dot"),
    ("a@", "nothing after the @"),
    ("@b.com", "nothing before the @"),
    ("a@b@c.com", "exactly one @"),
    ("ab.com", "no @"),
    ("", "empty"),
    ("   ", "empty"),
    ('"a b"@c.com', "quotes"),
    ("a(comment)@c.com", "parentheses"),
    ("a@[192.0.2.1]", "IP address"),
    ("a@1.2.3.4", "ends in a number"),
    ("a@b..com", "two in a row"),
    ("a@.b.com", "starts or ends with a dot"),
    ("a@b.com.", "starts or ends with a dot"),
    ("a@-b.com", "letters, digits, hyphens"),
    ("a@b_c.com", "letters, digits, hyphens"),
    ("a@xn--a.com", "punycode"),
    ("a[1]@b.com", "not allowed"),
    ("x" * 65 + "@b.com", "64 bytes"),
    ("a@" + "b" * 64 + ".com", "letters, digits, hyphens"),
    ("a@" + ".".join(["b" * 60] * 5) + ".com", "longer than 253"),
])
def test_refusals_name_the_field_and_the_value_on_one_line(typed: str, why: str) -> None:
    with pytest.raises(FieldError) as caught:
        validate_email(typed, "contact e-mail")
    error = caught.value
    assert error.field == "contact e-mail"
    assert error.value == typed
    assert why in str(error)
    assert str(error).startswith("contact e-mail: not a valid e-mail address")
    assert "\n" not in str(error) and "\r" not in str(error)


@pytest.mark.parametrize("value", [None, 5, b"a@b.com"])
def test_non_text_is_refused(value: object) -> None:
    with pytest.raises(FieldError, match="expected text"):
        validate_email(value)


def test_the_core_modules_are_pure() -> None:
    """No database, UI or CLI stack behind the vocabularies: any layer may import them cheaply."""
    code = (
        "import sys\n"
        "import imgcoach.core.addresses, imgcoach.core.vocab.exams, imgcoach.core.vocab.countries\n"
        "import imgcoach.core.vocab.specialties\n"
        "heavy = ('sqlmodel', 'sqlalchemy', 'alembic', 'textual', 'rich', 'click', 'jinja2', 'apscheduler')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""

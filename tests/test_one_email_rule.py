"""Every typed e-mail address passes one rule (core.addresses), wherever it is typed.

Found by a new user's sequence: `profile set --email "a..b@example.com"` and a contact's
"mailto:dr@example.org" were stored (a regex in plan.rules.validation), while the same addresses were refused
for outreach (core.addresses). SMTP servers refuse such an address, so the daemon's first reminder failed
months after the address was accepted.
"""

from __future__ import annotations

import pytest

from imgcoach.coach import add_outreach
from imgcoach.core.addresses import validate_email
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.plan.people import add_contact, edit_contact, list_contacts
from imgcoach.plan.profile import add_applicant, get_profile, set_profile
from tests.cli_helpers import database_state, run_cli

REFUSED = ["a..b@example.com", "mailto:dr@example.org", "Dr Okafor <okafor@example.org>", "x@localhost",
           "x@[127.0.0.1]", "one@example.org, two@example.org", ".x@example.org", "x@example..org"]


@pytest.mark.parametrize("typed", REFUSED)
def test_each_place_refuses_what_the_rule_refuses(ctx: Context, typed: str) -> None:
    with pytest.raises(FieldError):
        validate_email(typed)
    for where in (lambda: set_profile(ctx, email=typed),
                  lambda: add_contact(ctx, "Dr. Test Writer", email=typed),
                  lambda: add_outreach(ctx, "Riverside General (fictional)", contact_email=typed),
                  lambda: add_applicant(ctx, name="Second Applicant", email=typed, timezone="UTC")):
        with pytest.raises(UserError, match="not a valid e-mail address"):
            where()
    profile = get_profile(ctx)
    assert profile is not None and profile.email == "applicant@example.com"
    assert list_contacts(ctx) == []


def test_an_address_is_kept_in_the_form_it_is_sent_to(ctx: Context) -> None:
    """Domain in lower-case ASCII (IDNA 2008), spaces trimmed: the same form outreach keeps."""
    assert set_profile(ctx, email="  Ana.Silva@Example.ORG ").email == "Ana.Silva@example.org"
    contact = add_contact(ctx, "Dr. Test Writer", email="writer@Bücher.example")
    assert contact.email == "writer@xn--bcher-kva.example"
    assert contact.id is not None
    assert edit_contact(ctx, contact.id, email="Writer@EXAMPLE.org").contact.email == "Writer@example.org"
    second = add_applicant(ctx, name="Second Applicant", email="second@Example.org", timezone="UTC")
    assert second.email == "second@example.org"


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str) -> None:
    assert run_cli(capsys, "profile", "show", "--db", db_url).code == 0  # the first CLI close checkpoints the WAL
    before = database_state(db_url)
    for args in (("profile", "set", "--email", "a..b@example.com"),
                 ("contacts", "add", "--name", "Dr. Test Writer", "--email", "mailto:dr@example.org")):
        refused = run_cli(capsys, *args[:2], "--db", db_url, *args[2:])
        assert refused.code == 2, refused.err
        assert "not a valid e-mail address" in refused.err and refused.err.count("\n") == 1
    assert database_state(db_url) == before

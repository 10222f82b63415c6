"""The visa need is typed and read in the words the profile shows ("J-1 or H-1B"), not only as codes.

A new user copied "J-1 or H-1B" from `profile show` into `profile set --visa` and was refused with a list of
codes ("'j1_or_h1b'"); the app's form and profile pane showed those codes too.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError
from imgcoach.plan import VISA_WORDS, VISAS, get_profile, parse_visa
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize(("typed", "code"), [
    ("J-1 or H-1B", "j1_or_h1b"), ("j1 or h1b", "j1_or_h1b"), ("H-1B or J-1", "j1_or_h1b"), ("either", "j1_or_h1b"),
    ("J-1", "j1"), ("J1", "j1"), ("h-1b", "h1b"), ("H1B", "h1b"), ("no visa needed", "none"), ("none", "none"),
    *[(code, code) for code in VISAS], *[(words, code) for code, words in VISA_WORDS.items()],
])
def test_words_and_codes_name_the_same_need(typed: str, code: str) -> None:
    assert parse_visa(typed) == code


@pytest.mark.parametrize("typed", ["L-1", "", "O-1", "J-2", "green card"])
def test_other_visas_are_refused_naming_the_accepted_words(typed: str) -> None:
    with pytest.raises(FieldError, match="J-1 or H-1B"):
        parse_visa(typed)


def test_cli_takes_what_profile_show_prints(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    created = run_cli(capsys, "profile", "set", "--db", db_url, "--visa", "J-1 or H-1B")
    assert created.code == 0, created.err
    shown = run_cli(capsys, "profile", "show", "--db", db_url)
    assert "J-1 or H-1B" in shown.out and "j1_or_h1b" not in shown.out
    profile = get_profile(ctx)
    assert profile is not None and profile.visa == "j1_or_h1b"
    before = database_state(db_url)
    refused = run_cli(capsys, "profile", "set", "--db", db_url, "--visa", "L-1")
    assert refused.code == 2 and "unknown visa need" in refused.err and "J-1 or H-1B" in refused.err
    assert database_state(db_url) == before

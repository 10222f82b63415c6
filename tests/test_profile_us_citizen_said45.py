"""`profile show` says "not said" of a citizenship nobody gave, not "U.S. citizen: no".

Found on stop 45's walk: a profile made without --us-citizen or --not-us-citizen showed "U.S. citizen: no", since
the column defaults to false. A flag now keeps what was said (upgrade 0015_us_citizen_said): profiles stored
before it with true were said (nothing else sets it) and stay "yes" (no row is rewritten); a stored false cannot be told from one never
asked, so it becomes "not said", and the words say the shortlist still counts the applicant as a non-U.S. IMG.
Real SQLite through the CLI, the context's fixed clock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.db import Database
from tests.cli_helpers import run_cli
from tests.migration_helpers import migrate_file

NOT_SAID = ("U.S. citizen not said (the shortlist counts you as a non-U.S. IMG; set it: imgcoach profile set "
            "--us-citizen or --not-us-citizen)")


def _citizen_line(capsys: pytest.CaptureFixture[str], db_url: str, *who: str) -> str:
    out = run_cli(capsys, "profile", "show", "--db", db_url, *who).out
    (line,) = [x for x in out.splitlines() if "U.S. citizen" in x]
    return " ".join(line.split())


def test_a_citizenship_never_given_is_not_said_and_a_given_no_is_no(
    empty_ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    assert run_cli(capsys, "profile", "set", "--name", "New User", "--email", "new@example.org",
                   "--db", db_url).code == 0
    assert _citizen_line(capsys, db_url) == NOT_SAID
    assert run_cli(capsys, "profile", "set", "--graduation-year", "2022", "--db", db_url).code == 0
    assert _citizen_line(capsys, db_url) == NOT_SAID  # another field set says nothing of citizenship
    assert run_cli(capsys, "profile", "set", "--not-us-citizen", "--db", db_url).code == 0
    assert _citizen_line(capsys, db_url) == "U.S. citizen no"
    assert run_cli(capsys, "profile", "set", "--us-citizen", "--db", db_url).code == 0
    assert _citizen_line(capsys, db_url) == "U.S. citizen yes"


def _migrate_to(path: Path, revision: str) -> None:
    from alembic import command

    migrate_file(path, command.upgrade, revision)


@pytest.mark.sqlite_only  # an SQLite file at an older revision
def test_the_upgrade_keeps_a_stored_yes_and_makes_a_stored_false_not_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    path = tmp_path / "old.sqlite"
    _migrate_to(path, "0014_import_links")
    with sqlite3.connect(path) as raw:
        for name, citizen in (("Yes User", 1), ("False User", 0)):
            raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, "
                        "target_specialties, target_countries, target_states, home_states, cv_path, "
                        "personal_statement_path, synthetic, us_citizen) VALUES (?, ?, 'UTC', '', '', 'none', '[]', "
                        "'[]', '[]', '[]', '', '', 0, ?)", (name, f"{citizen}@example.org", citizen))
    url = f"sqlite:///{path}"
    Database(url).close()  # upgrades to the head
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT name, us_citizen, us_citizen_said FROM applicant ORDER BY id").fetchall() == [
            ("Yes User", 1, 0), ("False User", 0, 0)]  # a true needs no flag: nothing but saying it sets it
    assert _citizen_line(capsys, url, "--applicant", "1@example.org") == "U.S. citizen yes"
    assert _citizen_line(capsys, url, "--applicant", "0@example.org") == NOT_SAID

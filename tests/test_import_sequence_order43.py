"""An invitation's e-mails imported out of order: the highest SEQUENCE wins (RFC 5546), and a cancellation that
matches nothing says so.

Found in stop 43: an applicant saved a program's three e-mails (the first invitation, its cancellation, and the
new day) and imported them in the order the file names sort. The first invitation (SEQUENCE 0), imported after
the new day (SEQUENCE 2), put the interview back on its first day without a word; the cancellation (SEQUENCE 1),
imported after the new day, removed the interview the program had just re-offered. And a cancellation of an event
never imported said "0 created, 0 updated, 0 unchanged, 0 removed, 0 skipped" and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

ICS = Path(__file__).parent / "data" / "ics"
FIRST, MOVED, CANCELLED = (ICS / f"interview_invitation_{n}.ics" for n in ("seq0_invite", "seq2_moved",
                                                                            "seq1_cancelled"))
UID = "ti-8842913-20261215@interviews.example"


def _events(capsys: pytest.CaptureFixture[str], db: str) -> list[dict[str, object]]:
    return [e for e in run_cli(capsys, "events", "list", "--json", "--db", db).json() if e["uid"] == UID]


def test_an_older_invitation_or_cancellation_leaves_the_newer_day(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                  db_url: str) -> None:
    assert run_cli(capsys, "import", str(MOVED), "--db", db_url).code == 0
    (held,) = _events(capsys, db_url)
    res = run_cli(capsys, "import", str(FIRST), "--db", db_url)
    assert res.code == 0
    assert "an older version (SEQUENCE 0) of an event imported at SEQUENCE 2: the newer one is kept" in res.err
    assert "suggestions" not in res.out, "the older days are not offered either"
    assert _events(capsys, db_url) == [held]
    res = run_cli(capsys, "import", str(CANCELLED), "--db", db_url)
    assert res.code == 0
    assert "an older cancellation (SEQUENCE 1) of an event imported at SEQUENCE 2: the newer version is kept" in res.err
    assert _events(capsys, db_url) == [held]


def test_in_the_order_sent_each_e_mail_does_what_it_says(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                         db_url: str) -> None:
    """The companion: the invitation, its cancellation, then the new day (passes before and after)."""
    assert run_cli(capsys, "import", str(FIRST), "--db", db_url).code == 0
    (first,) = _events(capsys, db_url)
    assert run_cli(capsys, "import", str(CANCELLED), "--db", db_url).code == 0
    assert _events(capsys, db_url) == []
    assert run_cli(capsys, "import", str(MOVED), "--db", db_url).code == 0
    (moved,) = _events(capsys, db_url)
    assert (moved["start_at"], moved["sequence"]) != (first["start_at"], first["sequence"])


def test_a_cancellation_of_an_event_never_imported_says_so(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                           db_url: str) -> None:
    res = run_cli(capsys, "import", str(CANCELLED), "--db", db_url, "--json")
    assert res.code == 0
    said = json.loads(res.out)
    warnings = said["warnings"] if isinstance(said, dict) else said[0]["warnings"]
    assert any("a cancellation of an event you have not imported: nothing was removed" in str(w) for w in warnings)

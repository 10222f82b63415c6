"""`applicants remove` names the reminders it deletes with the applicant (before, it deleted them unsaid, where
`rotations remove` and `contacts remove` name what they cancel). Real databases, the CLI in process."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _with_reminders(capsys: pytest.CaptureFixture[str], db_url: str, email: str) -> list[dict[str, object]]:
    """A new applicant with a rotation, and the pending reminders it planned (in `reminders list` order)."""
    assert run_cli(capsys, "applicants", "add", "--db", db_url, "--name", email.split("@")[0].title(), "--email",
                   email).code == 0
    added = run_cli(capsys, "rotations", "add", "--db", db_url, "--applicant", email, "--kind", "observership",
                    "--specialty", "Internal Medicine", "--institution", "Riverside (fictional)", "--start",
                    "2027-01-04")
    assert added.code == 0, added.err
    pending = run_cli(capsys, "reminders", "list", "--db", db_url, "--applicant", email, "--status", "pending",
                      "--json").json()
    assert pending, "the rotation plans reminders"
    return sorted(pending, key=lambda r: (r["due_at"], r["id"]))


def test_removing_an_applicant_names_the_reminders_deleted_with_it(
        ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    pending = _with_reminders(capsys, db_url, "asha@example.org")
    gone = run_cli(capsys, "applicants", "remove", "asha@example.org", "--yes", "--db", db_url)
    assert gone.code == 0, gone.err
    lines = gone.out.splitlines()
    assert lines[0].endswith(f"Asha <asha@example.org>; {len(pending)} pending reminders deleted"), gone.out
    for r in pending:
        assert any(line.startswith(f"  reminder {r['id']} (pending): ") for line in lines), (r, gone.out)
    # --json: the ids under a key of its own; the other keys as they were.
    pending = _with_reminders(capsys, db_url, "ben@example.org")
    again = run_cli(capsys, "applicants", "remove", "ben@example.org", "--yes", "--db", db_url, "--json")
    assert again.code == 0, again.err
    assert again.json()["deleted_reminders"] == [r["id"] for r in pending]
    assert {"removed", "applicant", "deleted_with", "unlinked", "emptied_feeds"} <= set(again.json())

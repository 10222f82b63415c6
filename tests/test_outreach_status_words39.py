"""An outreach status reads "follow-up due" in every text (list, messages, the app); `--json` keeps the value
"follow_up_due" (a key scripts read).

Found on 5 December: `outreach list` printed "follow_up_due", the app "follow up due", and an error
"cannot go from follow_up_due to drafted": three spellings of one status.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


def _sent_long_ago(capsys: pytest.CaptureFixture[str], db_url: str) -> str:
    added = run_cli(capsys, "outreach", "add", "St. Brigid (fictional)", "--db", db_url, "--status", "sent",
                    "--written-on", "2026-11-01", "--specialty", "Internal Medicine")
    assert added.code == 0, added.err
    return added.out.split(":")[0].split()[1]


def test_list_says_the_words_json_keeps_the_value(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _sent_long_ago(capsys, db_url)
    text = run_cli(capsys, "outreach", "list", "--db", db_url)
    assert text.code == 0, text.err
    assert "follow-up due" in text.out and "follow_up_due" not in text.out
    listed = run_cli(capsys, "outreach", "list", "--db", db_url, "--json").json()
    assert listed[0]["status_today"] == "follow_up_due"


def test_messages_say_the_words(ctx: Context, db_url: str, cli_clock: FixedClock,
                                capsys: pytest.CaptureFixture[str]) -> None:
    entry = _sent_long_ago(capsys, db_url)
    before = database_state(db_url)
    refused = run_cli(capsys, "outreach", "set-status", entry, "drafted", "--db", db_url)
    assert refused.code == 2
    assert "cannot go from follow-up due to drafted" in refused.err and "follow_up_due" not in refused.err
    assert database_state(db_url) == before
    moved = run_cli(capsys, "outreach", "set-status", entry, "replied", "--db", db_url)
    assert moved.out == f"outreach {entry}: replied\n"


def test_the_app_says_the_cli_words() -> None:
    from imgcoach.coach import OutreachStatus, outreach_status_words
    from imgcoach.tui.screens.outreach_screen import status_label

    assert status_label("follow_up_due") == "follow-up due"
    assert all(status_label(s.value) == outreach_status_words(s) for s in OutreachStatus)

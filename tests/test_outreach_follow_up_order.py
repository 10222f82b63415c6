"""A follow-up (or a reply) is dated on or after the e-mail it answers: the follow-up clock never runs backwards.

Found by a new applicant's typo: written to on 10 November, `outreach set-status 1 sent --on 2026-11-05` (the
follow-up, typed as 5 November) was kept: last sent 5 November, before the first e-mail, with the next follow-up
"due" on 15 November, and the draft following up "my e-mail of 5 November".
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import add_outreach, list_outreach, set_outreach_status
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from tests.cli_helpers import database_state, run_cli


def _written(ctx: Context) -> int:
    entry = add_outreach(ctx, "Riverside General (fictional)", status="sent", written_on=date(2026, 11, 10))
    assert entry.id is not None
    return entry.id


def test_a_follow_up_before_the_last_e_mail_is_refused(ctx: Context) -> None:
    entry_id = _written(ctx)
    with pytest.raises(UserError, match="2026-11-10"):
        set_outreach_status(ctx, entry_id, "sent", on=date(2026, 11, 5))
    with pytest.raises(UserError, match="2026-11-10"):
        set_outreach_status(ctx, entry_id, "replied", on=date(2026, 11, 9))
    (row, status, due, _), = list_outreach(ctx)
    assert (row.last_sent_on, row.follow_ups_sent, status.value, due) == (
        date(2026, 11, 10), 0, "follow_up_due", date(2026, 11, 20))
    follow = set_outreach_status(ctx, entry_id, "sent", on=date(2026, 11, 21))  # the day after it fell due: kept
    assert (follow.last_sent_on, follow.follow_ups_sent) == (date(2026, 11, 21), 1)


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str) -> None:
    entry_id = _written(ctx)
    before = database_state(db_url)
    refused = run_cli(capsys, "outreach", "set-status", "--db", db_url, str(entry_id), "sent", "--on", "2026-11-05")
    assert refused.code == 2 and "on" in refused.err and "2026-11-10" in refused.err
    assert database_state(db_url) == before

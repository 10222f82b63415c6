"""`reminders list` names the zone of its due times. A reminder falls due at 09:00 in the profile's zone; the table
said "2026-12-10 09:00", which an applicant away from that zone (the profile in Asia/Kolkata, the rotation in
Chicago, where the e-mail comes at 21:30 the evening before) read as their own 09:00. It now says "09:00 IST", as
`events list` and `rotations show` name theirs; the JSON already carried the offset. Both the quick read and the
full path (IMGCOACH_FULL_READ=1), as real subprocesses on a real database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from imgcoach.core.context import Context
from imgcoach.plan.profile import set_profile
from imgcoach.plan.rotations import add_rotation


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_reminders_list_names_the_zone_of_its_due_times(ctx: Context, full: bool) -> None:
    set_profile(ctx, timezone="Asia/Kolkata")
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside General (synthetic)",
                 city="Chicago", state="IL", start_date=date(2026, 12, 7), end_date=date(2027, 1, 1))
    env = {k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"}
    if full:
        env["IMGCOACH_FULL_READ"] = "1"
    out = subprocess.run([sys.executable, "-m", "imgcoach", "reminders", "list", "--db", ctx.db.url],
                         capture_output=True, text=True, timeout=120, env=env, check=True).stdout
    rows = [line for line in out.splitlines() if "Ask for feedback" in line]  # the kind as the app names it
    # The middle day, 19 Dec 2026, is a Saturday: the Friday before, at 09:00 in Kolkata (03:30 UTC).
    assert len(rows) == 1 and "2026-12-18 09:00 IST" in rows[0], out
    assert out.splitlines()[1].split()[:3] == ["id", "due", "kind"], out

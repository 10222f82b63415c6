"""The app's Outbox preview of a letter request said the CV "does not exist where the reminder daemon runs", of a
check it had made itself, on the app's machine (the daemon may run on a server). It now says what it checked:
"does not exist on this machine"; the daemon's e-mail keeps its own words (test_packet_documents41).
Real SQLite, the preview the Outbox shows (reminders.reminder_preview), a fixed clock.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import set_profile
from imgcoach.reminders import list_reminders, reminder_preview
from imgcoach.reminders.rules import LETTER_OPEN
from tests.daemon_helpers import add_supervised_rotation


def test_the_preview_says_where_it_looked(ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere" / "cv.pdf"
    set_profile(ctx, cv_path=str(missing))
    start = clock.now().date() - timedelta(days=1)
    add_supervised_rotation(ctx, start=start, end=start + timedelta(days=27))
    (row,) = [r for r in list_reminders(ctx) if r.kind == LETTER_OPEN]
    text = " ".join(reminder_preview(ctx, row.id).text.split())  # type: ignore[arg-type]
    assert f"Your CV: {missing} does not exist on this machine (yet)" in text, text
    assert "daemon runs" not in text, text

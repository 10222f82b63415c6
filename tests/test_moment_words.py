"""One spelling of a moment for every face (core.datewords.moment_words): the outbox, the daemon's status, the
import history and preview and `events list` each wrote "%Y-%m-%d %H:%M %Z" themselves, seven copies of one rule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from imgcoach.core.datewords import MOMENT, moment_words

PACKAGE = Path(__file__).resolve().parents[1] / "imgcoach"


def test_a_moment_is_written_in_the_zone_given_with_the_zone_named() -> None:
    moment = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    assert moment_words(moment, "America/New_York") == "2026-12-02 09:00 EST"
    assert moment_words(moment, ZoneInfo("Asia/Kolkata")) == "2026-12-02 19:30 IST"


def test_no_module_spells_the_format_itself() -> None:
    spelled = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if MOMENT in p.read_text(encoding="utf-8")]
    assert spelled == ["core/datewords.py"]

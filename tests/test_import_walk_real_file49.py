"""A walk on a real Google Calendar export (the corpus' daylight_saving_time.ics, tests/data/ics/corpus/SOURCES.md:
974 occurrences, RECURRENCE-ID overrides, events across DST): imported twice, edited (one event renamed, one taken
out) and imported again twice, undone, undone again, imported again, then the profile's time zone changed and
imported again. Each step is checked against the events imgcoach holds (their UTC instants).

What failed before: the second import of the edited file said "unchanged since its last import" and nothing of the
event taken out of it, still held (tests/test_import_gone_kept49.py has the small case). The rest is a guard."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

GOOGLE = Path(__file__).resolve().parent / "data" / "ics" / "corpus" / "recurring-ical-events__daylight_saving_time.ics"


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (args, res.out, res.err)
    return res.out


def _held(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, str, str]]:
    def utc(value: str | None) -> str:
        return datetime.fromisoformat(value).astimezone(UTC).isoformat() if value else ""

    return sorted((e["uid"], e["recurrence_id"], e["summary"], utc(e["start_at"]) or e["start_date"])
                  for e in json.loads(_cli(ctx, capsys, "events", "list", "--json")))


def test_a_real_export_imported_edited_undone_and_read_in_another_zone(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    f = tmp_path / "google.ics"
    original = GOOGLE.read_bytes()
    f.write_bytes(original)
    assert f"{f}: 974 created" in _cli(ctx, capsys, "import", str(f))
    first = _held(ctx, capsys)
    assert "unchanged since its last import (974 events)" in _cli(ctx, capsys, "import", str(f))

    text = original.decode("utf-8")
    singles = [b for b in re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, flags=re.S)
               if "RRULE" not in b and "RECURRENCE-ID" not in b]
    renamed = singles[0].replace("SUMMARY:", "SUMMARY:Moved: ", 1)
    gone_title = re.search(r"SUMMARY:([^\r\n]*)", singles[1]).group(1)  # type: ignore[union-attr]
    f.write_bytes(text.replace(singles[0], renamed).replace(singles[1], "").encode("utf-8"))
    edited = _cli(ctx, capsys, "import", str(f))
    assert "0 created, 1 updated, 972 unchanged, 0 removed" in edited, edited
    kept = f'1 event is no longer in the file and was kept: "{gone_title}"'
    assert kept in edited, edited
    again = _cli(ctx, capsys, "import", str(f))
    assert "unchanged since its last import" not in again and kept in again, again
    assert len(_held(ctx, capsys)) == 974

    assert "undid import 2 of" in _cli(ctx, capsys, "import", "--undo")
    assert _held(ctx, capsys) == first
    assert "undid import 1 of" in _cli(ctx, capsys, "import", "--undo")
    assert _held(ctx, capsys) == []

    f.write_bytes(original)
    assert "974 created" in _cli(ctx, capsys, "import", str(f))
    assert _held(ctx, capsys) == first
    _cli(ctx, capsys, "profile", "set", "--timezone", "Asia/Kolkata")
    # read again in the new zone (times with a zone keep their instant): nothing changes, and it says so
    assert f"{f}: 0 created, 0 updated, 974 unchanged, 0 removed" in _cli(ctx, capsys, "import", str(f))
    assert "unchanged since its last import (974 events)" in _cli(ctx, capsys, "import", str(f))
    assert _held(ctx, capsys) == first

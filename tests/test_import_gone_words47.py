"""`import` of a file that lost one event said "1 event is gone from the file but kept; run again with --prune to
remove them": one event, "it". The real CLI on a real SQLite file, the same file written twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _calendar(*events: tuple[str, str, str]) -> str:
    body = "".join(f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:{summary}\r\n"
                   f"DTSTART:{start}\r\nDTEND:{start[:9]}230000Z\r\nEND:VEVENT\r\n" for uid, summary, start in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//gone//EN\r\n{body}END:VCALENDAR\r\n"


@pytest.mark.parametrize(("gone", "said"), [(1, "import with --prune to remove it"),
                                            (2, "import with --prune to remove them")])
def test_events_gone_from_the_file_are_counted_in_words_that_agree(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path, gone: int,
        said: str) -> None:
    events = [("keep@test", "Grand rounds", "20270110T220000Z"), ("a@test", "Morning report", "20270111T220000Z"),
              ("b@test", "Journal club", "20270112T220000Z")]
    f = tmp_path / "hospital.ics"
    f.write_text(_calendar(*events), encoding="utf-8", newline="")
    assert run_cli(capsys, "import", str(f), "--db", ctx.db.url).code == 0
    f.write_text(_calendar(*events[:3 - gone]), encoding="utf-8", newline="")
    again = run_cli(capsys, "import", str(f), "--db", ctx.db.url)
    assert again.code == 0, again.err
    # (since stop 49 the line names them: ImportReport.gone_words, tests/test_import_gone_kept49.py)
    count = "1 event is no longer in the file and was kept" if gone == 1 else \
        "2 events are no longer in the file and were kept"
    assert again.out.splitlines()[1].startswith(f"  {count}: "), again.out
    assert again.out.splitlines()[1].endswith(f"; {said}"), again.out

"""A rule with a misspelt part (the corpus' bad_rrule_missing_until_event.ics, tests/data/ics/corpus/SOURCES.md:
`RRULE:FREQ=WEEKLY;UNTL=20191023;BYDAY=TH;WKST=SU`) was refused with "UNTIL parameter has a bad format:
FREQ=WEEKLY;UNTIL=20281208T113708Z;": a part and a value the file does not have (the UNTIL imgcoach adds to bound
the expansion at the import window's end, from the clock), so the words changed from one run to the next and sent
the user looking for an UNTIL that is not there. The refusal names the part as written, with the part meant, the
same at any moment. Found walking the corpus through the CLI (stop 50); the real CLI on both engines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

MISSPELT = (Path(__file__).resolve().parent / "data" / "ics" / "corpus"
            / "recurring-ical-events__bad_rrule_missing_until_event.ics")


def test_a_misspelt_rule_part_is_named_as_written_at_any_moment(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    f = tmp_path / "schedule.ics"
    f.write_bytes(MISSPELT.read_bytes())
    before = database_state(ctx.db.url)
    said = []
    for moment in (datetime(2026, 11, 25, 14, 0, tzinfo=UTC), datetime(2027, 3, 2, 9, 30, 17, tzinfo=UTC)):
        cli_clock.set(moment)
        for args in ((), ("--dry-run",)):
            res = run_cli(capsys, "import", str(f), *args, "--db", ctx.db.url)
            assert res.code == 2, (res.out, res.err)
            said.append(res.err)
    assert said[0] == (f'imgcoach: error: {f}:2: event "blabla" (UID blabla): recurring series cannot be expanded: '
                       "its RRULE has a part iCalendar does not define: UNTL=20191023 (did you mean UNTIL?); "
                       "nothing imported\n"), said[0]
    assert set(said) == {said[0]}, said  # the same words at every moment and in the dry run
    assert database_state(ctx.db.url) == before

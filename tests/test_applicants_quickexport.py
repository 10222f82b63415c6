"""`imgcoach applicants export` to standard output is answered with sqlite3 or psycopg alone (issue 17) and
prints byte for byte what the full path prints, on both engines: the demo, a plan with imported calendars
(series, time zones, events that became plan items), a second applicant chosen by argument, --applicant or
the environment, and the same refusals. Each case runs the real command as a subprocess, as is and with
IMGCOACH_FULL_READ=1 (tests/test_cli_quickread.py's same_both_ways).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from imgcoach.core.context import Context
from imgcoach.storage.quicktransfer import OWNED_TABLES
from tests.test_cli_quickread import same_both_ways, second_applicant

ICS = Path(__file__).parent / "data" / "ics"
# A weekly series with an exception and a cancelled date, a daily series made a study block, a planned
# rotation's schedule, zones named as Outlook names them, and a floating file.
IMPORTED = ("rrule_exdate_override.ics", "google_daily_series_uworld_block.ics",
            "hospital_schedule_for_planned_rotation.ics", "outlook_display_name_tzids.ics", "floating_no_xwr.ics")


def test_the_owned_tables_are_the_full_paths() -> None:
    """storage.quicktransfer.OWNED_TABLES is storage.transfer.applicant_tables() of these models."""
    from imgcoach.storage.transfer import applicant_tables

    found = tuple((table.name, link, next(fk.column.table.name for fk in table.c[link].foreign_keys) if link else None)
                  for table, link in applicant_tables())
    assert found == OWNED_TABLES, f"storage/quicktransfer.py is out of date; OWNED_TABLES = {found!r}"


def test_the_demo_export_is_the_full_paths(demo_ctx: Context, tmp_path: Path) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    found = same_both_ways("--db", url, "applicants", "export", quick=True)
    data = json.loads(found.out)
    assert found.code == 0 and data["tables"]["rotation"] and data["tables"]["reminder"]
    assert data["tables"]["rotation_contact"] and data["tables"]["letter_request"], "rows owned through a parent"
    written = tmp_path / "out.json"  # -o writes a file: the full path, and the same text
    same_both_ways("--db", url, "applicants", "export", "-o", str(written), quick=False)
    assert written.read_bytes() == found.out


def test_imported_calendars_and_a_second_applicant_export_the_same(demo_ctx: Context) -> None:
    """Imported events (series, zones, floating times) and what they became, then a second applicant in
    Asia/Kolkata chosen each way the full path allows; the first applicant's export does not hold theirs."""
    url = demo_ctx.db.url
    second_applicant(demo_ctx)
    demo_ctx.db.close()
    env = {k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"}
    for name in IMPORTED:
        done = subprocess.run([sys.executable, "-m", "imgcoach", "--db", url, "import", "--accept-suggestions",
                               str(ICS / name)], capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
    first = same_both_ways("--db", url, "applicants", "export", quick=True)
    events = json.loads(first.out)["tables"]["calendar_event"]
    assert any(e["recurrence_id"] for e in events), "occurrences of a series"
    assert {e["tzid"] for e in events} - {"", None, "UTC"}, "events in named zones"
    assert any(e["mapped_id"] for e in events), "events that became plan items"
    assert "Ünïcode" not in first.out.decode()
    outputs = {same_both_ways("--db", url, *args, quick=True).out
               for args in (("applicants", "export", "second.person@example.COM"),
                            ("--applicant", "2", "applicants", "export"),
                            ("applicants", "export", "--applicant", " 2 "),
                            ("--applicant", "1", "applicants", "export", "2"))}
    outputs.add(same_both_ways("--db", url, "applicants", "export", quick=True, env={"IMGCOACH_APPLICANT": "2"}).out)
    assert len(outputs) == 1 and "Ünïcode Institute" in outputs.pop().decode()


def test_refusals_are_the_full_paths(demo_ctx: Context) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for args in (("applicants", "export", "nobody@example.com"), ("applicants", "export", "999999"),
                 ("--applicant", "nobody@example.com", "applicants", "export")):
        refused = same_both_ways("--db", url, *args, quick=True)
        assert refused.code == 2 and refused.out == b"" and b"no applicant" in refused.err
    for args in (("applicants", "export", "1", "2"), ("applicants", "export", ""), ("applicants", "export", "-x")):
        same_both_ways("--db", url, *args, quick=False)


def test_an_empty_database_is_the_full_paths_refusal(empty_ctx: Context) -> None:
    url = empty_ctx.db.url
    empty_ctx.db.close()
    refused = same_both_ways("--db", url, "applicants", "export", quick=True)
    assert refused.code == 2 and b"no applicant profile yet" in refused.err

"""Import into a real SQLite database: keyed updates, removals, cancellations, strictness, CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from imgcoach.calendar.importing import apply_import, import_history, preview_import
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.storage.db import table_counts
from imgcoach.storage.models import CalendarEvent, ExamResult, Reminder, Rotation, StudyBlock
from tests.cli_helpers import run_cli, run_subprocess

DATA = Path(__file__).parent / "data" / "ics"
CORPUS = Path(__file__).resolve().parent / "data" / "ics" / "corpus"  # in-repo copy of shared/corpus/ics

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//imgcoach tests//synthetic//EN\r\n"


def vevent(uid: str, summary: str, start: str, end: str, extra: str = "") -> str:
    value = ";VALUE=DATE" if len(start) == 8 else ""
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{summary}\r\n"
            f"DTSTART{value}:{start}\r\nDTEND{value}:{end}\r\n{extra}END:VEVENT\r\n")


def write(path: Path, *events: str) -> Path:
    path.write_bytes((HEAD + "".join(events) + "END:VCALENDAR\r\n").encode())
    return path


def rows(ctx: Context) -> dict[tuple[str, str], CalendarEvent]:
    with ctx.db.read() as s:
        return {(r.uid, r.recurrence_id): r for r in s.exec(select(CalendarEvent)).all()}


def all_of(ctx: Context, model: type) -> list:
    with ctx.db.read() as s:
        return list(s.exec(select(model)).all())


def test_reimport_is_an_update_not_a_duplicate(ctx: Context, tmp_path: Path) -> None:
    f = write(tmp_path / "rotations.ics",
              vevent("obs-1@test", "Observership - Internal Medicine", "20270104", "20270130"),
              vevent("int-1@test", "Residency interview", "20270115T140000Z", "20270115T200000Z"))
    first = apply_import(ctx, f, accept=True)
    assert (first.status, first.created, first.updated) == ("imported", 2, 0)
    [rotation] = all_of(ctx, Rotation)
    assert (rotation.kind, rotation.specialty, rotation.start_date, rotation.end_date) == (
        "observership", "Internal Medicine", date(2027, 1, 4), date(2027, 1, 29))
    before = {r.kind: r.due_at for r in all_of(ctx, Reminder)}
    assert before, "a rotation made from an event gets its reminders"
    assert rows(ctx)[("int-1@test", "")].mapped_kind == "interview"

    again = apply_import(ctx, f, accept=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(rows(ctx)) == 2 and len(all_of(ctx, Rotation)) == 1

    # the rotation moves one week later in the user's calendar app
    write(f, vevent("obs-1@test", "Observership - Internal Medicine", "20270111", "20270206", "SEQUENCE:1\r\n"),
          vevent("int-1@test", "Residency interview", "20270115T140000Z", "20270115T200000Z"))
    moved = apply_import(ctx, f, accept=True)
    assert (moved.created, moved.updated, moved.unchanged) == (0, 1, 1)
    [rotation] = all_of(ctx, Rotation)
    assert (rotation.start_date, rotation.end_date) == (date(2027, 1, 11), date(2027, 2, 5))
    after = {r.kind: r.due_at for r in all_of(ctx, Reminder) if r.status == "pending"}
    assert after and all(after[k] - before[k] == timedelta(days=7) for k in after)
    assert rows(ctx)[("obs-1@test", "")].sequence == 1


def test_gone_events_are_reported_then_pruned_with_what_was_made_from_them(ctx: Context, tmp_path: Path) -> None:
    f = write(tmp_path / "plan.ics", vevent("obs-1@test", "Observership - Surgery", "20270104", "20270130"),
              vevent("keep@test", "Dinner", "20270110T230000Z", "20270111T010000Z"))
    apply_import(ctx, f, accept=True)
    write(f, vevent("keep@test", "Dinner", "20270110T230000Z", "20270111T010000Z"))
    kept = apply_import(ctx, f)
    assert [g["uid"] for g in kept.gone] == ["obs-1@test"] and kept.removed == []
    assert len(rows(ctx)) == 2 and len(all_of(ctx, Rotation)) == 1
    pruned = apply_import(ctx, f, prune=True)
    assert [(r["uid"], r["reason"]) for r in pruned.removed] == [("obs-1@test", "gone from the file")]
    assert pruned.removed[0]["also_removed"].startswith("rotation")
    assert set(rows(ctx)) == {("keep@test", "")} and all_of(ctx, Rotation) == []
    assert {r.status for r in all_of(ctx, Reminder)} <= {"cancelled"}


def test_cancel_in_another_file_removes_the_invitation(ctx: Context) -> None:
    req = apply_import(ctx, DATA / "method_request.ics", accept=True)
    assert req.created == 1 and rows(ctx)[("invite-42@program.example", "")].mapped_kind == "interview"
    cancel = apply_import(ctx, DATA / "method_cancel.ics")
    assert [(r["uid"], r["reason"]) for r in cancel.removed] == [("invite-42@program.example", "cancelled")]
    assert rows(ctx) == {}


def test_recurring_series_reimport_keys_each_occurrence(ctx: Context, tmp_path: Path) -> None:
    f = tmp_path / "series.ics"
    original = (DATA / "rrule_exdate_override.ics").read_text()
    f.write_text(original)
    assert apply_import(ctx, f).created == 5
    # the moved occurrence moves again (16th -> 17th March): only that row changes
    f.write_text(original.replace("DTSTART;TZID=America/New_York:20270316T190000",
                                  "DTSTART;TZID=America/New_York:20270317T190000").replace(
        "DTEND;TZID=America/New_York:20270316T210000", "DTEND;TZID=America/New_York:20270317T210000"))
    again = apply_import(ctx, f)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 4)
    moved = rows(ctx)[("series-1@test", "20270315T220000Z")]
    assert moved.start_at == datetime(2027, 3, 17, 23, tzinfo=UTC)
    # the same UIDs from another file are the same events: updated (the moved one moves back), never copied
    other = apply_import(ctx, DATA / "rrule_exdate_override.ics")
    assert (other.created, other.updated) == (0, 5)
    with ctx.db.read() as s:
        assert len(s.exec(select(CalendarEvent)).all()) == 5


def test_override_ending_before_it_starts_is_skipped_and_named(ctx: Context, tmp_path: Path) -> None:
    f = tmp_path / "bad-override.ics"
    f.write_text((DATA / "rrule_exdate_override.ics").read_text().replace(
        "DTSTART;TZID=America/New_York:20270316T190000", "DTSTART;TZID=America/New_York:20270317T190000"))
    report = apply_import(ctx, f)
    assert report.status == "imported" and "ends before it starts" in report.skipped[0].message


def test_one_broken_event_is_named_and_the_good_ones_imported(ctx: Context) -> None:
    """Issue 13: a broken event among good ones no longer refuses the file (structural damage still does)."""
    report = apply_import(ctx, DATA / "bad_date.ics")
    assert report.status == "imported" and report.created == 2 and report.problems == []
    assert [(p.uid, p.line) for p in report.skipped] == [("bad-date@test", 11)]
    before = table_counts(ctx.db)
    truncated = apply_import(ctx, DATA / "truncated.ics")
    assert truncated.status == "refused" and "truncated" in truncated.problems[0].message
    assert table_counts(ctx.db) == before


def test_exchange_export_with_an_empty_dtstart_imports_the_rest(ctx: Context) -> None:
    report = apply_import(ctx, DATA / "exchange_empty_dtstart.ics")
    assert report.status == "imported" and report.created == 2
    [bad] = report.skipped
    assert (bad.uid, bad.summary, bad.line) == ("040000008200E00074C5B7101A82E0080000000010B2@example.test",
                                                "Grand rounds (moved)", 31)
    assert "DTSTART" in bad.message


def test_truncated_dtend_value_is_a_named_problem_not_an_internal_error(ctx: Context) -> None:
    report = apply_import(ctx, DATA / "truncated_dtend_value.ics")
    assert report.status == "imported" and report.created == 1
    [bad] = report.skipped
    assert bad.uid == "trunc-dtend@test" and "DTEND" in bad.message and "20031114T18300" in bad.message


def test_itip_reply_and_freebusy_are_skipped_with_a_note(ctx: Context) -> None:
    for name in ("itip_reply.ics", "itip_counter.ics", "itip_refresh.ics"):
        report = apply_import(ctx, DATA / name)
        assert report.status == "imported" and report.created == 0, name
        assert any(p.severity == "ignored" and "RFC 5546" in p.message for p in report.warnings), name
        assert report.import_id is None, name  # nothing kept: no "import N" to undo in the history
    freebusy = apply_import(ctx, CORPUS / "icalendar__issue_27_multiple_periods_in_freebusy_multiple_freebusies.ics")
    assert freebusy.status == "imported" and freebusy.created == 0
    assert any(p.severity == "ignored" for p in freebusy.warnings)
    assert freebusy.import_id is None and import_history(ctx) == []


def test_size_limit_is_a_setting(ctx: Context) -> None:
    small = Context(db=ctx.db, clock=ctx.clock, settings=Settings(import_max_bytes=200))
    report = apply_import(small, DATA / "rrule_exdate_override.ics")
    assert report.status == "refused" and "import limit" in report.problems[0].message


def test_preview_writes_nothing_and_honours_overrides(ctx: Context) -> None:
    before = table_counts(ctx.db)
    report = preview_import(ctx, DATA / "allday_multiday.ics", kinds={"allday-1@test": "study_block"})
    assert table_counts(ctx.db) == before
    by = {e.uid: e for e in report.events}
    assert by["allday-1@test"].kind == "study_block" and by["allday-1@test"].suggestion.kind == "rotation"
    assert by["allday-2@test"].kind == "" and by["allday-2@test"].suggestion.kind == "exam"
    applied = apply_import(ctx, DATA / "allday_multiday.ics", kinds={"allday-1@test": "study_block"}, accept=True)
    assert sorted(m["kind"] for m in applied.mapped) == ["exam", "study_block"]
    [block] = all_of(ctx, StudyBlock)
    assert (block.start_date, block.end_date, block.hours_per_week) == (date(2027, 3, 1), date(2027, 3, 28), 40)
    [exam] = all_of(ctx, ExamResult)
    assert (exam.exam, exam.taken_on) == ("Step 2 CK", date(2027, 4, 12))


def test_cli_import_json_summary(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    res = run_cli(capsys, "import", str(DATA / "bad_date.ics"), "--skip-invalid", "--json", "--db", db_url)
    assert res.code == 0, res.err
    data = res.json()
    assert (data["status"], data["created"], data["unchanged"]) == ("imported", 2, 0)
    assert data["skipped"][0]["uid"] == "bad-date@test" and "2027-13-45" in data["skipped"][0]["reason"]
    again = run_cli(capsys, "import", str(DATA / "bad_date.ics"), "--skip-invalid", "--json", "--db", db_url)
    assert again.json()["unchanged"] == 2


def test_cli_refuses_bad_files_with_exit_2(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    before = table_counts(ctx.db)
    res = run_cli(capsys, "import", str(DATA / "truncated.ics"), str(DATA / "not_ics.ics"), "--db", db_url)
    assert res.code == 2
    assert "truncated.ics:11: the file is truncated" in res.err and "not an iCalendar file" in res.err
    assert "Traceback" not in res.err + res.out
    assert table_counts(ctx.db) == before


def test_cli_refusal_of_a_damaged_file_offers_no_option_that_would_not_help(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """The refusal said "or use --skip-invalid", which imports nothing more: broken events are skipped anyway,
    and a file damaged as a whole is refused with or without it."""
    for args in ((), ("--skip-invalid",)):
        res = run_cli(capsys, "import", str(DATA / "truncated.ics"), *args, "--db", db_url)
        assert res.code == 2 and "skip-invalid" not in res.err
        assert "nothing imported (the file is damaged as a whole: fix it, or export it again" in res.err
    assert "--skip-invalid" not in run_cli(capsys, "import", "--help").out


def test_cli_says_why_a_file_was_refused_not_that_every_refused_file_is_damaged(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """A mistyped path said "cannot be read: No such file or directory", then "the file is damaged as a whole:
    fix it, or export it again from its calendar": false, and the same refusal three times."""
    from tests.cli_helpers import database_state

    csv = tmp_path / "programs.csv"
    csv.write_text("program_id,name\n1,Example\n")
    before = database_state(db_url)
    for path, why in ((tmp_path / "nothere.ics", "nothere.ics: cannot be read: No such file or directory"),
                      (csv, 'programs.csv:1: is not an iCalendar file: it should start with BEGIN:VCALENDAR')):
        for args in ((), ("--dry-run",)):
            res = run_cli(capsys, "import", str(path), *args, "--db", db_url)
            assert res.code == 2 and res.out == ""
            assert res.err.count("\n") == 1 and why in res.err and "; nothing imported" in res.err, res.err
            assert "damaged" not in res.err and "export it again" not in res.err
    res = run_cli(capsys, "import", str(DATA / "truncated.ics"), "--db", db_url)
    assert res.err.count("\n") == 1 and "truncated.ics:11: the file is truncated" in res.err
    assert "; nothing imported (the file is damaged as a whole: fix it, or export it again" in res.err
    assert database_state(db_url) == before


def test_cli_suggestions_and_accept(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    res = run_cli(capsys, "import", str(DATA / "allday_multiday.ics"), "--dry-run", "--db", db_url)
    assert res.code == 0 and "-> new rotation" in res.out and 'category "rotation"' in res.out
    res = run_cli(capsys, "import", str(DATA / "allday_multiday.ics"), "--accept-suggestions",
                  "--as", "allday-2@test=event", "--db", db_url)
    assert res.code == 0 and "made rotation" in res.out
    assert all_of(ctx, ExamResult) == [] and len(all_of(ctx, Rotation)) == 1
    bad = run_cli(capsys, "import", str(DATA / "allday_multiday.ics"), "--as", "x=party", "--db", db_url)
    assert bad.code == 2 and "unknown kind" in bad.err


def test_invalid_corpus_files_leave_the_database_unchanged(ctx: Context) -> None:
    invalid = [line.split("|")[1].strip() for line in (CORPUS / "SOURCES.md").read_text().splitlines()
               if line.startswith("|") and "**INVALID**" in line]
    before = table_counts(ctx.db)
    for name in invalid:
        report = apply_import(ctx, CORPUS / name)
        if report.status == "refused":
            assert table_counts(ctx.db) == before, name
            assert report.problems
        before = table_counts(ctx.db)


@pytest.mark.slow
def test_subprocess_exit_code_and_no_traceback(ctx: Context, db_url: str) -> None:
    res = run_subprocess("import", str(DATA / "truncated.ics"), "--db", db_url)
    assert res.code == 2 and "Traceback" not in res.err
    assert "truncated" in res.err
    # an unknown zone name no longer refuses the file: imported, read in the applicant's zone, warned
    res = run_subprocess("import", str(DATA / "unknown_tzid.ics"), "--db", db_url)
    assert res.code == 0 and "Traceback" not in res.err
    assert 'unknown time zone "Customized Time Zone"' in res.out + res.err and "your time zone" in res.out + res.err


def test_clock_is_injected_into_the_window(ctx: Context) -> None:
    report = apply_import(ctx, DATA / "xwr_floating.ics")
    assert report.created == 5
    assert rows(ctx)[("xwr-2@test", "20261015T140000Z")].start_at == datetime(2026, 10, 15, 14, tzinfo=UTC)


def test_calendar_code_never_loads_the_ui() -> None:
    import subprocess
    import sys

    code = ("import sys, imgcoach.calendar.reader, imgcoach.calendar.writer, imgcoach.calendar.mapping, "
            "imgcoach.calendar.importing, imgcoach.calendar.exporting, imgcoach.cli.calendar_cmds\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
            " or m.startswith('imgcoach.tui'))))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_import_refreshes_subscribed_feeds(ctx: Context, tmp_path: Path) -> None:
    from imgcoach.calendar.exporting import add_feed

    feed = add_feed(ctx, tmp_path / "feed.ics")
    before = feed.read_bytes()
    apply_import(ctx, DATA / "allday_multiday.ics", accept=True)
    assert feed.read_bytes() != before and b"Externship" in feed.read_bytes()


BY_YEAR = DATA / "outlook2003_offset_pair_names_by_year.ics"


def test_offset_pair_names_are_read_by_the_rules_of_each_events_year(ctx: Context) -> None:
    """Issue 13: an Outlook 2003 export with "GMT-05.00/-04.00" and "GMT+03.00/+04.00", events in 2003, 2006
    and 2026, for an applicant in Indianapolis (no daylight time until April 2006).

    The offsets were matched to zones by 2026's rules only: Indianapolis keeps -05:00/-04:00 in 2026, so the
    2003 summer event was read in its 2003 EST, an hour late; and no zone keeps +03:00/+04:00 in 2026, so the
    2006 Moscow times were read in Indianapolis. Each year's own rules give the right instant, and zoneinfo's
    history gives the old US dates (first Sunday of April to last Sunday of October before 2007)."""
    from imgcoach.plan.profile import set_profile

    set_profile(ctx, timezone="America/Indiana/Indianapolis")
    report = apply_import(ctx, BY_YEAR)
    assert report.status == "imported" and report.created == 9 and report.skipped == []
    got = {uid: (row.start_at, row.end_at, row.tzid) for (uid, _), row in rows(ctx).items()}
    indy, new_york, moscow = "America/Indiana/Indianapolis", "America/New_York", "Europe/Moscow"

    def at(*args: int) -> datetime:
        return datetime(*args, tzinfo=UTC)

    assert got == {
        "ol2003-march@test": (at(2003, 3, 20, 15), at(2003, 3, 20, 16), new_york),  # EST: old rules, DST from 6 April
        "ol2003-july@test": (at(2003, 7, 15, 14), at(2003, 7, 15, 15), new_york),  # EDT
        "ol2003-october@test": (at(2003, 10, 29, 15), at(2003, 10, 29, 16), new_york),  # EST again since 26 October
        "ol2006-april1@test": (at(2006, 4, 1, 15), at(2006, 4, 1, 16), indy),  # EST: DST began 2 April 2006
        "ol2006-april3@test": (at(2006, 4, 3, 14), at(2006, 4, 3, 15), indy),  # EDT
        "ol2026-march@test": (at(2026, 3, 10, 14), at(2026, 3, 10, 15), indy),  # EDT since 8 March (2007 rules)
        "ol2026-july@test": (at(2026, 7, 6, 14), at(2026, 7, 6, 15), indy),
        "ol2006-msk-winter@test": (at(2006, 1, 16, 7), at(2006, 1, 16, 8), moscow),  # MSK +03:00
        "ol2006-msk-summer@test": (at(2006, 7, 10, 6), at(2006, 7, 10, 7), moscow),  # MSD +04:00
    }
    notes = {p.uid: p.message for p in report.warnings}
    assert f"read as {new_york}" in notes["ol2003-july@test"] and "2003" in notes["ol2003-july@test"]
    assert f"read as {indy} (your time zone)" in notes["ol2026-july@test"]
    assert f"read as {moscow}" in notes["ol2006-msk-summer@test"] and "2006" in notes["ol2006-msk-summer@test"]


def test_a_file_spanning_2006_and_2026_reads_each_year_by_its_own_rules(ctx: Context, tmp_path: Path) -> None:
    """The same offset-pair TZIDs in 2006 and 2026 (applicant in Kolkata, whose zone keeps neither pair).

    "GMT-05.00/-04.00" around the US rule change of 2007: 12 March is EST in 2006 (DST from 2 April) and EDT
    in 2026 (from 8 March); 30 October is EST in 2006 (DST to 29 October) and EDT in 2026 (to 1 November).
    "GMT+03.00/+04.00" is Moscow's pair in 2006 but no zone's in 2026 (Moscow has kept +03:00 since 2014):
    the 2006 event is read in Moscow, the 2026 one in the applicant's zone with a warning saying so."""
    from imgcoach.plan.profile import set_profile

    set_profile(ctx, timezone="Asia/Kolkata")
    us, msk = 'TZID="GMT-05.00/-04.00"', 'TZID="GMT+03.00/+04.00"'
    f = tmp_path / "span.ics"
    f.write_bytes((HEAD + "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Review\r\n"
        f"DTSTART;{pair}:{start}\r\nDTEND;{pair}:{start[:9]}110000\r\nEND:VEVENT\r\n"
        for uid, pair, start in (("mar-2006", us, "20060312T100000"), ("oct-2006", us, "20061030T100000"),
                                 ("mar-2026", us, "20260312T100000"), ("oct-2026", us, "20261030T100000"),
                                 ("msk-2006", msk, "20060710T100000"), ("msk-2026", msk, "20260710T100000")))
        + "END:VCALENDAR\r\n").encode())
    report = apply_import(ctx, f)
    assert report.status == "imported" and report.created == 6
    got = {uid: (row.start_at, row.tzid) for (uid, _), row in rows(ctx).items()}
    assert got == {
        "mar-2006": (datetime(2006, 3, 12, 15, tzinfo=UTC), "America/New_York"),
        "oct-2006": (datetime(2006, 10, 30, 15, tzinfo=UTC), "America/New_York"),
        "mar-2026": (datetime(2026, 3, 12, 14, tzinfo=UTC), "America/New_York"),
        "oct-2026": (datetime(2026, 10, 30, 14, tzinfo=UTC), "America/New_York"),
        "msk-2006": (datetime(2006, 7, 10, 6, tzinfo=UTC), "Europe/Moscow"),  # MSD +04:00
        "msk-2026": (datetime(2026, 7, 10, 4, 30, tzinfo=UTC), "Asia/Kolkata"),  # no zone keeps the pair: said
    }
    notes = {p.uid: p.message for p in report.warnings}
    assert "no time zone keeps in 2026" in notes["msk-2026"] and "Asia/Kolkata (your time zone)" in notes["msk-2026"]
    assert "read as Europe/Moscow" in notes["msk-2006"]


def test_an_unchanged_file_is_read_again_when_the_zone_changed(ctx: Context) -> None:
    """Quirk: the shortcut for an unchanged file looked at its bytes alone, so after a move to Berlin the
    floating 09:00 stayed 09:00 New York time ("unchanged")."""
    from imgcoach.plan.profile import set_profile

    f = DATA / "floating_no_xwr.ics"
    apply_import(ctx, f)
    assert apply_import(ctx, f).status == "unchanged"  # same bytes, same zone: not read again
    set_profile(ctx, timezone="Europe/Berlin")
    # The move itself placed the floating 09:00 at 09:00 in Berlin (plan.event_links.replace_floating_events):
    # the file is read again and finds it there.
    assert rows(ctx)[("float-1@test", "")].start_at == datetime(2027, 2, 10, 8, tzinfo=UTC)  # 09:00 in Berlin
    again = apply_import(ctx, f)
    assert (again.status, again.updated) == ("imported", 0)
    assert rows(ctx)[("float-1@test", "")].start_at == datetime(2027, 2, 10, 8, tzinfo=UTC)


def test_a_file_with_series_is_read_again_on_a_new_day_without_an_empty_history_entry(
        ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    """A series' occurrences follow the import window (a year back, two ahead of now): the same bytes give
    new occurrences as days pass, so the shortcut holds for one day only. A reading that changes no row adds
    no entry to the import history."""
    f = tmp_path / "weekly.ics"
    f.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:weekly@test\r\n"
                  b"DTSTAMP:20260101T000000Z\r\nSUMMARY:Journal club\r\nDTSTART:20260105T170000Z\r\n"
                  b"DTEND:20260105T180000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    first = apply_import(ctx, f)
    assert apply_import(ctx, f).status == "unchanged"
    clock.advance(timedelta(days=8))  # the window's far end passes one more Monday
    later = apply_import(ctx, f)
    assert (later.status, later.created) == ("imported", 1)
    clock.advance(timedelta(days=1))
    quiet = apply_import(ctx, f)  # read again (a new day), nothing new: no history entry
    assert (quiet.status, quiet.created, quiet.updated, quiet.import_id) == ("imported", 0, 0, None)
    assert [h.created for h in import_history(ctx)] == [1, first.created]
    assert apply_import(ctx, f).status == "unchanged"


def test_cli_reimport_of_an_unchanged_file_does_not_read_it(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                            db_url: str) -> None:
    """The command read every file before importing it, so its re-import never took the shortcut `apply_import`
    has (and the bench measured): a 10,000-event file was parsed again to find nothing to write."""
    f = str(DATA / "floating_no_xwr.ics")
    assert run_cli(capsys, "import", f, "--db", db_url).code == 0
    res = run_cli(capsys, "import", f, "--db", db_url)
    assert res.code == 0 and "unchanged since its last import (1 event); nothing to write" in res.out
    assert "floating" not in res.err  # not read: no reading note either
    assert run_cli(capsys, "import", f, "--json", "--db", db_url).json()["status"] == "unchanged"


def test_a_file_with_no_events_is_refused_by_name_with_exit_2(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """A calendar with no event at all (an emptied export, a calendar holding only a time zone) said
    "0 created, 0 updated, 0 unchanged, 0 removed, 0 skipped" with exit 0, as if it had been imported."""
    from tests.cli_helpers import database_state

    empty = tmp_path / "empty.ics"
    empty.write_text(HEAD + "END:VCALENDAR\r\n", encoding="utf-8")
    before = database_state(db_url)
    for path in (empty, CORPUS / "icalendar__bom_calendar.ics", CORPUS / "icalendar__parsing_error_in_UTC_offset.ics"):
        for args in ((), ("--dry-run",), ("--json",)):
            res = run_cli(capsys, "import", str(path), *args, "--db", db_url)
            assert res.code == 2, (path, args, res.out)
            assert "Traceback" not in res.err + res.out and "0 created" not in res.out
            if "--json" not in args:
                assert f"{path}: holds no events or to-dos; nothing imported" in res.err, res.err
    assert database_state(db_url) == before
    assert apply_import(ctx, empty).status == preview_import(ctx, empty).status == "refused"


def test_a_file_whose_events_all_left_it_still_offers_to_prune_them(ctx: Context, tmp_path: Path) -> None:
    """Not refused as empty: its earlier events are named as gone, and --prune removes them."""
    f = tmp_path / "cal.ics"
    f.write_text(HEAD + vevent("g1@test", "Grand rounds", "20270110T140000Z", "20270110T150000Z") + "END:VCALENDAR\r\n")
    assert apply_import(ctx, f).created == 1
    f.write_text(HEAD + "END:VCALENDAR\r\n")
    kept = apply_import(ctx, f)
    assert kept.status == "imported" and [g["uid"] for g in kept.gone] == ["g1@test"]
    assert [r["uid"] for r in apply_import(ctx, f, prune=True).removed] == ["g1@test"]


def test_a_refused_file_reports_the_applicants_zone(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                    db_url: str) -> None:
    """`import --json` of a refused file said "timezone": "UTC" for an applicant in America/New_York."""
    import json

    assert apply_import(ctx, DATA / "truncated.ics").timezone == "America/New_York"
    res = run_cli(capsys, "import", str(DATA / "truncated.ics"), "--json", "--db", db_url)
    assert res.code == 2 and json.loads(res.out)["timezone"] == "America/New_York"


def test_an_unchanged_reimport_still_says_which_suggestions_wait(ctx: Context, db_url: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A file re-imported unchanged is not read again, and its report said "nothing to write" with `"suggestions":
    []`, while the rotation and exam it suggested were still waiting for a decision: read as nothing left to do."""
    import json

    path = DATA / "allday_multiday.ics"
    assert run_cli(capsys, "import", str(path), "--db", db_url).code == 0
    again = run_cli(capsys, "import", str(path), "--db", db_url)
    assert "unchanged since its last import (2 events)" in again.out
    assert f"2 of its events still suggested as plan items, not accepted: `imgcoach import {path} --dry-run`" \
        in again.out, again.out
    assert json.loads(run_cli(capsys, "import", str(path), "--db", db_url, "--json").out)["undecided"] == 2
    read = json.loads(run_cli(capsys, "import", str(path), "--db", db_url, "--dry-run", "--json").out)
    assert read["undecided"] == 2, "the full reading counts them alike"

    assert run_cli(capsys, "import", str(path), "--db", db_url, "--accept-suggestions").code == 0
    done = run_cli(capsys, "import", str(path), "--db", db_url)
    assert "unchanged since its last import" in done.out and "still suggested" not in done.out, done.out
    assert json.loads(run_cli(capsys, "import", str(path), "--db", db_url, "--json").out)["undecided"] == 0


def test_a_file_whose_every_event_is_broken_is_refused_with_each_line_and_exit_2(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """A calendar whose events all fail to read (a DTSTART of "INVALID-DATE", each event ending before it starts)
    said "0 created, 0 updated, 0 unchanged, 0 removed, 1 skipped" with exit 0: an import that worked, of a file
    that gave nothing. Refused now, naming each broken event by file and line; a file with some good events still
    imports them and names what it skipped, exit 0 (README: "A broken event is skipped and named")."""
    from tests.cli_helpers import database_state

    one = CORPUS / "icalendar__issue_1081_invalid_start_valid_end.ics"
    two = CORPUS / "recurring-ical-events__issue_132_swapped_start_and_end.ics"
    before = database_state(db_url)
    for args in ((), ("--dry-run",), ("--json",)):
        res = run_cli(capsys, "import", str(one), *args, "--db", db_url)
        assert res.code == 2 and "0 created" not in res.out, (args, res.out, res.err)
        if "--json" in args:
            assert res.json()["status"] == "refused" and res.json()["problems"][0]["line"] == 4
        else:
            assert f"{one}:4: event \"Test Event\" (UID test-123): DTSTART: " in res.err and "INVALID-DATE" in res.err
    res = run_cli(capsys, "import", str(two), "--db", db_url)
    assert res.code == 2 and "0 created" not in res.out
    assert f"{two}:2: " in res.err and f"{two}:17: " in res.err
    assert f"{two}: none of its events can be imported (2 broken); nothing imported" in res.err
    assert database_state(db_url) == before
    assert apply_import(ctx, one).status == preview_import(ctx, two).status == "refused"
    partial = run_cli(capsys, "import", str(DATA / "bad_date.ics"), "--db", db_url)
    assert partial.code == 0 and "2 created" in partial.out and "1 skipped" in partial.out
    assert "bad_date.ics:11: " in partial.out

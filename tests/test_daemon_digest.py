"""The weekly digest: which week (FixedClock, DST weeks in New York), what goes in it, one row per week.

Pure rules (imgcoach.reminders.mail.digest) without a database; the service (imgcoach.reminders.digest) and the
daemon task on a real SQLite file; the e-mail itself through the loopback SMTP server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, insert, select

from imgcoach.coach.outreach_actions import add_outreach, mark_progress
from imgcoach.composition import daemon_tasks
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.locations import data_dir
from imgcoach.core.settings import ReminderTiming, Settings
from imgcoach.matching import changes_since_seen
from imgcoach.plan.exams import add_exam
from imgcoach.plan.rotations import add_rotation
from imgcoach.plan.study import add_study_block
from imgcoach.reminders import digest as service
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail import digest as plan
from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
from imgcoach.storage.models import Applicant, Reminder, ShortlistRun
from tests.daemon_helpers import add_supervised_rotation
from tests.smtp_server import SmtpServer

NY = "America/New_York"
TIMING = ReminderTiming()


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the week (pure) ------------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "monday"), [
    (_utc(2026, 11, 25, 14), date(2026, 11, 23)),  # Wednesday 09:00 EST: this week's digest still counts
    (_utc(2026, 11, 26, 4, 59), date(2026, 11, 23)),  # Wednesday 23:59 EST
    (_utc(2026, 11, 26, 5, 0), date(2026, 11, 30)),  # Thursday 00:00 EST: expired, prepare next week's
    (_utc(2026, 11, 30, 4, 30), date(2026, 11, 30)),  # Sunday 23:30 EST (Monday in UTC): next week's
    (_utc(2026, 11, 30, 5, 0), date(2026, 11, 30)),  # Monday 00:00 EST
])
def test_the_digest_week_follows_the_applicants_calendar(now: datetime, monday: date) -> None:
    week = plan.current_digest_week(FixedClock(now), 7, NY, TIMING)
    assert week.week_start == monday and week.week_end == monday + timedelta(days=6)
    assert week.key == f"digest:7:{monday.isoformat()}"
    assert week.due_at == datetime.combine(monday, datetime.min.time().replace(hour=14), tzinfo=UTC)  # 09:00 EST
    thursday = monday + timedelta(days=3)
    assert week.expires_at == _utc(thursday.year, thursday.month, thursday.day, 5)  # end of Wednesday EST


def test_autumn_dst_week_is_169_hours_and_due_times_stay_at_nine_local() -> None:
    week = plan.current_digest_week(FixedClock(_utc(2026, 10, 27, 12)), 1, NY, TIMING)
    assert week.week_start == date(2026, 10, 26)
    assert week.due_at == _utc(2026, 10, 26, 13)  # 09:00 EDT
    assert week.starts_at == _utc(2026, 10, 26, 4) and week.ends_at == _utc(2026, 11, 2, 5)
    assert week.ends_at - week.starts_at == timedelta(hours=169)
    following = plan.digest_week(1, date(2026, 11, 2), NY, TIMING)
    assert following.due_at == _utc(2026, 11, 2, 14)  # 09:00 EST
    facts = [plan.ReminderFact(i, when, "thank_you", f"r{i}") for i, when in enumerate([
        _utc(2026, 11, 1, 14),  # Sunday 09:00 EST
        _utc(2026, 11, 2, 4, 30),  # Sunday 23:30 EST: a "7 x 24 h from Monday 04:00 UTC" week would lose it
        _utc(2026, 11, 2, 5, 0),  # Monday 00:00 EST: next week
        _utc(2026, 10, 26, 3, 59),  # Sunday 23:59 EDT: previous week
    ])]
    items = plan.digest_items(week, reminders=facts)
    assert [i.detail for i in items] == ["r0", "r1"]


def test_spring_dst_week_is_167_hours() -> None:
    week = plan.current_digest_week(FixedClock(_utc(2026, 3, 4, 15)), 1, NY, TIMING)
    assert (week.week_start, week.due_at) == (date(2026, 3, 2), _utc(2026, 3, 2, 14))
    assert week.ends_at - week.starts_at == timedelta(hours=167)
    assert plan.digest_week(1, date(2026, 3, 9), NY, TIMING).due_at == _utc(2026, 3, 9, 13)  # 09:00 EDT
    items = plan.digest_items(week, exams=[plan.ExamFact(date(2026, 3, 8), "Step 2 CK")])
    assert items[0].when == _utc(2026, 3, 8, 5) and items[0].all_day  # midnight EST, the day DST starts


def test_a_week_starts_on_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        plan.digest_week(1, date(2026, 11, 25), NY, TIMING)


def test_items_are_in_time_order_with_whole_days_first() -> None:
    week = plan.digest_week(1, date(2026, 11, 23), NY, TIMING)
    items = plan.digest_items(
        week,
        reminders=[plan.ReminderFact(5, _utc(2026, 11, 26, 14), "progress_update", "to Dr. Okafor", True),
                   plan.ReminderFact(6, _utc(2026, 11, 23, 14), "weekly_digest")],
        rotations=[plan.RotationFact(date(2026, 11, 2), date(2026, 11, 27), "Cardiology observership, R"),
                   plan.RotationFact(date(2026, 12, 1), date(2026, 12, 20), "not this week")],
        study=[plan.StudyFact(date(2026, 11, 26), "Step 2 CK", 20, "NBME 10")],
        exams=[plan.ExamFact(date(2026, 11, 30), "OET")],
        follow_ups=[plan.FollowUpFact(_utc(2026, 11, 24, 14), "Riverside Clinic", "Ms. Lee")],
    )
    assert [(i.title, i.all_day) for i in items] == [
        ("Outreach follow-up: Riverside Clinic", False),
        ("Study block starts: Step 2 CK", True),
        ("Progress update: to approve", False),
        ("Rotation ends: Cardiology observership, R", True),
    ]
    assert items[1].detail == "20 h/week, NBME 10"
    assert items[2].detail == "to Dr. Okafor; approve it with `imgcoach reminders approve 5`"


# --- the service on a real database ---------------------------------------------------------------
def _digests(ctx: Context) -> list[Reminder]:
    with ctx.db.read() as session:
        return list(session.execute(select(Reminder).where(Reminder.kind == "weekly_digest")
                                    .order_by(Reminder.due_at)).scalars())


@pytest.fixture
def busy_week(ctx: Context) -> Context:
    """Week of Monday 23 November 2026 (the fixture clock is Wednesday 25th, 09:00 in New York)."""
    add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Riverside (synthetic)",
                 start_date=date(2026, 11, 2), end_date=date(2026, 11, 25))  # thanks on Friday 27th
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lakeside (synthetic)",
                 start_date=date(2026, 11, 26), end_date=date(2026, 12, 18))
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2026, 11, 28), end_date=date(2026, 12, 26),
                    hours_per_week=20, weekly_goal="two NBME forms")
    add_exam(ctx, "OET", date(2026, 11, 28))
    add_exam(ctx, "Step 1", date(2025, 3, 2), result="pass")
    add_outreach(ctx, "Hillside Clinic (synthetic)", status="sent", written_on=date(2026, 11, 17),
                 coordinator="Ms. Lee", contact_email="coord@clinic.example")
    return ctx


def test_the_digest_row_lists_the_week_ahead_from_the_database(busy_week: Context) -> None:
    ctx = busy_week
    result = service.ensure_weekly_digests(ctx)
    assert result.created == ["digest:1:2026-11-23"]
    (row,) = _digests(ctx)
    assert (row.recipient, row.template_key, row.status) == ("applicant@example.com", "weekly_digest", "pending")
    # Made on Wednesday for a profile made then (nothing could have sent it on Monday): due now, not "late"
    assert row.due_at == _utc(2026, 11, 25, 14) and row.expires_at == _utc(2026, 11, 26, 5)
    assert row.message_id.startswith("<") and "digest.1.2026-11-23" in row.message_id
    titles = [(i["title"], i["detail"]) for i in row.payload["digest"]["items"]]
    assert titles == [
        # No "Letter request window opens" for Lakeside: its letter reminders come after its
        # mid-rotation feedback (7 December), not on its first day (issue 12 point 2).
        ("Rotation ends: Internal Medicine observership, Riverside (synthetic)", ""),  # Cardiology is stored as IM
        ("Rotation starts: Internal Medicine externship, Lakeside (synthetic)", ""),
        ("Outreach follow-up: Hillside Clinic (synthetic)", "Ms. Lee"),
        ("Thank-you note", "Internal Medicine, Riverside (synthetic)"),
        ("Exam: OET", ""),
        ("Study block starts: Step 2 CK", "20 h/week, two NBME forms"),
    ]
    assert row.payload["digest"]["week_start"] == "2026-11-23" and row.payload["digest"]["shortlist"] == []


def test_running_the_task_twice_makes_one_row_and_a_sent_digest_is_never_touched(busy_week: Context,
                                                                                clock: FixedClock) -> None:
    ctx = busy_week
    (task,) = [t for t in daemon_tasks(ctx) if t.name == service.TASK_NAME]
    assert task.run_at_start
    task.run(clock.now())
    task.run(clock.now())
    assert service.ensure_weekly_digests(ctx) == service.DigestRun([], [])
    assert len(_digests(ctx)) == 1
    with SmtpServer() as server:
        settings = MailSettings(maildir=data_dir() / "M",
                                smtp=SmtpSettings(host=server.host, port=server.port, security="none"))
        ReminderDaemon(OutboxWorker(ctx, settings), clock, tasks=[]).run_once()  # the digest and due reminders
    add_exam(ctx, "PLAB 1", date(2026, 11, 27))
    assert service.ensure_weekly_digests(ctx) == service.DigestRun([], [])
    (row,) = _digests(ctx)
    assert row.status == "sent" and "PLAB 1" not in str(row.payload)
    (received,) = [r for r in server.received if r.message_id == row.message_id]
    msg = received.message
    assert received.rcpt_tos == ["applicant@example.com"]
    assert msg["Subject"] == "Weekly digest: 23 November 2026 to 29 November 2026"  # its first: nothing missed
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "- Thu 26 November 2026: Rotation starts: Internal Medicine externship, Lakeside (synthetic)\n" in text
    assert "- Fri 27 November 2026, 09:00 EST: Thank-you note" in text
    assert "- Sat 28 November 2026: Exam: OET\n" in text
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    event = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    # the calendar entry sits at the send time (not two days in the past), without "[late]"
    assert str(event["UID"]) == row.calendar_uid and event.decoded("DTSTART") == row.sent_at
    assert not str(event["SUMMARY"]).startswith("[late]")


def test_a_pending_digest_is_refreshed_until_sent_and_next_week_gets_its_own_row(ctx: Context,
                                                                                clock: FixedClock) -> None:
    clock.set(_utc(2026, 11, 23, 6))  # Monday 01:00 EST, before the digest is due
    assert service.ensure_weekly_digests(ctx).created == ["digest:1:2026-11-23"]
    assert _digests(ctx)[0].payload["digest"]["items"] == []
    add_exam(ctx, "OET", date(2026, 11, 28))
    assert service.ensure_weekly_digests(ctx) == service.DigestRun([], ["digest:1:2026-11-23"])
    assert service.ensure_weekly_digests(ctx) == service.DigestRun([], [])  # nothing new: no write
    (row,) = _digests(ctx)
    assert [i["title"] for i in row.payload["digest"]["items"]] == ["Exam: OET"]
    clock.set(_utc(2026, 11, 26, 5))  # Thursday: this week's digest expired
    assert service.ensure_weekly_digests(ctx).created == ["digest:1:2026-11-30"]
    assert [r.key for r in _digests(ctx)] == ["digest:1:2026-11-23", "digest:1:2026-11-30"]
    assert _digests(ctx)[1].payload["since"] == row.payload["computed_at"]


def test_every_applicant_gets_one_in_their_own_zone_and_the_setting_turns_it_off(ctx: Context) -> None:
    from imgcoach.reminders.outbox import register_daemon

    now = ctx.clock.now()
    # Made, and a daemon run, the Friday before: this week's Monday digest could have gone at its time in each zone
    # (one made after it that nothing could have sent is due when made: digest.first_due_at).
    register_daemon(ctx, "elsewhere|1|test", _utc(2026, 11, 20, 12), 5.0)
    with ctx.db.transaction() as session:
        session.execute(insert(Applicant), [
            dict(name="Second Applicant (synthetic)", email="second@example.org", timezone="Asia/Kolkata",
                 target_specialties=[], target_countries=[], target_states=[], created_at=_utc(2026, 11, 20, 12)),
            dict(name="No Mail (synthetic)", email="", timezone="UTC", target_specialties=[], target_countries=[],
                 target_states=[]),
        ])
    off = Context(db=ctx.db, clock=ctx.clock, settings=Settings(extra={"digest": {"enabled": False}}))
    assert service.ensure_weekly_digests(off) == service.DigestRun([], [])
    assert service.ensure_weekly_digests(ctx).created == ["digest:1:2026-11-23", "digest:2:2026-11-23"]
    kolkata = [r for r in _digests(ctx) if r.applicant_id == 2][0]
    assert kolkata.due_at == _utc(2026, 11, 23, 3, 30) and kolkata.recipient == "second@example.org"
    assert kolkata.expires_at == _utc(2026, 11, 25, 18, 30) > now  # end of Wednesday in Kolkata
    with ctx.db.read() as session:
        assert session.execute(select(func.count()).select_from(Reminder)).scalar() == 2


def test_progress_updates_waiting_for_approval_are_listed(ctx: Context) -> None:
    add_supervised_rotation(ctx)
    draft = mark_progress(ctx, "exam_score", detail="Step 2 CK passed").drafts[0]
    service.ensure_weekly_digests(ctx)
    (item,) = _digests(ctx)[0].payload["digest"]["items"]
    assert item["title"] == "Progress update: to approve"
    assert item["detail"] == f"to Dr. Jane Okafor; approve it with `imgcoach reminders approve {draft.id}`"


# --- shortlist changes (the matching feature's hook) ----------------------------------------------
def test_shortlist_changes_since_the_previous_digest(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    since = _utc(2026, 11, 16, 14)
    change = {"kind": "entered", "program_id": "140-01", "new_tier": "target", "why": "Step 2 CK 250"}
    with ctx.db.transaction() as session:
        session.execute(insert(ShortlistRun), [
            dict(applicant_id=1, computed_at=since - timedelta(days=1), changes=[{**change, "program_id": "OLD"}],
                 inputs={}),
            dict(applicant_id=1, computed_at=since + timedelta(days=1), changes=[change], inputs={}),
            dict(applicant_id=1, computed_at=since + timedelta(days=2), changes=[{**change, "program_id": "SEEN"}],
                 inputs={}, seen_at=since + timedelta(days=3)),
        ])
    lines = service.shortlist_changes_for_digest(ctx, 1, since, changes_since_seen)
    assert lines == ["140-01 entered your shortlist (target): Step 2 CK 250"]
    assert len(service.shortlist_changes_for_digest(ctx, 1, None, changes_since_seen)) == 2
    assert service.shortlist_changes_for_digest(ctx, 1, since, None) == []  # matching not wired in

    def broken(_: Context) -> list[dict[str, object]]:
        raise RuntimeError("program data unreadable")

    assert service.shortlist_changes_for_digest(ctx, 1, since, broken) == []  # the digest never fails for it


def test_the_daemons_digest_task_is_wired_to_the_shortlist(busy_week: Context) -> None:
    """composition passes matching's provider in: the digest row the daemon writes carries the shortlist line."""
    ctx = busy_week
    change = {"kind": "entered", "program_id": "140-01", "new_tier": "target", "why": "Step 2 CK 250"}
    with ctx.db.transaction() as session:
        session.execute(insert(ShortlistRun), [
            dict(applicant_id=1, computed_at=ctx.clock.now(), changes=[change], inputs={}),
        ])
    (task,) = [t for t in daemon_tasks(ctx) if t.name == service.TASK_NAME]
    task.run(ctx.clock.now())
    (row,) = _digests(ctx)
    assert row.payload["digest"]["shortlist"] == ["140-01 entered your shortlist (target): Step 2 CK 250"]


def test_cron_run_creates_and_sends_this_weeks_digest_in_one_go(busy_week: Context, clock: FixedClock) -> None:
    """`imgcoach daemon --once` runs the start-up tasks before sending, so cron users get the digest."""
    ctx = busy_week
    assert _digests(ctx) == []
    with SmtpServer() as server:
        settings = MailSettings(maildir=data_dir() / "M",
                                smtp=SmtpSettings(host=server.host, port=server.port, security="none"))
        ReminderDaemon(OutboxWorker(ctx, settings), clock, tasks=daemon_tasks(ctx)).run_once()
    (row,) = _digests(ctx)
    assert row.status == "sent"
    assert [r for r in server.received if r.message_id == row.message_id]

"""The first `readiness` after a write, answered from rows read with sqlite3 (coach.readiness_quickly, issue 17):
byte for byte what the full path (click, SQLAlchemy) prints, over plans built through the public use cases, and
kept for the next read. The rows reach the one conversion (coach.loading) from either reader.

Each case: the kept answer is stale (a fresh database, or a write since), the quick read computes the answer at
the injected moment, the full path then prints its own at the same moment, and the two must be equal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.ids import saved_id
from imgcoach.core.settings import Settings
from imgcoach.storage.db import Database
from tests.conftest import FIXED_NOW
from tests.test_cli_quickanswer import full, quick
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_quickread import HEAVY, run

FORMS = [("readiness",), ("readiness", "--json"), ("readiness", "--sources")]


def _kept(url: str, at: datetime, *args: str) -> str | None:
    """The kept answer of `args` (a readiness form, perhaps with --applicant) current at `at`, if any."""
    from imgcoach.cli.quick import answer_command
    from imgcoach.core.settings import applicant_from_env, load_settings
    from imgcoach.plan import stored_answer_quickly

    chosen = args[args.index("--applicant") + 1] if "--applicant" in args else applicant_from_env()
    form = answer_command(("readiness",), {flag: True for flag in ("--json", "--sources") if flag in args})
    return stored_answer_quickly(url, form, applicant=chosen, now=at, settings=load_settings())


def same_as_full_path(url: str, at: datetime, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    """Each form: computed by the quick read (no kept answer current), equal to the full path's, then kept."""
    answers = {}
    for form in FORMS:
        args = (*extra, *form)
        assert _kept(url, at, *args) is None, f"{args}: a kept answer was current, nothing computed"
        fast = quick(url, at, *args)
        assert fast is not None, f"{args}: the quick read left the first read after a write to the full path"
        assert _kept(url, at, *args) == fast, f"{args}: the computed answer was not kept"
        slow = full(url, at, *args, capsys=capsys)
        assert fast == slow, f"{args}: the quick read's answer differs from the full path's"
        assert quick(url, at, *args) == slow
        answers[" ".join(form)] = slow
        _touch(url)  # the next form's first read is again after a write
    return answers


def _touch(url: str) -> None:
    """A write by another tool (nothing changes but the counters): every kept answer is stale."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE applicant SET name = name")
    conn.close()


def _plan(tmp_path: Path, at: datetime, build: Callable[[Context], None]) -> str:
    """A SQLite file with the plan `build` makes through the use cases, at the moment `at`."""
    url = f"sqlite:///{tmp_path / 'plan.sqlite'}"
    ctx = Context(db=Database(url), clock=FixedClock(at), settings=Settings())
    build(ctx)
    ctx.db.close()
    return url


def _profile(ctx: Context, **changes: object) -> None:
    from imgcoach.plan import set_profile

    values: dict[str, object] = dict(name="Quick Read Applicant", email="quick@example.com",
                                     timezone="America/New_York", graduation_year=2022, visa="j1",
                                     target_specialties=["Internal Medicine"])
    set_profile(ctx, **{**values, **changes})


def _rich(ctx: Context, today: date) -> None:
    """Rotations with supervisors, letters in every status, exams passed, failed and booked, log weeks with
    feedback, projects and cases."""
    from imgcoach import coach, plan

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    plan.add_exam(ctx, "Step 1", day(-700), result="fail")
    plan.add_exam(ctx, "Step 1", day(-600), result="pass", attempt=2)
    plan.add_exam(ctx, "Step 2 CK", day(-400), score=238)
    plan.add_exam(ctx, "OET", day(-300), result="pass")
    plan.add_exam(ctx, "Step 3", day(60))  # booked
    done = plan.add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Done General",
                             city="Boston", state="MA", country="US", start_date=day(-120), end_date=day(-93),
                             hours_per_week=40, hands_on=True, responsibilities="Rounds; notes",
                             learned="Sign-out\nI-PASS", feedback_requested_on=day(-105))
    same_day = plan.add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Same Start A",
                                 country="US", start_date=day(-60), end_date=day(-33), hours_per_week=30)
    plan.add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Same Start B",
                      country="US", start_date=day(-60), end_date=day(-40), hours_per_week=20)
    abroad = plan.add_rotation(ctx, kind="clinical_job", specialty="Family Medicine", institution="Abroad Clinic",
                               country="PK", start_date=day(-300), end_date=day(-200), hours_per_week=45)
    now_on = plan.add_rotation(ctx, kind="research", specialty="Internal Medicine", institution="Current Lab",
                               country="US", start_date=day(-10), end_date=day(40), hours_per_week=20)
    later = plan.add_rotation(ctx, kind="volunteer", specialty="Family Medicine", institution="Later Clinic",
                              country="US", start_date=day(70), end_date=day(120), hours_per_week=8)
    writers = []
    for n, rotation in enumerate((done, same_day, abroad, now_on, later)):
        writers.append(plan.add_contact(ctx, f"Dr. Writer {n}", rotation_id=rotation.id,
                                        email=f"writer{n}@example.com", institution=rotation.institution))
    plan.add_contact(ctx, "Second Supervisor", rotation_id=done.id, email="second@example.com")
    plan.add_contact(ctx, "A Coordinator", rotation_id=done.id, role="coordinator")
    statuses = ("uploaded", "agreed", "declined", "requested", "planned")
    for writer, rotation, status in zip(writers, (done, same_day, abroad, now_on, later), statuses, strict=True):
        letter = plan.add_letter_request(ctx, saved_id(writer.id), rotation_id=saved_id(rotation.id))
        if status != "planned":
            plan.set_letter_status(ctx, saved_id(letter.id), status, on=max(rotation.start_date, day(-20)))
    unlinked = plan.add_contact(ctx, "Dr. No Rotation", email="free@example.com")
    plan.add_letter_request(ctx, saved_id(unlinked.id), status="requested")
    coach.add_log_entry(ctx, saved_id(done.id), day(-120), 40, activities="Rounds",
                        procedures_observed=["paracentesis"], procedures_performed=["venipuncture"],
                        presentations=["Morning report"], feedback="   ")
    coach.add_log_entry(ctx, saved_id(done.id), day(-113), 38, activities="Clinic")
    coach.record_feedback(ctx, saved_id(done.id), day(-106), "Presentations are clear; tighten the plan",
                          change_after_feedback="One-line plan first")
    coach.record_feedback(ctx, saved_id(same_day.id), day(-46), "Good bedside manner")
    coach.add_project(ctx, "qi", "Handover checklist", rotation_id=saved_id(done.id), supervisor="Dr. Writer 0")
    coach.add_project(ctx, "research", "Readmissions chart review", status="published")
    plan.add_case(ctx, saved_id(done.id), "Delirium", tags=["challenging patient"], summary="Stopped two drugs",
                  occurred_on=day(-110))
    plan.add_case(ctx, saved_id(same_day.id), "A family meeting", tags=["ethical dilemma", "teamwork"])


@pytest.mark.sqlite_only
def test_the_demo(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    answers = same_as_full_path(url, FIXED_NOW, capsys)
    assert "Amina Rahman" in answers["readiness"]


@pytest.mark.sqlite_only
def test_an_applicant_with_no_rotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _plan(tmp_path, FIXED_NOW, lambda ctx: _profile(ctx, graduation_year=None, target_specialties=[]))
    same_as_full_path(url, FIXED_NOW, capsys)


@pytest.mark.parametrize("visa", ["j1", "h1b", "j1_or_h1b", "none"])
@pytest.mark.sqlite_only
def test_a_rich_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str], visa: str) -> None:
    """Step 3 booked, not passed: the H-1B check's sitting and warning, for each visa need."""
    def build(ctx: Context) -> None:
        _profile(ctx, visa=visa)
        _rich(ctx, FIXED_NOW.date())

    answers = same_as_full_path(_plan(tmp_path, FIXED_NOW, build), FIXED_NOW, capsys)
    assert ("H-1B: USMLE Step 3 before ranking" in answers["readiness"]) == (visa in ("h1b", "j1_or_h1b"))


@pytest.mark.parametrize("step3", ["passed", "none"])
@pytest.mark.sqlite_only
def test_an_h1b_applicant_with_and_without_step3(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  step3: str) -> None:
    from imgcoach import plan

    def build(ctx: Context) -> None:
        _profile(ctx, visa="h1b")
        plan.add_exam(ctx, "Step 1", date(2024, 1, 10), result="pass")
        plan.add_exam(ctx, "Step 2 CK", date(2024, 6, 10), score=250)
        if step3 == "passed":
            plan.add_exam(ctx, "USMLE Step 3", date(2025, 3, 3), score=230)

    answers = same_as_full_path(_plan(tmp_path, FIXED_NOW, build), FIXED_NOW, capsys)
    assert ("USMLE Step 3 passed (sat 2025-03-03)" in answers["readiness --sources"]) == (step3 == "passed")


@pytest.mark.parametrize(("zone", "at"), [
    ("Pacific/Kiritimati", datetime(2026, 11, 25, 10, 30, tzinfo=UTC)),  # 00:30 on the 26th there
    ("America/Los_Angeles", datetime(2026, 11, 26, 7, 59, tzinfo=UTC)),  # 23:59 on the 25th there
    ("Asia/Kolkata", datetime(2028, 2, 28, 18, 45, tzinfo=UTC)),  # 00:15 on leap day there
], ids=["kiritimati-after-midnight", "los-angeles-before-midnight", "kolkata-leap-day"])
@pytest.mark.sqlite_only
def test_a_zone_near_midnight_and_a_leap_day(tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str,
                                             at: datetime) -> None:
    """"Today" is the applicant's local day at the injected moment, on both paths."""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(zone)).date()

    def build(ctx: Context) -> None:
        _profile(ctx, timezone=zone, visa="h1b")
        _rich(ctx, local)

    answers = same_as_full_path(_plan(tmp_path, at, build), at, capsys)
    assert f"As of {local.isoformat()}" in answers["readiness"]


@pytest.mark.sqlite_only
def test_the_applicant_is_chosen_as_the_full_path_chooses(url: str, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """--applicant by id or e-mail (any case), IMGCOACH_APPLICANT; an unknown one and `--applicant ""` are the
    full path's."""
    from imgcoach.composition import open_context
    from imgcoach.plan import add_applicant

    ctx = open_context(url, clock=FixedClock(FIXED_NOW))
    other = add_applicant(ctx, name="Other Person", email="Other@Example.com", timezone="Asia/Kolkata", visa="h1b")
    ctx.db.close()
    by_id = same_as_full_path(url, FIXED_NOW, capsys, "--applicant", str(other.id))
    assert "Other Person" in by_id["readiness"]
    assert same_as_full_path(url, FIXED_NOW, capsys, "--applicant", "other@EXAMPLE.com") == by_id
    monkeypatch.setenv("IMGCOACH_APPLICANT", "other@example.com")
    assert same_as_full_path(url, FIXED_NOW, capsys) == by_id
    monkeypatch.delenv("IMGCOACH_APPLICANT")
    assert quick(url, FIXED_NOW, "--applicant", "nobody@example.com", "readiness") is None
    assert quick(url, FIXED_NOW, "--applicant", "", "readiness", "--json") is None


@pytest.mark.sqlite_only
def test_an_older_schema_takes_the_full_path(url: str) -> None:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'an_older_one'")
    conn.close()
    assert quick(url, FIXED_NOW, "readiness") is None


@pytest.mark.postgresql_only
def test_postgresql_is_computed_as_the_full_path_prints(demo_ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    """PostgreSQL keeps no answers (storage.readcache is SQLite's triggers), so every `readiness` there took the
    full path, about 45x `python -c pass` (issue 17). It is computed by the coach's rule from rows read through
    libpq (storage.quickpq), every time, and prints what the full path prints; a second applicant's too."""
    from imgcoach.coach import readiness_quickly
    from tests.test_cli_quickread import second_applicant

    url = demo_ctx.db.url
    second_applicant(demo_ctx)
    assert readiness_quickly(url, applicant=None, now=FIXED_NOW, settings=Settings()) is not None
    for extra in ((), ("--applicant", "second.person@example.com")):
        for form in FORMS:
            fast = quick(url, FIXED_NOW, *extra, *form)
            assert fast is not None, f"{extra + form}: left to the full path"
            assert fast == full(url, FIXED_NOW, *extra, *form, capsys=capsys), extra + form
            assert quick(url, FIXED_NOW, *extra, *form) == fast  # nothing kept, computed again


@pytest.mark.postgresql_only
def test_postgresql_readiness_imports_neither_sqlalchemy_nor_psycopg(demo_ctx: Context) -> None:
    """As a person runs it on an organisation's server: `imgcoach readiness` loads none of click, SQLAlchemy,
    SQLModel, Alembic or psycopg, and prints the full path's bytes."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for form in FORMS:
        fast = run("--db", url, *form)
        slow = run("--db", url, *form, full=True)
        assert (fast.code, fast.err, fast.out) == (slow.code, slow.err, slow.out) and fast.code == 0, form
        assert slow.out.count(b"\n") > 5
        heavy = (set(HEAVY) | {"psycopg", "psycopg_binary"}) & fast.modules
        assert not heavy, f"{form}: imported {heavy}"


@pytest.mark.parametrize("form", FORMS, ids=" ".join)
@pytest.mark.sqlite_only
def test_the_first_read_after_a_write_imports_no_sqlalchemy(url: str, form: tuple[str, ...]) -> None:
    """As a person runs it: a write by another process, then `imgcoach readiness` loads none of click,
    SQLAlchemy, SQLModel, Alembic (it imported them all: ~45x `python -c pass`) and prints the full path's
    bytes; the run after it prints its kept answer."""
    run("--db", url, *form, full=True)  # an answer kept
    _touch(url)
    fast = run("--db", url, *form)
    slow = run("--db", url, *form, full=True)
    assert (fast.code, fast.err, fast.out) == (slow.code, slow.err, slow.out) and fast.code == 0
    assert slow.out.count(b"\n") > 5
    assert not set(HEAVY) & fast.modules, f"{form}: the first read after a write imported {set(HEAVY) & fast.modules}"
    assert "jinja2" not in fast.modules  # the drafts' templates (coach.sample -> mentors -> drafts): none rendered
    _touch(url)
    run("--db", url, *form)  # computed quickly, and kept
    again = run("--db", url, *form)
    assert again.out == slow.out and not set(HEAVY) & again.modules

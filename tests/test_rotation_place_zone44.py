"""A rotation's reminders reach its place on the day they are meant for, or the applicant is told.

Found by a new applicant's sequence: profile in Asia/Kolkata (planning from home), an observership added in New
York. Every reminder falls due at 09:00 in the profile's zone, which in New York is 22:30 or 23:30 the evening
before: "Ask for feedback" arrived on the Sunday night, and the last day's "your rotation ends today" the night
before it ended, without a word anywhere. The plan keeps one zone (the profile's, which moves the pending
reminders when changed), so adding a rotation, or moving its dates or place, now says when its reminders would
arrive there and how to have them at 09:00 there; the CLI on stderr, the app in a toast.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.widgets import Input

from imgcoach.core.context import Context
from imgcoach.core.settings import ReminderTiming
from imgcoach.plan import list_rotations, set_profile
from imgcoach.reminders import far_place
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, press, record_toasts

START, END = date(2027, 2, 1), date(2027, 2, 26)  # Monday to Friday, four weeks
TIMING = ReminderTiming()
BEFORE = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # the tests' moment: every reminder is still to come
HOSPITALS = itertools.cycle(["Morningside", "Lakeside", "Hilltop", "Riverside", "Parkview", "Brookside"])


def _at_home_in_kolkata(ctx: Context) -> None:
    set_profile(ctx, timezone="Asia/Kolkata")


def _add(capsys: pytest.CaptureFixture[str], db: str, *extra: str, state: str = "NY") -> tuple[int, str]:
    """`rotations add` of a rotation in `state`; each at another hospital (the same one twice is refused)."""
    result = run_cli(capsys, "--db", db, "rotations", "add", "--kind", "observership", "--specialty",
                     "Internal Medicine", "--institution", f"{next(HOSPITALS)} Hospital (fictional)", "--state", state,
                     "--start", str(START), "--end", str(END), "--hours", "40", *extra)
    assert result.code == 0, result.err
    return int(result.out.strip()), result.err


def test_a_new_york_rotation_planned_from_kolkata_says_its_reminders_arrive_the_evening_before(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: object) -> None:
    _at_home_in_kolkata(ctx)
    rotation_id, said = _add(capsys, ctx.db.url)
    # 09:00 IST on Fri 12 Feb (the feedback day: the middle, a Saturday, moves to the Friday) is 22:30 EST on Thu 11.
    assert (f"note: rotation {rotation_id} is in NY (America/New_York), but its reminders fall due at 09:00 in "
            "your profile's zone (Asia/Kolkata), the day before there: \"Ask for feedback\" of Fri 12 Feb "
            "arrives Thu 11 Feb 22:30 in NY.") in said, said
    assert "run `imgcoach profile set --timezone America/New_York` when you travel" in said
    # What it advises does what it says: the reminders then fall due at 09:00 in New York, and a rotation added
    # there afterwards says nothing.
    assert run_cli(capsys, "--db", ctx.db.url, "profile", "set", "--timezone", "America/New_York").code == 0
    listed = run_cli(capsys, "--db", ctx.db.url, "reminders", "list").out
    assert "2027-02-12 09:00 EST  Ask for feedback" in listed, listed
    _, again = _add(capsys, ctx.db.url)
    assert "is in NY" not in again, again


def test_the_state_is_read_as_typed_and_a_state_of_another_country_is_not_taken_for_a_us_one(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: object) -> None:
    _at_home_in_kolkata(ctx)
    assert "is in NY (America/New_York)" in _add(capsys, ctx.db.url, state="new  york")[1]
    # Texas spans two zones: the note names the one of most of it.
    assert "is in TX (America/Chicago, the zone of most of TX)" in _add(capsys, ctx.db.url, state="Texas")[1]
    # "WA" in Australia is Western Australia, and "ON" is no U.S. state: no zone is known, nothing is said.
    assert "is in" not in _add(capsys, ctx.db.url, "--country", "Australia", state="WA")[1]
    assert "is in" not in _add(capsys, ctx.db.url, state="ON")[1]


def test_an_edit_says_it_again_only_when_the_place_or_dates_change(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: object) -> None:
    rotation_id, said = _add(capsys, ctx.db.url, state="NJ")
    assert "is in" not in said  # the profile is in America/New_York: nothing to say
    _at_home_in_kolkata(ctx)
    hours = run_cli(capsys, "--db", ctx.db.url, "rotations", "edit", str(rotation_id), "--hours", "45")
    assert hours.code == 0 and "is in" not in hours.err, hours.err
    moved = run_cli(capsys, "--db", ctx.db.url, "rotations", "edit", str(rotation_id), "--start", "2027-02-08")
    assert moved.code == 0 and f"rotation {rotation_id} is in NJ (America/New_York)" in moved.err, moved.err


@pytest.mark.parametrize(("profile_zone", "state", "timing", "said"), [
    ("Europe/London", "NY", TIMING, None),  # 04:00 the same day: waiting when the applicant wakes
    ("America/Los_Angeles", "NY", TIMING, None),  # 12:00 the same day
    ("America/New_York", "HI", TIMING, None),  # 04:00 the same day
    ("Asia/Tokyo", "CA", TIMING, (date(2027, 2, 12), "2027-02-11 16:00")),  # the day before, in the afternoon
    ("Pacific/Auckland", "NY", TIMING, (date(2027, 2, 12), "2027-02-11 15:00")),
    ("America/New_York", "CA", ReminderTiming(hour=20), (date(2027, 2, 12), "2027-02-12 17:00")),  # after work
    ("America/Chicago", "TX", TIMING, None),  # the same zone
])
def test_which_profile_zones_are_far_from_the_place(profile_zone: str, state: str, timing: ReminderTiming,
                                                    said: tuple[date, str] | None) -> None:
    far = far_place(1, START, END, state, "United States", profile_zone, timing, BEFORE)
    if said is None:
        assert far is None, far
    else:
        assert far is not None and far.kind == "mid_rotation_feedback"
        assert (far.day, f"{far.arrives:%Y-%m-%d %H:%M}") == said


def test_the_clock_change_in_new_york_is_counted_on_the_reminders_own_days() -> None:
    """New York springs forward on Sun 14 Mar 2027; India has no clock change. 09:00 IST is 22:30 EST before it
    and 23:30 EDT after it: the note gives the time of the reminder it names on its own day, not the rotation's
    first (a rotation from Mon 8 Mar, in EST, whose feedback falls on Fri 19 Mar, in EDT)."""
    far = far_place(1, date(2027, 3, 8), date(2027, 4, 2), "NY", "", "Asia/Kolkata", TIMING, BEFORE)
    assert far is not None and (far.day, f"{far.arrives:%Y-%m-%d %H:%M %Z}") == (date(2027, 3, 19),
                                                                               "2027-03-18 23:30 EDT")


async def test_the_app_add_form_says_when_the_reminders_arrive_there(ctx: Context) -> None:
    from imgcoach.tui.widgets.form import FormScreen

    _at_home_in_kolkata(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, specialty="Internal Medicine", institution="Morningside Hospital (fictional)",
             start_date=str(START), end_date=str(END))
        form.query_one("#field-state", Input).value = "NY"
        said = record_toasts(pilot.app)
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
        rotation = next(r for r in list_rotations(ctx) if r.institution.startswith("Morningside"))
        notes = [m for m in said if m.startswith(f"Rotation {rotation.id} is in NY (America/New_York)")]
        assert notes and "set your profile's time zone to America/New_York (p) when you travel" in notes[0], said
    assert rotation.start_date + timedelta(days=25) == rotation.end_date


def test_going_home_says_which_rotations_still_to_come_are_now_timed_at_home(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: object) -> None:
    """The advice's other half: the applicant set New York for a rotation there and, home again, sets Kolkata back.
    The rotations still to come in the U.S. are then timed at home: `profile set` names each (not one that is
    over, nor one whose place has no known zone)."""
    from imgcoach.plan import add_rotation

    def rotation(name: str, start: date, state: str) -> int:
        row = add_rotation(ctx, kind="observership", specialty="Internal Medicine", hours_per_week=40,
                           institution=f"{name} Hospital (fictional)", state=state, start_date=start,
                           end_date=start + timedelta(days=25))
        assert row.id is not None
        return row.id

    over = rotation("Lakeside", date(2026, 9, 7), "NY")  # ended Fri 2 Oct 2026, before the test's 25 Nov
    coming = rotation("Hilltop", START, "NY")
    unknown = rotation("Riverside", START + timedelta(weeks=8), "ON")
    home = run_cli(capsys, "--db", ctx.db.url, "profile", "set", "--timezone", "Asia/Kolkata")
    assert home.code == 0, home.err
    notes = [line for line in home.err.splitlines() if line.startswith("note: rotation ")]
    assert [n.split(" is in ")[0] for n in notes] == [f"note: rotation {coming}"], home.err
    assert f"rotation {over} " not in home.err and f"rotation {unknown} " not in home.err
    # Back to New York: its reminders arrive at 09:00 there, nothing to say.
    away = run_cli(capsys, "--db", ctx.db.url, "profile", "set", "--timezone", "America/New_York")
    assert away.code == 0 and "is in NY" not in away.err, away.err


def test_only_the_reminders_still_to_come_are_named() -> None:
    """Going home on a rotation's second-to-last week named its feedback reminder of the week before: the note
    is about what will still arrive. In the last week only the thank-you, due after it ends, is left."""
    start, end = date(2027, 2, 1), date(2027, 2, 26)
    late = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)  # after the feedback (Fri 12 Feb) and the letter's window
    far = far_place(1, start, end, "NY", "US", "Asia/Kolkata", TIMING, late)
    assert far is not None and far.kind == "thank_you" and far.day == date(2027, 3, 1), far
    assert far_place(1, start, end, "NY", "US", "Asia/Kolkata", TIMING, datetime(2027, 3, 2, tzinfo=UTC)) is None

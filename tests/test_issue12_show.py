"""Issue 12, points 10 and 7: `rotations show` / `profile show` read by a person, one JSON shape per object with
local times and their offset in every --json output, and readiness that calls feedback met only once received.

Every test runs the real CLI on a real database (both engines) under the injected clock (tests/conftest.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import Result, database_state, run_cli

NEW_YORK = ZoneInfo("America/New_York")
# An ISO 8601 moment (a date alone is a calendar day and stays YYYY-MM-DD).
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")

# Every --json command that only reads, with what it needs on the demo database.
READ_JSON_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("profile", "show"), ("rotations", "list"), ("rotations", "show", "1"), ("rotations", "show", "2"),
    ("exams", "list"), ("study", "list"), ("contacts", "list"), ("letters", "list"), ("reminders", "list"),
    ("readiness",), ("outreach", "list"), ("log", "list"), ("cases", "list"), ("projects", "list"), ("stories",),
    ("daemon", "status"), ("import", "--history"), ("programs", "list"), ("shortlist",), ("applicants", "list"),
    ("applicants", "show"),
)


def cli(capsys: pytest.CaptureFixture[str], ctx: Context, *args: str) -> Result:
    result = run_cli(capsys, *args, "--db", ctx.db.url)
    assert result.code == 0, (args, result.err)
    return result


def moments(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every ISO moment string in a JSON value, with where it sits."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in moments(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in moments(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, str) and MOMENT.match(value) else []


# --- point 10: --json, one shape and local moments everywhere ------------------------------------------


@pytest.mark.parametrize("command", READ_JSON_COMMANDS, ids=lambda c: " ".join(c))
def test_every_json_moment_is_local_with_its_offset(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                     cli_clock: FixedClock, command: tuple[str, ...]) -> None:
    data = cli(capsys, demo_ctx, *command, "--json").json()
    for where, text in moments(data):
        moment = datetime.fromisoformat(text)
        assert moment.tzinfo is not None, f"{command} {where}: {text} has no offset"
        assert moment.utcoffset() == moment.astimezone(NEW_YORK).utcoffset(), \
            f"{command} {where}: {text} is not in the applicant's zone (America/New_York)"


def test_rotation_show_and_reminders_list_agree_on_the_local_time(capsys: pytest.CaptureFixture[str],
                                                                   demo_ctx: Context, cli_clock: FixedClock) -> None:
    """Before: `rotations show --json` wrote UTC ("...T14:00:00+00:00"), `reminders list --json` local."""
    shown = cli(capsys, demo_ctx, "rotations", "show", "2", "--json").json()["reminders"]
    listed = {r["id"]: r for r in cli(capsys, demo_ctx, "reminders", "list", "--json").json()}
    assert shown, "the demo's current rotation has reminders"
    for reminder in shown:
        assert reminder == listed[reminder["id"]], "one shape, the same values"
        assert reminder["due_at"].endswith("T09:00:00-05:00"), reminder["due_at"]  # 09:00 EST


def test_one_shape_per_object_across_commands(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                              cli_clock: FixedClock) -> None:
    shown = cli(capsys, demo_ctx, "rotations", "show", "2", "--json").json()
    listed = cli(capsys, demo_ctx, "rotations", "list", "--json").json()
    assert list(shown["rotation"]) == list(listed[0]), "same keys, same order"
    assert shown["rotation"] == next(r for r in listed if r["id"] == 2)
    edited = cli(capsys, demo_ctx, "rotations", "edit", "2", "--hours", "41", "--json").json()
    assert list(edited) == list(listed[0])

    letters = {x["id"]: x for x in cli(capsys, demo_ctx, "letters", "list", "--json").json()}
    assert shown["letters"] and all(x == letters[x["id"]] for x in shown["letters"])
    contacts = {x["id"]: x for x in cli(capsys, demo_ctx, "contacts", "list", "--json").json()}
    assert shown["supervisors"] and all(s["contact"] == contacts[s["contact"]["id"]] for s in shown["supervisors"])
    cases = {x["id"]: x for x in cli(capsys, demo_ctx, "cases", "list", "--json").json()}
    assert shown["cases"] and all(c == cases[c["id"]] for c in shown["cases"])

    profile = cli(capsys, demo_ctx, "profile", "show", "--json").json()
    assert cli(capsys, demo_ctx, "applicants", "show", "--json").json() == profile
    assert cli(capsys, demo_ctx, "applicants", "list", "--json").json() == [profile]
    assert list(cli(capsys, demo_ctx, "profile", "set", "--school", "Other (fictional)", "--json").json()) == \
        list(profile)


def test_the_letter_window_is_the_one_function_s(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                 cli_clock: FixedClock) -> None:
    from imgcoach.plan import request_window
    from imgcoach.plan.rotations import get_rotation

    opens, last_call = request_window(demo_ctx, get_rotation(demo_ctx, 2))
    shown = cli(capsys, demo_ctx, "rotations", "show", "2", "--json").json()
    assert shown["letter_window"] == {"opens": opens.isoformat(), "last_call": last_call.isoformat()}
    text = cli(capsys, demo_ctx, "rotations", "show", "2").out
    assert f"ask between {opens:%d %b %Y} and {last_call:%d %b %Y}" in text


def test_moments_follow_a_changed_time_zone(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                            cli_clock: FixedClock) -> None:
    cli(capsys, demo_ctx, "profile", "set", "--timezone", "Asia/Kolkata")
    for command in (("rotations", "show", "2"), ("reminders", "list")):
        found = moments(cli(capsys, demo_ctx, *command, "--json").json())
        assert found and all(text.endswith("+05:30") for _, text in found), (command, found)
    text = cli(capsys, demo_ctx, "rotations", "show", "2").out
    assert "Reminders (times in Asia/Kolkata)" in text and " IST " in text


# --- point 10: text for a person -----------------------------------------------------------------------


def test_rotation_show_reads_as_labelled_sections(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                 cli_clock: FixedClock) -> None:
    out = cli(capsys, demo_ctx, "rotations", "show", "2").out
    assert "datetime" not in out and "{'" not in out and "[{" not in out, out
    labels = [line.split()[0] for line in out.splitlines() if line.startswith("  ") and line[2] != " "]
    order = ["What", "Department", "Setting", "Where", "Place", "When", "Hours", "Mode", "Feedback", "Letter"]
    assert labels[:len(order)] == order
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert sections[1:] == ["People", "Letters", "Cases", "Reminders (times in America/New_York)"]
    assert "  When               Thu 05 Nov 2026 to Thu 10 Dec 2026 (36 days)" in out
    assert "  Place              Detroit, MI, United States" in out
    assert "  Department         not set" in out, "an empty field says so, never a blank"
    assert re.search(r"^  2026-\d\d-\d\d 09:00 EST  Ask for feedback: ", out, re.M), out


def test_rotation_show_writes_a_reminder_time_as_reminders_list_does(
        capsys: pytest.CaptureFixture[str], demo_ctx: Context, cli_clock: FixedClock) -> None:
    """`rotations show` wrote "02 Dec 2026 09:00 EST" where `reminders list` and the outbox write the same reminder
    "2026-12-02 09:00 EST" (core.datewords.moment_words); --json is unchanged."""
    shown = cli(capsys, demo_ctx, "rotations", "show", "2").out
    listed = cli(capsys, demo_ctx, "reminders", "list").out
    times = re.findall(r"^  (\S+ \S+ \S+)  Ask for feedback: ", shown, re.M)
    assert len(times) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", times[0]), shown
    assert any(times[0] in line and "Ask for feedback" in line for line in listed.splitlines()), listed


def test_rotation_show_with_nothing_attached_says_none(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                       cli_clock: FixedClock) -> None:
    new_id = cli(capsys, ctx, "rotations", "add", "--kind", "observership", "--specialty", "IM", "--institution",
                 "Hilltop Hospital (fictional)", "--start", "2027-01-04", "--end", "2027-01-29").out.strip()
    out = cli(capsys, ctx, "rotations", "show", new_id).out
    for name in ("People", "Letters", "Cases"):
        assert f"{name}\n  none\n" in out, out
    assert "  Place              United States\n" in out, "the country defaults to US"
    for label in ("Department", "Feedback asked", "Responsibilities", "Learned"):
        assert re.search(rf"^  {label} +not set$", out, re.M), (label, out)


def test_profile_show_reads_as_a_profile(capsys: pytest.CaptureFixture[str], ctx: Context,
                                         cli_clock: FixedClock) -> None:
    out = cli(capsys, ctx, "profile", "show").out
    assert not re.search(r"^\s*(id|synthetic)\s*:", out, re.M), "no internal keys"
    assert "True" not in out and "None" not in out
    lines = out.splitlines()
    assert lines[0] == "Profile of Test Applicant"
    labels = [line[2:20].strip() for line in lines if line.startswith("  ")]
    assert labels == ["Name", "E-mail", "Time zone", "School", "School country", "Graduation year", "Visa",
                      "U.S. citizen", "Specialties", "Countries", "Preferred states", "Home states", "CV",
                      "Personal statement", "Programs", "Dollars"]
    assert "  School             not set" in lines and "  Visa               J-1" in lines
    assert "  Graduation year    2022" in lines


def test_profile_show_marks_synthetic_data_in_words(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                    cli_clock: FixedClock) -> None:
    out = cli(capsys, demo_ctx, "profile", "show").out
    assert "  Data               synthetic demo, not a real person" in out.splitlines()
    assert "  Countries          United States (US)" in out.splitlines()


# --- point 7: readiness ----------------------------------------------------------------------------------


def _check(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["key"] == key)


def test_feedback_is_met_only_once_recorded(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                            cli_clock: FixedClock) -> None:
    """The demo asked for feedback on its current rotation (2026-11-22) but wrote none down: not met."""
    before = _check(cli(capsys, demo_ctx, "readiness", "--json").json(), "feedback")
    assert before["status"] == "at_risk"
    assert any("asked 2026-11-22; no feedback recorded yet" in line for line in before["evidence"])
    assert any("feedback recorded in the log, week of 2026-07-05" in line for line in before["evidence"])
    assert before["action"]["due"] == "2026-11-25" and "imgcoach log feedback 2" in before["action"]["text"]

    logged = [e for e in cli(capsys, demo_ctx, "log", "list", "--rotation", "2", "--json").json()
              if e["week_of"] == "2026-11-19"]
    assert logged and logged[0]["activities"], "the demo logged that week"
    cli(capsys, demo_ctx, "log", "feedback", "2", "--week", "2026-11-19", "--feedback",
        "Good rapport; tighten the assessment", "--changed", "Assessment first")
    after = _check(cli(capsys, demo_ctx, "readiness", "--json").json(), "feedback")
    assert after["status"] == "met" and after["action"] is None
    assert any('week of 2026-11-19: "Good rapport; tighten the assessment"' in line for line in after["evidence"])
    week = [e for e in cli(capsys, demo_ctx, "log", "list", "--rotation", "2", "--json").json()
            if e["week_of"] == "2026-11-19"][0]
    assert week == {**logged[0], "feedback": "Good rapport; tighten the assessment",
                    "change_after_feedback": "Assessment first"}, "the week keeps its hours and activities"


@pytest.mark.parametrize(("args", "says"), [
    (("--week", "2026-11-19", "--feedback", "  "), "--feedback: write down what you were told"),
    (("--week", "2027-01-04", "--feedback", "Fine"), "--week: outside rotation 2"),
])
def test_recording_feedback_refuses_bad_input_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], demo_ctx: Context, cli_clock: FixedClock, args: tuple[str, ...],
        says: str) -> None:
    before = database_state(demo_ctx.db.url)
    result = run_cli(capsys, "log", "feedback", "2", *args, "--db", demo_ctx.db.url)
    assert result.code == 2 and says in result.err and "Traceback" not in result.err, result
    assert database_state(demo_ctx.db.url) == before


def test_every_readiness_check_shows_a_date(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                            cli_clock: FixedClock) -> None:
    report = cli(capsys, demo_ctx, "readiness", "--json").json()
    day = re.compile(r"\d{4}-\d\d-\d\d")
    for check in report["checks"]:
        assert check["evidence"] and day.search(" ".join(check["evidence"])), check
    letters = _check(report, "letters")["evidence"]
    assert "Dr. James Whitaker (fictional): uploaded on 2026-11-25" in letters  # the day the demo recorded it


def test_readiness_text_counts_in_words(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                        cli_clock: FixedClock) -> None:
    out = cli(capsys, demo_ctx, "readiness").out
    assert not re.search(r"\b1 (months|weeks|full years)\b", out), out
    # the externship runs Thu 5 Nov .. Thu 10 Dec (5 weeks and a day): 2 weeks done, 3 to come = 0.75 months
    assert "planned 0.75 months (0.75 hands-on, 0 observing)" in out


def test_readiness_letter_window_is_the_reminders_one(capsys: pytest.CaptureFixture[str], demo_ctx: Context,
                                                      cli_clock: FixedClock) -> None:
    from imgcoach.plan import request_window
    from imgcoach.plan.rotations import get_rotation

    opens, last_call = request_window(demo_ctx, get_rotation(demo_ctx, 2))
    action = _check(cli(capsys, demo_ctx, "readiness", "--json").json(), "letters")["action"]
    assert f"between {opens} and {last_call}" in action["text"]
    # "by" the last call once the window is open (it opened 2026-11-24); "from" the day it opens before that
    today = date(2026, 11, 25)
    assert (action["due_word"], date.fromisoformat(action["due"])) == \
        (("by", last_call) if opens <= today else ("from", opens))


async def test_app_records_feedback_and_readiness_turns_met(demo_ctx: Context) -> None:
    """The app shows the same check (imgcoach.coach.check_readiness) and records feedback the same way."""
    from imgcoach.coach import check_readiness
    from tests.tui_helpers import SIZE, app_for, fill, press, settle

    def feedback_status() -> str:
        return next(c for c in check_readiness(demo_ctx).checks if c.key == "feedback").status.value

    assert feedback_status() == "at_risk"
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        pilot.app.switch_mode("readiness")
        await settle(pilot)
        assert getattr(pilot.app.screen, "_checks", None)
        await press(pilot, "a")
        form = pilot.app.screen
        assert form.query_one("#field-week_of").value == "2026-11-25", "today, within the current rotation"
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "an empty note records nothing: the form stays"
        fill(form, feedback="Clear presentations; read more on diabetes guidelines")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is not form
    assert feedback_status() == "met"

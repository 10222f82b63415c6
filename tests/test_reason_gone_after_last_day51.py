"""A reminder cancelled because its purpose was done says so no longer once that stops being true.

Left open in stop 50: a letter marked requested cancels its rotation's letter reminders, "no longer needed: the
letter was requested". Moved back to planned after the reminders' last day, they stay cancelled (their day has
passed: sent now they would come late), and the note went on saying the letter was requested, in `reminders
list`, its JSON and the Outbox, beside a Letters board saying it was not. The same for the mid-rotation feedback
un-asked. The note now says what happened and why nothing comes. Real SQLite/PostgreSQL, time from a FixedClock.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request, set_letter_status
from imgcoach.plan.rotations import edit_rotation
from imgcoach.reminders import list_reminders, outbox_view
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN, MID_FEEDBACK
from imgcoach.reminders.sync import LETTER_REQUESTED
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation

START, END = date(2026, 11, 2), date(2026, 12, 18)  # under way on the tests' day, 25 Nov 2026


def _notes(ctx: Context, rotation_id: int, *kinds: str) -> dict[str, tuple[str, str]]:
    return {r.kind: (r.status, r.note) for r in list_reminders(ctx)
            if r.rotation_id == rotation_id and r.kind in kinds and r.template_key == r.kind}


def test_letter_un_requested_after_the_last_day(ctx: Context, clock: FixedClock,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rotation_id = add_supervised_rotation(ctx, start=START, end=END)
    writer = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    assert letter.id is not None
    set_letter_status(ctx, letter.id, "requested")
    kinds = (LETTER_OPEN, LETTER_LAST_CALL)
    assert _notes(ctx, rotation_id, *kinds) == dict.fromkeys(kinds, ("cancelled", LETTER_REQUESTED))

    clock.set(clock.now() + timedelta(days=60))  # January 2027: both reminders' last days have passed
    set_letter_status(ctx, letter.id, "planned")  # the supervisor never got it: back to the first column
    notes = _notes(ctx, rotation_id, *kinds)
    assert all(status == "cancelled" for status, _ in notes.values()), notes
    for kind, (_, note) in notes.items():
        assert "the letter was requested" not in note, (kind, note)
        assert note.startswith("not sent: cancelled because the letter was marked requested; no longer so, but its "
                               "last day, "), (kind, note)
        assert note.endswith(" has passed"), (kind, note)
    # The list, its JSON and the Outbox say the row's note.
    listed = run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).json()
    assert {r["note"] for r in listed if r["rotation_id"] == rotation_id and r["kind"] in kinds} == {
        note for _, note in notes.values()}
    assert {r.note for r in outbox_view(ctx).reminders if r.rotation_id == rotation_id and r.kind in kinds} >= {
        note for _, note in notes.values()}

    set_letter_status(ctx, letter.id, "requested")  # asked again: the reason is the letter again
    assert _notes(ctx, rotation_id, *kinds) == dict.fromkeys(kinds, ("cancelled", LETTER_REQUESTED))


def test_feedback_un_asked_after_the_last_day(ctx: Context, clock: FixedClock) -> None:
    rotation_id = add_supervised_rotation(ctx, start=START, end=END)
    edit_rotation(ctx, rotation_id, feedback_requested_on=date(2026, 11, 20))
    ((status, note),) = _notes(ctx, rotation_id, MID_FEEDBACK).values()
    assert (status, note) == ("cancelled", "not sent: feedback already asked on 20 Nov 2026")

    clock.set(clock.now() + timedelta(days=60))
    edit_rotation(ctx, rotation_id, feedback_requested_on=None)  # entered on the wrong rotation
    ((status, note),) = _notes(ctx, rotation_id, MID_FEEDBACK).values()
    assert status == "cancelled"
    assert note.startswith("not sent: cancelled because feedback was asked on 20 Nov 2026; no longer so, but its "
                           "last day, "), note


def test_one_never_planned_in_time_gets_that_reason_back(ctx: Context, clock: FixedClock) -> None:
    """A feedback reminder recorded as not planned (its day had passed when the rotation was entered), then
    cancelled by the feedback asked: un-asked after its last day, its first reason is the true one again."""
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 10, 1), end=date(2026, 12, 10))
    ((status, late_note),) = _notes(ctx, rotation_id, MID_FEEDBACK).values()
    assert status == "cancelled" and late_note == "not planned: the rotation was added after its mid-point (05 Nov 2026)", late_note
    edit_rotation(ctx, rotation_id, feedback_requested_on=date(2026, 11, 20))
    ((_, note),) = _notes(ctx, rotation_id, MID_FEEDBACK).values()
    assert note == "not sent: feedback already asked on 20 Nov 2026", note

    clock.set(clock.now() + timedelta(days=60))
    edit_rotation(ctx, rotation_id, feedback_requested_on=None)
    assert _notes(ctx, rotation_id, MID_FEEDBACK) == {MID_FEEDBACK: ("cancelled", late_note)}

"""The planned letter a rotation's letter reminders are about, and the writer their draft is written to, are
chosen by one rule (reminders.sync.pending_letter_order): due first, undated last, then the lowest id.

reminders.addressees ordered the letters by its own copy of that rule in SQL; the two agreed (this test passed
before the merge too: it is kept so that they cannot drift). Real SQLite, a fixed clock.
"""

from __future__ import annotations

from datetime import date

from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.reminders import list_reminders, reminder_preview
from tests.daemon_helpers import add_supervised_rotation


def test_the_reminder_s_letter_and_its_draft_s_writer_are_the_same(ctx: Context) -> None:
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 16), end=date(2026, 12, 11))
    ids = {}
    for name, due, status in (("Dr. Una Dated", None, "planned"), ("Dr. Late Due", date(2027, 3, 1), "planned"),
                              ("Dr. Asked First", date(2026, 12, 20), "requested"),
                              ("Dr. Early Due", date(2027, 1, 15), "planned"),
                              ("Dr. Same Day", date(2027, 1, 15), "planned")):
        email = name.removeprefix("Dr. ").replace(" ", ".").lower() + "@hospital.example"
        writer = add_contact(ctx, name, rotation_id=rotation_id, role="attending", email=email)
        assert writer.id is not None
        ids[name] = add_letter_request(ctx, writer.id, rotation_id=rotation_id, status=status, due_on=due).id
    row = next(r for r in list_reminders(ctx) if r.kind == "letter_request_open" and r.status == "pending")
    assert row.letter_id == ids["Dr. Early Due"]  # the earliest due of the planned; its lower id of two that day
    text = reminder_preview(ctx, row.id).text  # type: ignore[arg-type]
    assert "Dear Dr. Early Due," in text and "To:      early.due@hospital.example" in text, text
    assert "Letter writer: Dr. Early Due <early.due@hospital.example>" in text

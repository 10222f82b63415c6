"""One rule for the letter writer's packet (reminders.packet): the e-mail, the app's checklist and the packet
files name the same items by the same labels, and the e-mail's sentence is written as a sentence.

Found on 5 December: the reminder e-mail said "Attach your CV, Personal statement draft, Summary of cases"
(capitals mid-sentence, no "and"), from its own list; plan/letters.py and coach/packet.py kept two more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders.sync import list_reminders
from tests.clock_helpers import clock_at


def _mail(ctx: Context, rotation_id: int, kind: str) -> str:
    from imgcoach.reminders import reminder_preview

    row = next(r for r in list_reminders(ctx) if r.rotation_id == rotation_id and r.kind == kind)
    return reminder_preview(ctx, row.id).text  # type: ignore[arg-type]


def _rotation_with_writer(ctx: Context) -> tuple[int, int]:
    from imgcoach.plan.people import add_contact, add_letter_request

    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=date(2027, 1, 4),
                            end_date=date(2027, 1, 29))
    assert rotation.id is not None
    writer = add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation.id, email="jane.okafor@hospital.example")
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation.id)  # type: ignore[arg-type]
    assert letter.id is not None
    return rotation.id, letter.id


def test_the_mail_names_a_ready_packet_in_a_sentence(ctx: Context, tmp_path: Path) -> None:
    from imgcoach.plan import add_case
    from imgcoach.plan.profile import set_profile

    for name in ("cv.pdf", "ps.docx"):  # files that are there: the e-mail claims only those (test_packet_documents41)
        (tmp_path / name).write_bytes(b"synthetic")
    set_profile(ctx, cv_path=str(tmp_path / "cv.pdf"), personal_statement_path=str(tmp_path / "ps.docx"))
    rid, _ = _rotation_with_writer(ctx)
    with clock_at(ctx, datetime(2027, 1, 5, 20, tzinfo=UTC)):
        add_case(ctx, rid, "DKA in a 19-year-old")
        text = _mail(ctx, rid, "letter_request_open")
    assert "Attach your CV, personal statement draft and summary of cases: the draft below says so." in text
    assert "Personal statement draft," not in text and "Summary of cases:" not in text
    # The draft to the writer lists them as items, each capitalised as the app's checklist shows it.
    assert "- CV\n- Personal statement draft\n- Summary of cases" in text


def test_missing_items_in_a_sentence_too(ctx: Context) -> None:
    rid, _ = _rotation_with_writer(ctx)
    text = _mail(ctx, rid, "letter_request_open")
    assert "Not ready yet: CV, personal statement draft and summary of cases." in text


def test_checklist_mail_and_packet_files_use_one_list(ctx: Context, tmp_path: Path) -> None:
    from imgcoach.coach import export_packet
    from imgcoach.plan import letter_draft
    from imgcoach.plan.profile import set_profile
    from imgcoach.reminders import packet_items

    (tmp_path / "cv.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "ps.txt").write_text("statement\n")
    set_profile(ctx, cv_path=str(tmp_path / "cv.pdf"), personal_statement_path=str(tmp_path / "ps.txt"))
    rid, letter_id = _rotation_with_writer(ctx)
    labels = [label for label, _ in packet_items("x", "x", 1)]
    assert labels == ["CV", "Personal statement draft", "Summary of cases"]
    draft = letter_draft(ctx, letter_id)
    assert [item.name for item in draft.packet] == labels
    with clock_at(ctx, datetime(2027, 2, 1, 15, tzinfo=UTC)):
        files = export_packet(ctx, "Dr. Jane Okafor", tmp_path / "out")
    attached = files.markdown.read_text()
    assert f"{labels[0]}: cv.pdf" in attached and f"{labels[1]}: ps.txt" in attached

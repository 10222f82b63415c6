"""A template override that fails is said above the Outbox preview, not only in the daemon's log.

Found in stop 43: an applicant copied thank_you.txt.j2 into ~/.config/imgcoach/emails/ and wrote
`{{ applicant.nickname }}` (no such field), and a mid-rotation subject with a syntax error. The daemon falls back to
the built-in template (as it must: an override never stops it) and logs a warning; the Outbox preview, where a
person looks after editing, showed the built-in words with no sign that their template was not used.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from imgcoach.core.context import Context
from imgcoach.core.locations import config_dir
from imgcoach.plan.rotations import add_rotation
from imgcoach.reminders.sync import list_reminders


def _preview(ctx: Context, rotation_id: int, kind: str) -> str:
    from imgcoach.reminders import reminder_preview

    row = next(r for r in list_reminders(ctx) if r.rotation_id == rotation_id and r.kind == kind)
    return reminder_preview(ctx, row.id).text  # type: ignore[arg-type]


def _rotation_and_emails_folder(ctx: Context) -> tuple[int, Path]:
    """A rotation whose reminders the tests preview, and the override folder (the test's own config folder)."""
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=date(2027, 1, 4),
                            end_date=date(2027, 1, 29))
    assert rotation.id is not None
    emails = config_dir() / "emails"
    emails.mkdir(parents=True, exist_ok=True)
    return rotation.id, emails


def test_a_failed_override_is_named_above_the_preview(ctx: Context) -> None:
    rotation_id, emails = _rotation_and_emails_folder(ctx)
    (emails / "thank_you.txt.j2").write_text("Hi {{ applicant.nickname }},\nthank them.\n", encoding="utf-8")
    (emails / "mid_rotation_feedback.subject.j2").write_text("{{ label }} {% if %}\n", encoding="utf-8")

    thanks = _preview(ctx, rotation_id, "thank_you")
    assert thanks.startswith(f"(your template {emails / 'thank_you.txt.j2'} failed, UndefinedError: ")
    assert "has no attribute 'nickname': the built-in template's words are shown and sent instead)" in thanks
    assert "A short thank-you note to your supervisor" in thanks  # the built-in words follow, as the daemon sends

    feedback = _preview(ctx, rotation_id, "mid_rotation_feedback")
    assert feedback.startswith(f"(your template {emails / 'mid_rotation_feedback.subject.j2'} failed, line 1: "
                               "TemplateSyntaxError: ")
    assert feedback.count("(your template") == 1  # the subject is rendered twice (alone, and in the body): said once


def test_a_working_override_is_shown_without_a_note(ctx: Context) -> None:
    """The companion (passes before and after): an override that renders is what the preview shows, with no note."""
    rotation_id, emails = _rotation_and_emails_folder(ctx)
    (emails / "thank_you.txt.j2").write_text("Dear {{ applicant.name }}, write to them today.\n", encoding="utf-8")
    text = _preview(ctx, rotation_id, "thank_you")
    assert "write to them today" in text and "(your template" not in text


def test_a_misnamed_override_is_said_to_be_never_used(ctx: Context) -> None:
    """`thankyou.txt.j2` (no underscore) is a file no message renders: the built-in thank-you went out unsaid."""
    rotation_id, emails = _rotation_and_emails_folder(ctx)
    (emails / "thankyou.txt.j2").write_text("Dear {{ applicant.name }}, write to them today.\n", encoding="utf-8")
    text = _preview(ctx, rotation_id, "thank_you")
    assert text.startswith(f"(your file {emails / 'thankyou.txt.j2'} is never used: no built-in template has that "
                           "name; did you mean thank_you.txt.j2?)\n\n")

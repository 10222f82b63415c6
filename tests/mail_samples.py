"""Synthetic sample reminders for mail tests (invented people and places, not real data)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from imgcoach.reminders.mail.context import (
    PAYLOAD_DRAFT_KINDS,
    ROTATION_KINDS,
    Digest,
    DigestItem,
    DraftText,
    OutreachInfo,
    Person,
    ReminderMail,
    RotationInfo,
)

APPLICANT = Person("Amira Haddad", "amira@example.org")
SUPERVISOR = Person("Dr. Jane Okafor", "jane.okafor@hospital.example")
ROTATION = RotationInfo(
    institution="Lakeside General Hospital (synthetic)",
    specialty="Internal Medicine",
    start=date(2026, 7, 1),
    end=date(2026, 7, 28),
    supervisor=SUPERVISOR,
    kind_label="observership",
    cases=("DKA in a 19-year-old, admitted from the ED", "New-onset atrial fibrillation with RVR"),
)

FOLLOW_UP_DRAFT = DraftText(
    to="coord@clinic.example", to_name="Ms. Lee", subject="Re: Observership request: Amira Haddad",
    body="Dear Ms. Lee,\n\nI am following up on my e-mail of 1 July about an observership.\n\nKind regards,\nAmira\n",
)
OUTREACH = OutreachInfo(id=3, institution="Riverside Clinic (synthetic)", coordinator="Ms. Lee",
                        last_sent_on=date(2026, 7, 1))


def sample(kind: str = "letter_request_open", *, reminder_id: int = 7, late: bool = False,
           tz: str = "America/New_York", **overrides: object) -> ReminderMail:
    fields: dict[str, object] = dict(
        reminder_id=reminder_id,
        kind=kind,
        applicant=APPLICANT,
        due=datetime(2026, 7, 29, 13, 0, tzinfo=UTC),
        tz=tz,
        message_id=f"<reminder-{reminder_id}.abc123@imgcoach.invalid>",
        calendar_uid=f"reminder-{reminder_id}-abc123@imgcoach.invalid",
        late=late,
        expires=date(2026, 8, 11),
        packet=("CV", "Personal statement draft", "Summary of cases"),  # a packet checklist with all three ready
        letter_deadline=date(2026, 7, 21),
        rotation=ROTATION if kind in ROTATION_KINDS else None,
        draft=FOLLOW_UP_DRAFT if kind in PAYLOAD_DRAFT_KINDS else None,
        outreach=OUTREACH if kind == "outreach_follow_up" else None,
        digest=Digest(
            week_start=date(2026, 7, 27),
            week_end=date(2026, 8, 2),
            items=(DigestItem(datetime(2026, 7, 28, 14, 0, tzinfo=UTC), "Rotation ends", "Lakeside General"),),
        ) if kind == "weekly_digest" else None,
    )
    fields.update(overrides)
    return ReminderMail(**fields)  # type: ignore[arg-type]

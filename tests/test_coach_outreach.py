"""Outreach pipeline rules: status machine, follow-up scheduling, offer-to-rotation, drafts, mentor updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.logbook import check_weekly_entry, parse_project_kind
from imgcoach.coach.mentors import Moment, MomentKind, parse_moment, progress_drafts
from imgcoach.coach.models import Applicant, Rotation, RotationKind
from imgcoach.coach.outreach import (
    TRANSITIONS,
    OutreachEntry,
    OutreachStatus,
    check_transition,
    effective_status,
    first_email,
    follow_up_due_on,
    follow_up_email,
    offer_to_rotation,
    offer_warnings,
    parse_status,
    should_close,
)

S = OutreachStatus
SENT_ON = date(2025, 2, 3)
ENTRY = OutreachEntry(7, "XYZ University Hospital", "Cardiology", S.SENT, "Ms. Coordinator", "c@xyz.example.org",
                      "Cardiology", written_on=SENT_ON, last_sent_on=SENT_ON)
APPLICANT = Applicant("Dr. Zoë Ngọc Đặng", date(2022, 6, 30), 2026, ("Internal Medicine",), email="z@example.org")


@pytest.mark.parametrize("raw", ["follow-up due", "FOLLOW_UP_DUE", " follow up due "])
def test_parse_status_accepts_spellings(raw):
    assert parse_status(raw) is S.FOLLOW_UP_DUE


def test_unknown_status_is_one_clear_message():
    with pytest.raises(CoachInputError, match=r"status: unknown outreach status 'pending' \(allowed: drafted, sent"):
        parse_status("pending")


def test_transitions_cover_every_status_and_finals_are_final():
    assert set(TRANSITIONS) == set(S)
    assert TRANSITIONS[S.DECLINED] == TRANSITIONS[S.WITHDRAWN] == frozenset()
    check_transition(S.OFFERED, S.ACCEPTED)
    with pytest.raises(CoachInputError, match="cannot go from drafted to accepted"):
        check_transition(S.DRAFTED, S.ACCEPTED)
    with pytest.raises(CoachInputError, match=r"none \(final status\)"):
        check_transition(S.DECLINED, S.SENT)


class TestFollowUp:
    days = 10

    def test_due_date_is_counted_from_the_last_email(self):
        assert follow_up_due_on(ENTRY, self.days) == SENT_ON + timedelta(days=10)
        later = replace(ENTRY, last_sent_on=SENT_ON + timedelta(days=12), follow_ups_sent=1)
        assert follow_up_due_on(later, self.days) == SENT_ON + timedelta(days=22)

    def test_becomes_due_on_the_due_day_not_before(self):
        assert effective_status(ENTRY, SENT_ON + timedelta(days=9), self.days) is S.SENT
        assert effective_status(ENTRY, SENT_ON + timedelta(days=10), self.days) is S.FOLLOW_UP_DUE

    def test_no_follow_up_once_answered_or_before_sending(self):
        for status in (S.DRAFTED, S.REPLIED, S.OFFERED, S.ACCEPTED, S.DECLINED):
            entry = replace(ENTRY, status=status)
            assert follow_up_due_on(entry, self.days) is None
            assert effective_status(entry, SENT_ON + timedelta(days=60), self.days) is status

    def test_suggest_closing_after_the_last_follow_up(self):
        late = SENT_ON + timedelta(days=30)
        assert not should_close(replace(ENTRY, follow_ups_sent=1), late, self.days, 2)
        assert should_close(replace(ENTRY, follow_ups_sent=2), late, self.days, 2)


def test_offer_warnings_cover_the_legitimacy_checklist():
    offer = replace(ENTRY, status=S.OFFERED, cost_usd=3000)
    warnings = offer_warnings(offer)
    assert any("not verified" in w for w in warnings)
    assert any("role not defined in writing" in w for w in warnings)
    assert any("visa requirement unknown" in w for w in warnings)
    assert any("$3,000" in w for w in warnings)
    clean = replace(offer, verified_legitimate=True, role_in_writing=True, visa_requirement="B-1/B-2", cost_usd=0)
    assert offer_warnings(clean) == []


def test_offer_becomes_a_rotation_in_one_step():
    offer = replace(ENTRY, status=S.OFFERED, kind=RotationKind.EXTERNSHIP)
    r = offer_to_rotation(offer, 42, date(2025, 6, 2), date(2025, 6, 27), supervisor="Dr. Heart", weekly_hours=40)
    assert (r.id, r.kind, r.specialty, r.institution, r.start, r.end, r.supervisor) == (
        42, RotationKind.EXTERNSHIP, "Cardiology", "XYZ University Hospital", date(2025, 6, 2), date(2025, 6, 27),
        "Dr. Heart")
    assert r.title == "Clinical Externship in Cardiology, XYZ University Hospital"
    with pytest.raises(CoachInputError, match="only an offered or accepted entry"):
        offer_to_rotation(ENTRY, 43, date(2025, 6, 2), date(2025, 6, 27))
    with pytest.raises(CoachInputError, match="before start date"):
        offer_to_rotation(offer, 43, date(2025, 6, 27), date(2025, 6, 2))


def test_first_email_and_follow_up_drafts():
    first = first_email(ENTRY, APPLICANT, highlights=("USMLE Step 1 passed",), dates="in June 2025")
    assert first.subject.startswith("Observership request, Cardiology: Dr. Zoë Ngọc Đặng")
    assert "Dear Ms. Coordinator," in first.body and "- USMLE Step 1 passed" in first.body
    assert "XYZ University Hospital" in first.body and "ideally in June 2025" in first.body
    assert len(first.body.split()) < 200  # a concise cover note
    follow = follow_up_email(ENTRY, APPLICANT)
    assert follow.subject.startswith("Re: ") and "my e-mail of 3 February 2025" in follow.body  # a letter's day


def test_drafts_read_well_without_a_department():
    from dataclasses import replace

    entry = replace(ENTRY, department="")
    first, follow = first_email(entry, APPLICANT), follow_up_email(entry, APPLICANT)
    assert first.subject.startswith("Observership request: Dr. Zoë Ngọc Đặng")
    assert follow.subject.startswith("Re: Observership request: ")
    for text in (first.subject, first.body, follow.subject, follow.body):
        assert ", :" not in text and " in  at" not in text
        assert all("  " not in line for line in text.splitlines())
    assert "positions at XYZ University Hospital" in follow.body


def test_drafts_name_a_department_of_as_a_sentence_does():
    """"positions in Department of Medicine at ..." read as a form letter with a blank filled in."""
    from dataclasses import replace

    entry = replace(ENTRY, department="Department of Medicine")
    assert "whether the Department of Medicine at XYZ University Hospital offers" in first_email(entry, APPLICANT).body
    assert "positions in the Department of Medicine at XYZ" in follow_up_email(entry, APPLICANT).body
    # a specialty's name stays as it is, and the subject line keeps the bare name
    assert "positions in Cardiology at XYZ" in follow_up_email(ENTRY, APPLICANT).body
    assert first_email(entry, APPLICANT).subject.startswith("Observership request, Department of Medicine:")


ROTS = [
    Rotation(1, RotationKind.OBSERVERSHIP, "Cardiology", "XYZ", date(2024, 6, 3), date(2024, 6, 28),
             supervisor="Dr. A", supervisor_email="a@x.org"),
    Rotation(2, RotationKind.EXTERNSHIP, "Medicine", "XYZ", date(2024, 9, 2), date(2024, 9, 27), supervisor="dr. a"),
    Rotation(3, RotationKind.EXTERNSHIP, "Medicine", "QRS", date(2025, 5, 5), date(2025, 5, 30), supervisor="Dr. B"),
]


def test_progress_drafts_go_to_former_supervisors_once_and_need_approval():
    moment = Moment(MomentKind.EXAM_SCORE, date(2025, 3, 1), "Step 2 CK passed with 245")
    drafts = progress_drafts(moment, APPLICANT, ROTS, today=date(2025, 3, 3))
    assert [d.supervisor for d in drafts] == ["dr. a"]  # one per supervisor, the latest rotation; Dr. B is future
    assert drafts[0].rotation_id == 2 and drafts[0].needs_approval and drafts[0].due == date(2025, 3, 3)
    assert "Step 2 CK passed with 245" in drafts[0].draft.body
    assert parse_moment("Match Day") is MomentKind.MATCH_DAY
    with pytest.raises(CoachInputError, match="unknown kind 'birthday'"):
        parse_moment("birthday")


def test_only_a_supervisor_who_wrote_a_letter_is_thanked_for_it():
    """"Thank you again for your letter" went to every former supervisor, letter or not."""
    from imgcoach.coach.models import Letter

    two = [ROTS[0], replace(ROTS[2], end=date(2025, 1, 31), start=date(2025, 1, 6))]
    moment = Moment(MomentKind.APPLICATIONS_SUBMITTED, date(2025, 3, 1))
    letters = [Letter("Dr. B", "uploaded", rotation_id=3), Letter("Dr. A", "declined", rotation_id=1)]
    bodies = {d.supervisor: d.draft.body for d in progress_drafts(moment, APPLICANT, two, date(2025, 3, 3), letters)}
    assert "Thank you again for your letter" in bodies["Dr. B"]
    assert "letter" not in bodies["Dr. A"] and "Thank you again for your teaching" in bodies["Dr. A"]


def test_log_rules():
    obs = ROTS[0]
    check_weekly_entry(obs, obs.start, 40)
    check_weekly_entry(obs, obs.end, 0)
    with pytest.raises(CoachInputError, match=r"week_of: outside rotation 1 .*2024-06-03 to 2024-06-28\) \(got '2024-06-29'\)"):
        check_weekly_entry(obs, obs.end + timedelta(days=1), 40)
    with pytest.raises(CoachInputError, match="hours"):
        check_weekly_entry(obs, obs.start, 200)
    with pytest.raises(CoachInputError, match="is observing only"):
        check_weekly_entry(obs, obs.start, 40, procedures_performed=("suturing",))
    check_weekly_entry(ROTS[1], ROTS[1].start, 40, procedures_performed=("suturing",))
    assert parse_project_kind("Quality improvement") == "qi"


def test_cli_says_why_no_progress_draft_was_made(capsys: pytest.CaptureFixture[str], ctx) -> None:
    """A new user's `progress mark exam_score` printed "0 draft(s) waiting for your approval" and no reason."""
    from tests.cli_helpers import run_cli

    marked = run_cli(capsys, "progress", "mark", "exam_score", "--db", ctx.db.url, "--detail", "Step 1: pass")
    assert marked.code == 0, marked.err
    assert "0 drafts waiting" in marked.out and "no former supervisor yet" in marked.out

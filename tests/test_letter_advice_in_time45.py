"""Readiness's letter advice: rotations that end by the submission date first, later ones said as what they are.

Found on stop 45's walk: the one host-country rotation ran 16 August to 8 October 2027 (Match 2028, submission
3 September 2027) and readiness said "Ask Dr. ... for a letter between 2027-09-13 and 2027-09-24" as if nothing
were different about it. Stop 45 then called it "Not where to ask this season: ... a letter from it cannot be on
the application": false too, since ERAS lets a letter uploaded later be assigned to programs already applied to
(AAMC's FAQ, readiness.toml's [letters] source). Stop 46 says what such a letter can do: it is still asked for,
with the note, when no rotation ends in time, and said to reach programs after they start reviewing when it
ends after that. Real SQLite, the context's fixed clock (25 November 2026).
"""

from __future__ import annotations

from datetime import date

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_letter_request, add_rotation


def _rotation(ctx: Context, start: date, end: date, institution: str, writer: str) -> None:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=end, hours_per_week=40, hands_on=True)
    assert rotation.id is not None
    contact = add_contact(ctx, writer, email="writer@example.org", rotation_id=rotation.id, role="supervisor")
    assert contact.id is not None
    add_letter_request(ctx, contact.id, rotation_id=rotation.id)


def _letters(ctx: Context):  # type: ignore[no-untyped-def]
    report = check_readiness(ctx)
    assert report.season.submission == date(2027, 9, 3)
    return next(c for c in report.checks if c.key == "letters")


def test_a_rotation_ending_after_the_submission_date_is_asked_with_what_its_letter_can_do(ctx: Context) -> None:
    _rotation(ctx, date(2027, 8, 16), date(2027, 10, 8), "Late Hospital (fictional)", "Dr. Late Writer (fictional)")
    letters = _letters(ctx)
    assert letters.action is not None
    assert letters.action.text.startswith(
        "Ask Dr. Late Writer (fictional) (Clinical Externship in Internal Medicine, Late Hospital (fictional)) for a "
        "letter between 2027-09-13 and 2027-09-24 (it ends after the submission date: assign the letter to your "
        "programs when it is uploaded)"), letters.action
    (late,) = [x for x in letters.evidence if "after the 2028 submission date" in x]
    assert late == ("Clinical Externship in Internal Medicine, Late Hospital (fictional) ends 2027-10-08, after the "
                    "2028 submission date (2027-09-03): its letter can still be assigned to programs after you apply "
                    "(four at most per program), but reaches them after they start reviewing (2027-09-24)"), late
    assert not [x for x in letters.evidence if "cannot be on the application" in x]


def test_one_ending_before_programs_review_says_when_they_start(ctx: Context) -> None:
    _rotation(ctx, date(2027, 8, 23), date(2027, 9, 17), "September Hospital (fictional)", "Dr. Sep (fictional)")
    (late,) = [x for x in _letters(ctx).evidence if "after the 2028 submission date" in x]
    assert late.endswith("(four at most per program); programs start reviewing on 2027-09-24"), late


def test_a_letter_asked_in_time_is_confirmed_before_a_late_one_is_asked(ctx: Context) -> None:
    from imgcoach.plan import list_letters, set_letter_status

    _rotation(ctx, date(2027, 5, 3), date(2027, 5, 28), "May Hospital (fictional)", "Dr. May Writer (fictional)")
    ((may, _, _),) = list_letters(ctx)
    assert may.id is not None
    set_letter_status(ctx, may.id, "requested")
    _rotation(ctx, date(2027, 8, 16), date(2027, 10, 8), "Late Hospital (fictional)", "Dr. Late Writer (fictional)")
    letters = _letters(ctx)
    assert letters.action is not None
    assert letters.action.text.startswith("Confirm with Dr. May Writer (fictional)"), letters.action


def test_an_earlier_rotation_is_named_instead(ctx: Context) -> None:
    _rotation(ctx, date(2027, 8, 16), date(2027, 10, 8), "Late Hospital (fictional)", "Dr. Late Writer (fictional)")
    _rotation(ctx, date(2027, 5, 3), date(2027, 5, 28), "May Hospital (fictional)", "Dr. May Writer (fictional)")
    letters = _letters(ctx)
    assert letters.action is not None
    assert letters.action.text.startswith("Ask Dr. May Writer (fictional) (Clinical Externship in Internal "
                                          "Medicine, May Hospital (fictional)) for a letter between"), letters.action

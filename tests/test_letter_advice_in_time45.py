"""Readiness's letter advice names only rotations that end by the submission date.

Found on stop 45's walk: the one host-country rotation ran 16 August to 8 October 2027 (Match 2028, submission
3 September 2027) and readiness said "Ask Dr. ... for a letter between 2027-09-13 and 2027-09-24": a letter asked
after the day programs start reading applications, from a rotation the months check already leaves out. It now
says that rotation's letter cannot be on the application by then, and what to do instead. Real SQLite, the
context's fixed clock (25 November 2026).
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


def test_a_rotation_ending_after_the_submission_date_is_not_where_to_ask(ctx: Context) -> None:
    _rotation(ctx, date(2027, 8, 16), date(2027, 10, 8), "Late Hospital (fictional)", "Dr. Late Writer (fictional)")
    letters = _letters(ctx)
    assert letters.action is not None
    assert "Dr. Late Writer" not in letters.action.text, letters.action
    assert letters.action.text.startswith("Plan a rotation ending by the submission date (2027-09-03) with an "
                                          "attending who will supervise you directly and can write"), letters.action
    (late,) = [x for x in letters.evidence if "cannot be on the application" in x]
    assert late == ("Not where to ask this season: Clinical Externship in Internal Medicine, Late Hospital "
                    "(fictional) ends 2027-10-08, after the 2028 submission date (2027-09-03): a letter from it "
                    "cannot be on the application when programs start reading it"), late


def test_an_earlier_rotation_is_named_instead(ctx: Context) -> None:
    _rotation(ctx, date(2027, 8, 16), date(2027, 10, 8), "Late Hospital (fictional)", "Dr. Late Writer (fictional)")
    _rotation(ctx, date(2027, 5, 3), date(2027, 5, 28), "May Hospital (fictional)", "Dr. May Writer (fictional)")
    letters = _letters(ctx)
    assert letters.action is not None
    assert letters.action.text.startswith("Ask Dr. May Writer (fictional) (Clinical Externship in Internal "
                                          "Medicine, May Hospital (fictional)) for a letter between"), letters.action

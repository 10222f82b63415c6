"""`rotations show` and `profile show` for a person: labelled lines in a fixed order, days written as the app
writes them ("05 Jul 2026"), moments in the applicant's zone with the zone named, as the lists write them
("2026-12-02 09:00 EST", core.datewords.moment_words).

One rule for gaps: a field with no value says "not set", a list with no entries says "none"; every label
is always printed, so a reader (or a script using grep) finds each in the same place every time.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from imgcoach.core.budget import DEFAULT_BUDGET_USED
from imgcoach.core.datewords import moment_words
from imgcoach.core.vocab.letters import ask_window_words, letter_asked
from imgcoach.plan import VISA_WORDS, hours_text

NOT_SET = "not set"
NONE = "none"
DAY = "%d %b %Y"  # as the app writes a day: the month a word, the year four digits
LABEL_WIDTH = 18


def day(value: date | None) -> str:
    return value.strftime(DAY) if value else NOT_SET


def moment(value: datetime, tz: tzinfo) -> str:
    """A stored instant in the applicant's zone, the zone named, as every list writes one (core.datewords.
    moment_words: "2026-12-02 09:00 EST"). It wrote "02 Dec 2026 09:00 EST" beside `reminders list` and the
    outbox writing the same reminder otherwise; a day alone stays as the app writes it ("05 Jul 2026")."""
    return moment_words(value, tz)


def field(label: str, value: Any) -> str:
    shown = NOT_SET if value is None or value == "" or value == [] else value
    if isinstance(shown, list | tuple):
        shown = ", ".join(str(x) for x in shown)
    return f"  {label:<{LABEL_WIDTH}} {shown}"


def section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *(lines or [f"  {NONE}"])]


def length_text(start: date, end: date) -> str:
    days = (end - start).days + 1
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return f"{days} day" if days == 1 else f"{days} days"


def status_text(d: dict[str, Any]) -> str:
    """A reminder's status as a person reads it, from its JSON shape (imgcoach.cli.shapes.reminder_json)."""
    from imgcoach.reminders import status_words

    return status_words(d["status"], d["delivered_via"], d["overdue"], awaiting=d["awaiting_approval"],
                        expired=d["expired"], superseded=d["superseded"])


def _country(code: str) -> str:
    from imgcoach.core.vocab.countries import country_name

    return country_name(code) if code else ""


def give_hours(rotation_id: int | None) -> str:
    """How to replace a rotation's assumed hours with the real figure (`rotations show`, the import report)."""
    return f"give them with `imgcoach rotations edit {rotation_id} --hours N`"


def rotation_lines(detail: Any, tz: tzinfo, tz_name: str, window: tuple[date, date] | None,
                   now: datetime) -> list[str]:
    """A rotation (imgcoach.plan.rotation_detail) for a person: what, where, when, hours, mode, then its people,
    letters, cases and reminders. `window` is the letter window from imgcoach.plan.request_window."""
    from imgcoach.cli.shapes import reminder_json
    from imgcoach.reminders import rotation_kind_label, superseded_openings, why_not_sent

    r = detail.rotation
    what = f"{r.specialty} {rotation_kind_label(r.kind)}"
    place = ", ".join(x for x in (r.city, r.state, _country(r.country)) if x)
    lines = [
        f"Rotation {r.id}: {what} at {r.institution}",
        "",
        field("What", what),
        field("Department", r.department),
        field("Setting", r.setting),
        field("Where", r.institution),
        field("Place", place),
        field("When", f"{r.start_date:%a} {day(r.start_date)} to {r.end_date:%a} {day(r.end_date)} "
                      f"({length_text(r.start_date, r.end_date)})"),
        field("Hours", (hours_text(r.hours_per_week, r.hours_assumed) + (f": {give_hours(r.id)}" if r.hours_assumed else ""))
              if r.hours_per_week else None),
        field("Mode", "hands-on" if r.hands_on else "observing only"),
        field("Feedback asked", day(r.feedback_requested_on) if r.feedback_requested_on else None),
        field("Letter window", _window_text(window, now.astimezone(tz).date())),
        field("Responsibilities", r.responsibilities),
        field("Learned", r.learned),
    ]
    lines += section("People", [  # each with their role: a coordinator listed under "Supervisors" read as one
        f"  {c.name}" + (f", {c.title}" if c.title else "") + f" ({role.replace('_', ' ')})"
        + (f" <{c.email}>" if c.email else ", e-mail not set")
        for c, role in detail.supervisors
    ])
    lines += section("Letters", [_letter_line(letter, writer) for letter, writer in detail.letters])
    lines += section("Cases", [
        f"  {c.title}" + (f" [{', '.join(c.tags)}]" if c.tags else "") + (f", {day(c.occurred_on)}" if c.occurred_on
                                                                          else "")
        for c in detail.cases
    ])
    gone = superseded_openings(detail.reminders, now)
    reminders = [reminder_json(x, tz, now, gone) for x in detail.reminders]
    lines += section(f"Reminders (times in {tz_name})", [
        f"  {moment(x.due_at, tz)}  {d['label']}: {status_text(d)}"
        + (f" ({why})" if (why := why_not_sent(x.status, x.note, x.last_error)) else "")
        for x, d in zip(detail.reminders, reminders, strict=True)
    ])
    return lines


def _window_text(window: tuple[date, date] | None, today: date) -> str | None:
    if window is None:
        return None
    text = ask_window_words(window[0], window[1], day)
    return f"{text} (passed)" if window[1] < today else text


def _letter_line(letter: Any, writer: Any) -> str:
    on = {"requested": letter.requested_on, "agreed": letter.agreed_on, "uploaded": letter.uploaded_on,
          "declined": letter.declined_on}.get(letter.status)
    text = f"  {writer.name}: {letter.status}"
    if letter_asked(letter.status):
        text += f" on {day(on)}" if on else " (date not set)"
    if letter.due_on:
        text += f", due {day(letter.due_on)}"
    return text




def profile_lines(applicant: Any) -> list[str]:
    """The profile in the order a person fills it in; no internal keys (id, synthetic flag)."""
    budget_usd = applicant.application_budget_usd
    budget_set = applicant.application_budget_programs is not None or budget_usd is not None
    lines = [
        f"Profile of {applicant.name}",
        "",
        field("Name", applicant.name),
        field("E-mail", applicant.email),
        field("Time zone", applicant.timezone),
        *([field("Data", "synthetic demo, not a real person")] if applicant.synthetic else []),
        "",
        "Education",
        field("School", applicant.school),
        field("School country", applicant.school_country),
        field("Graduation year", applicant.graduation_year),
        field("Visa", VISA_WORDS.get(applicant.visa, applicant.visa)),
        field("U.S. citizen", "yes" if applicant.us_citizen else "no" if applicant.us_citizen_said
              else "not said (the shortlist counts you as a non-U.S. IMG; set it: imgcoach profile set "
                   "--us-citizen or --not-us-citizen)"),
        "",
        "Targets",
        field("Specialties", list(applicant.target_specialties)),
        field("Countries", [f"{_country(c)} ({c})" if len(c) == 2 else c for c in applicant.target_countries]),
        field("Preferred states", list(applicant.target_states)),
        field("Home states", list(applicant.home_states)),
        "",
        "Documents",
        field("CV", applicant.cv_path),
        field("Personal statement", applicant.personal_statement_path),
        "",
        "Application budget",
        # With no budget at all the list uses the default: said as the app's profile screen says it.
        field("Programs", applicant.application_budget_programs if budget_set else f"{NOT_SET}: {DEFAULT_BUDGET_USED}"),
        field("Dollars", f"${budget_usd:,.0f}" if budget_usd is not None else None),
    ]
    return lines

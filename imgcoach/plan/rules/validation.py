"""Field validation. Each check returns a FieldError naming the field and the value, or None."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from imgcoach.core.errors import FieldError, ValidationError
from imgcoach.core.oneline import NOT_ONE_LINE, is_one_line

MIN_GRADUATION_YEAR = 1950
MAX_YEARS_AHEAD = 6  # still in medical school: graduation up to six years ahead


# The plan's years: a graduation from 1950, applications some years ahead. A date outside (9999-12-31)
# is a typo, and it used to break the calendar export and the feed for good.
MIN_DATE = date(1950, 1, 1)
MAX_DATE = date(2100, 12, 31)


def check_date_bounds(value: date, *, field: str) -> FieldError | None:
    if not MIN_DATE <= value <= MAX_DATE:
        return FieldError(field, value.isoformat(), f"must be between {MIN_DATE.year} and {MAX_DATE.year}")
    return None


def check_date_range(start: date, end: date, *, field: str = "end", start_field: str = "start",
                     end_kept: bool = False) -> FieldError | None:
    """`end_kept`: an edit moved the start and left the end as it was; a start moved past that end is the start's
    error. Blamed on the end, `rotations edit 3 --start 2027-03-20` said "--end: ends before it starts
    (2027-03-20) (got '2027-03-19')", a value the person never typed."""
    for value, name in ((start, "start"), (end, field)):
        if (problem := check_date_bounds(value, field=name)) is not None:
            return problem
    if end < start and end_kept:
        return FieldError(start_field, start.isoformat(),
                          f"is after the end ({end.isoformat()}), which this change keeps: change the end too")
    if end < start:
        return FieldError(field, end.isoformat(), f"ends before it starts ({start.isoformat()})")
    return None


def check_hours(hours: int, *, field: str = "hours_per_week") -> FieldError | None:
    if not 1 <= hours <= 80:
        return FieldError(field, hours, "hours per week must be between 1 and 80")
    return None


def check_email(email: str, *, field: str = "email") -> FieldError | None:
    """core.addresses' one rule for a typed address (a regex here once let "a..b@example.com" and
    "mailto:" forms into the profile, which the mail builder then refused at send time). Imported here: the
    budget and date checks beside it are on the first shortlist's path, which reads no address (issue 17)."""
    from imgcoach.core.addresses import validate_email

    try:
        validate_email(email, field)
    except FieldError as exc:
        return exc
    return None


def stored_email(email: str) -> str:
    """The form an address is kept in: trimmed, NFC, domain in lower-case ASCII (IDNA 2008). An address
    `check_email` refuses is returned as typed, for that check to name."""
    from imgcoach.core.addresses import validate_email

    try:
        return validate_email(email).address
    except FieldError:
        return email


def check_timezone(tz: str, *, field: str = "timezone") -> FieldError | None:
    try:
        if not tz or tz != tz.strip():
            raise ValueError
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory, a name too long for a file
        return FieldError(field, tz, "not an IANA time zone (e.g. America/New_York, Asia/Kolkata)")
    return None


def check_graduation_year(year: int, today: date, *, field: str = "graduation_year") -> FieldError | None:
    if not MIN_GRADUATION_YEAR <= year <= today.year + MAX_YEARS_AHEAD:
        return FieldError(
            field, year, f"graduation year must be between {MIN_GRADUATION_YEAR} and {today.year + MAX_YEARS_AHEAD}"
        )
    return None


# An application budget: more programs than one season's ACGME programs, or dollars past a million, is a typo.
MAX_BUDGET_PROGRAMS = 20_000
MAX_BUDGET_USD = 1_000_000.0


def check_budget_programs(programs: int | None, *, field: str) -> FieldError | None:
    """The profile's and `shortlist --budget`'s one rule (matching.check_budget): the profile kept -3, which
    every shortlist then refused."""
    if programs is not None and not 1 <= programs <= MAX_BUDGET_PROGRAMS:
        return FieldError(field, programs, f"must be a whole number of programs from 1 to {MAX_BUDGET_PROGRAMS:,}")
    return None


def check_budget_usd(usd: float | None, *, field: str) -> FieldError | None:
    """As `check_budget_programs`, in US dollars; nan and inf compare false with everything, so they are named."""
    if usd is not None and not (math.isfinite(usd) and 1 <= usd <= MAX_BUDGET_USD):
        return FieldError(field, usd, f"must be a number of US dollars from 1 to {MAX_BUDGET_USD:,.0f}")
    return None


def check_not_after(day: date | None, today: date, *, field: str, then: str) -> FieldError | None:
    """A day that records something done (a patient seen, an e-mail sent) is today at the latest; `then`
    says what to do instead."""
    if day is not None and day > today:
        return FieldError(field, day.isoformat(), f"after today ({today}): {then}")
    return None


def check_choice(value: str, choices: Iterable[str], *, field: str) -> FieldError | None:
    options = tuple(choices)
    if value not in options:
        return FieldError(field, value, f"must be one of {', '.join(options)}")
    return None


def check_required(value: str, *, field: str) -> FieldError | None:
    if not (value or "").strip():
        return FieldError(field, value, "is required")
    return check_one_line(value, field=field)


def check_one_line(value: object, *, field: str) -> FieldError | None:
    """A name, place or title is one line: "Dr. Ann\\r\\nBcc: x@y" was stored as a contact's name and broke
    every table it was listed in, and a terminal escape in an institution coloured the rest of the screen."""
    if isinstance(value, str) and not is_one_line(value):
        return FieldError(field, value, NOT_ONE_LINE)
    return None


def check_one_line_fields(values: dict[str, object], fields: Iterable[str]) -> list[FieldError | None]:
    """check_one_line for each of `fields` that `values` holds."""
    return [check_one_line(values[name], field=name) for name in fields if name in values]


def raise_if_any(*errors: FieldError | None) -> None:
    found = [e for e in errors if e is not None]
    if found:
        raise ValidationError(found)

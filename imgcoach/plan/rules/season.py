"""Which Match an applicant is aiming at, and that season's dates: one rule for readiness and the shortlist.

Each feature worked the year out by itself: readiness from the season's submission date (3 September), the
shortlist from a fixed 1 September, and each read the two config keys in its own order. From 1 to 3
September the shortlist counted years since graduation and the H-1B warning for one Match while readiness
counted every deadline against the one before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from imgcoach.core.errors import UserError
from imgcoach.core.record import Record
from imgcoach.core.settings import in_config_file

# [coach] first: readiness's own key; [matching] match_year alone is read by both too (set for the shortlist,
# a coach screen naming another year was the contradiction this module ends).
SECTIONS = ("coach", "matching")


_TABLE: dict[str, Any] = {}  # season.toml's [season] table, parsed or restored (add_season_values) in this process


def season_table() -> dict[str, Any]:
    """The `[season]` table of season.toml, beside this module (its sources kept for display), parsed once per
    process (the same dict on every call: callers only read it)."""
    if not _TABLE:
        import tomllib  # here: a process that restored the table (add_season_values) parses nothing

        with open(Path(__file__).with_name("season.toml"), "rb") as fh:
            _TABLE.update(tomllib.load(fh)["season"])
    return _TABLE


# Kept between processes by the shortlist's quick look (matching.kept, in the database under a key of this code's
# files, season.toml among them): tomllib's import and this parse were about 2 ms of each first look after a write
# (issue 17). marshal writes the table, with each TOML date as a tagged tuple (TOML arrays parse as lists, never
# tuples, so the tag cannot be a value of the file).
_DATE = "tomllib date"


def season_values() -> dict[str, Any] | None:
    """The table as marshal writes it, when this process parsed or restored it; None before."""
    return _encoded(_TABLE) if _TABLE else None


def add_season_values(values: object) -> None:
    """Restore a table season_values gave (in another process of this code): season_table returns it and parses
    nothing. A TypeError or ValueError for anything else, and the table is left as it was."""
    if not isinstance(values, dict) or not values:
        raise TypeError("not a season table")
    table = _decoded(values)
    if not _TABLE:
        _TABLE.update(table)


def _encoded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _encoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encoded(v) for v in value]
    if type(value) is date:
        return (_DATE, value.toordinal())
    if isinstance(value, str | int | float):  # bool is an int
        return value
    raise ValueError(f"a season.toml value marshal does not write as it is: {value!r}")  # a time or date-time


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    if isinstance(value, tuple):
        if len(value) != 2 or value[0] != _DATE or type(value[1]) is not int:
            raise ValueError("not a season table")
        return date.fromordinal(value[1])
    if isinstance(value, str | int | float):
        return value
    raise TypeError("not a season table")


def season_days(match_year: int, known: dict[int, dict[str, date]] | None = None) -> tuple[dict[str, date], bool]:
    """The season's dates (opens, submission, review, match_week) for a Match year, and whether they are
    estimated: a year not in the table reuses the latest known month and day for the ERAS dates, and takes
    Match Week by the NRMP's weekday pattern (match_week_of): copied, 16 March fell on a Thursday in 2028."""
    table = known if known is not None else {int(y): dict(d) for y, d in season_table()["known"].items()}
    if match_year in table:
        return dict(table[match_year]), False
    latest = max(table)
    shift = match_year - latest
    days = {k: v.replace(year=v.year + shift) for k, v in table[latest].items()}
    return days | {"match_week": match_week_of(match_year)}, True


def estimate_words(match_year: int) -> str:
    """What a season's ERAS dates are estimated from, or "" for a season the table holds: said beside a date
    shown alone (the shortlist's "submission date (2027-09-03)" read as the AAMC's, not 2026's copied)."""
    table = season_table()["known"]
    if str(match_year) in table:
        return ""
    return f"estimated: ERAS {max(int(year) for year in table)}'s month and day"


def match_week_of(match_year: int) -> date:
    """The Monday of Match Week by the NRMP's pattern (season.toml's source): Match Day is the third Friday of
    March, and Match Week runs from the Monday before it (16-20 March in 2026)."""
    first = date(match_year, 3, 1)
    third_friday = first + timedelta(days=(4 - first.weekday()) % 7 + 14)
    return third_friday - timedelta(days=4)


def submission_day(match_year: int) -> date:
    """The ERAS submission date of that Match: the first day an application can be submitted, and what it lists
    cannot change after (programs start reviewing on the later review date; letters can still be assigned)."""
    return season_days(match_year)[0]["submission"]


def on_application(end: date, submission: date) -> bool:
    """Whether a rotation ending on ``end`` is experience the application shows: programs read it from the
    submission date, and a rotation still to end then is not there to count. Readiness's months and the
    shortlist's requirements both counted planned rotations ending after it (one in the December after
    submission made "3 of 3 months" and met a program's requirement "by your plan")."""
    return end <= submission


# Said wherever a rotation running through the submission date is counted, in readiness and the shortlist alike.
UNDER_WAY_WORDS = "under way on the submission date"


def weeks_served_by(start: date, submission: date) -> int:
    """Full weeks of a rotation served before the submission date: what an application listing it as current
    shows of one still under way then. Readiness's months, recency and specialty checks and the shortlist's USCE
    all count a rotation running through the submission date this way (the months counted these weeks while
    recency and the specialty check said "not met" for the same rotation)."""
    return (submission - start).days // 7 if start < submission else 0


class MatchYear(Record):
    year: int
    why: str  # said beside the year: "set in the config file" or the submission date it was chosen by


def configured_match_year(settings: Any) -> tuple[int, str] | None:
    """The year the config file sets, with the key that set it; a UserError when the two keys disagree."""
    found = [(int(v), s) for s in SECTIONS if (v := settings.extra.get(s, {}).get("match_year")) is not None]
    if len({year for year, _ in found}) > 1:
        said = " and ".join(f"[{s}] match_year = {y}" for y, s in found)
        raise UserError(in_config_file(f"{said} name different Match years; readiness and the shortlist count one "
                                       "season: keep one of the two"))
    return found[0] if found else None


def match_year(settings: Any, today: date, submission_of: Callable[[int], date] = submission_day) -> MatchYear:
    """The Match the applicant is aiming at: the configured one, else the first whose ERAS submission date is
    today or later (on the submission day itself that season is still the one to apply to)."""
    configured = configured_match_year(settings)
    if configured is not None:
        year, section = configured
        _refuse_a_match_that_is_over(year, section, today)
        return MatchYear(year, f"set in the config file ([{section}] match_year)")
    year = today.year
    while submission_of(year) < today:
        year += 1
    return MatchYear(year, "the next season whose submission date has not passed")


def _refuse_a_match_that_is_over(year: int, section: str, today: date) -> None:
    """A configured Match whose Match Week ended is nobody's season: readiness counted every deadline
    against it ("Match 1999 ... submission 1998-09-03") and the shortlist ranked programs for it."""
    week = season_days(year)[0]["match_week"]
    if week + timedelta(days=7) <= today:
        raise UserError(in_config_file(f"[{section}] match_year = {year}: that Match is over (its Match Week began "
                                       f"{week:%d %b %Y}); set the year you apply for, or remove match_year to aim at "
                                       "the next season"))

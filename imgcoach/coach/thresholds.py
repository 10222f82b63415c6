"""Load readiness.toml, the single home of every readiness threshold and its public source."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from imgcoach.coach.errors import CoachInputError
from imgcoach.plan import season_days, season_table


@dataclass(frozen=True, slots=True)
class Milestone:
    code: str
    label: str
    due: str  # a season date name: submission | review | match_week | opens
    needs: str  # pass | score


@dataclass(frozen=True, slots=True)
class ExamPath:
    key: str
    label: str
    source: str
    planning_buffer_days: int
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True, slots=True)
class SeasonDates:
    match_year: int
    opens: date
    submission: date
    review: date
    match_week: date
    estimated: bool

    def named(self, name: str) -> date:
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Typed view of readiness.toml; ``raw`` keeps the sources for display."""

    weeks_per_month: int
    usce_min: float
    usce_max: float
    usce_floor: float
    recent_months: int
    stale_months: int
    specialty_months: int
    letters_target: int
    letters_recent_months: int
    ask_weeks_max: int
    ask_weeks_min: int
    grad_many_max: int
    grad_historical_max: int
    grad_helps: tuple[str, ...]
    follow_up_days: int
    max_follow_ups: int
    seasons: dict[int, dict[str, date]]
    exam_paths: dict[str, ExamPath]
    raw: dict[str, Any]

    def source(self, section: str) -> str:
        """The cited source of a section, with a rule-of-thumb marker when the file says so."""
        block = self.raw.get(section, {})
        text = " ".join(str(block.get("source", "")).split())
        return f"{text} (rule of thumb)" if block.get("rule_of_thumb") else text

    def season(self, match_year: int) -> SeasonDates:
        """Season dates for a Match year; unknown years are estimated by the plan's rule (season_days)."""
        known, estimated = season_days(match_year, self.seasons)
        return SeasonDates(match_year=match_year, estimated=estimated, **known)

    def exam_path(self, key: str) -> ExamPath:
        try:
            return self.exam_paths[key]
        except KeyError:
            known = ", ".join(sorted(self.exam_paths))
            raise CoachInputError(f"unknown exam path {key!r} (readiness.toml has: {known})") from None


def _default_path() -> Path:
    """The shipped file, beside this module: what importlib.resources.files() names for a package installed as
    files (the only way imgcoach is installed; the Path below needs a real file anyway), without importing
    importlib.resources' readers and zipfile, a few ms of the first `readiness` after a write (issue 17)."""
    return Path(__file__).parent / "data" / "readiness.toml"


def parse_thresholds(raw: dict[str, Any], origin: str = "readiness.toml") -> Thresholds:
    """Build Thresholds from parsed TOML, naming the missing field when the file is incomplete."""
    try:
        paths = {
            key: ExamPath(
                key=key,
                label=block["label"],
                source=" ".join(block.get("source", "").split()),
                planning_buffer_days=int(block.get("planning_buffer_days", 0)),
                milestones=tuple(
                    Milestone(m["code"], m["label"], m["due"], m.get("needs", "pass")) for m in block["milestones"]
                ),
            )
            for key, block in raw["exam_paths"].items()
        }
        # The season dates are the plan's (the shortlist reads them too); a thresholds file may still carry its own.
        season = raw["season"] if "season" in raw else season_table()
        seasons = {int(year): dict(dates) for year, dates in season["known"].items()}
        return Thresholds(
            weeks_per_month=int(raw["months"]["weeks_per_month"]),
            usce_min=float(raw["usce"]["target_min_months"]),
            usce_max=float(raw["usce"]["target_max_months"]),
            usce_floor=float(raw["usce"]["floor_months"]),
            recent_months=int(raw["recency"]["recent_months"]),
            stale_months=int(raw["recency"]["stale_months"]),
            specialty_months=int(raw["recency"]["specialty_months"]),
            letters_target=int(raw["letters"]["target"]),
            letters_recent_months=int(raw["letters"]["recent_months"]),
            ask_weeks_max=int(raw["letters"]["ask_weeks_before_end_max"]),
            ask_weeks_min=int(raw["letters"]["ask_weeks_before_end_min"]),
            grad_many_max=int(raw["graduation"]["many_programs_max_years"]),
            grad_historical_max=int(raw["graduation"]["historical_max_years"]),
            grad_helps=tuple(raw["graduation"]["helps"]),
            follow_up_days=int(raw["outreach"]["follow_up_days"]),
            max_follow_ups=int(raw["outreach"]["max_follow_ups"]),
            seasons=seasons,
            exam_paths=paths,
            raw=raw,
        )
    except KeyError as exc:
        raise CoachInputError(f"{origin}: missing field {exc.args[0]!r}") from None


@cache
def _load_cached(path: str) -> Thresholds:
    with open(path, "rb") as fh:
        try:
            raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise CoachInputError(f"{path}: {exc}") from None
    return parse_thresholds(raw, origin=path)


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The thresholds shipped with imgcoach, or those of ``path``."""
    return _load_cached(str(path or _default_path()))

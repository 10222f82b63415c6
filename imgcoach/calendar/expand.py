"""Expand recurring series (RRULE/RDATE with EXDATE and RECURRENCE-ID overrides) within a window.

Only the series go through recurring-ical-events, in one query over a small calendar holding
them and the file's VTIMEZONEs; single events never pay for expansion. If that query fails,
each series is expanded alone so the broken ones can be named and the rest still imported.

We read recurring-ical-events' Occurrence objects (start, end, source component) instead of
asking it to copy a full component per occurrence: that copy was ~40 % of the import time on
a 10,000-event file. The attributes used are checked by tests against the pinned 3.8 release.

Expansion is bounded: each series yields lazily and is cut after `max_per_series` occurrences, and
the whole file after `max_total`, so a 135-byte `RRULE:FREQ=MINUTELY` cannot become a million rows
(issue 16). What was cut is returned so the reader can say so.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

import recurring_ical_events
from dateutil import rrule as du  # type: ignore[import-untyped]  # no types-python-dateutil in the lock yet
from icalendar import Calendar, Component

from imgcoach.calendar.values import when


@dataclass(frozen=True)
class Occurrence:
    source: Component  # the master or the override it comes from (not a copy: read only)
    start: datetime | date
    end: datetime | date
    original_start: datetime | date  # what RECURRENCE-ID identifies this occurrence by


MAX_PER_SERIES = 1500  # more than three years of a daily series: a plan's span
MAX_TOTAL = 50_000  # occurrences of all series in one file
# dateutil computes every candidate from DTSTART to the window's end before recurring-ical-events sees
# one (about 7 us each): a FREQ=MINUTELY rule is 1.3 million candidates over three years. A series whose
# rule would need more than this is expanded only as far as this many candidates reach.
MAX_CANDIDATES = 100_000
_PERIOD = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
           "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}


@dataclass
class Expansion:
    occurrences: list[Occurrence] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # uid -> why the series could not be expanded
    cut: dict[str, int] = field(default_factory=dict)  # uid -> occurrences kept, when it had more
    total_cut: bool = False  # the file-wide limit stopped expansion
    dense: dict[str, datetime] = field(default_factory=dict)  # uid -> expanded only up to here (rule too dense)


def _calendar(timezones: Sequence[Component], components: Sequence[Component]) -> Calendar:
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", "-//imgcoach//expand//EN")
    for comp in (*timezones, *components):
        cal.add_component(comp)
    return cal


def _original_start(occ: object, source: Component) -> datetime | date:
    rid = source.get("RECURRENCE-ID")
    start = occ.start  # type: ignore[attr-defined]
    if rid is None:
        return start
    if rid.params.get("RANGE") == "THISANDFUTURE" and start != when(source, "DTSTART"):
        # a later occurrence shifted by a THISANDFUTURE override: identified by its own start
        return start
    return rid.dt


def _count(rule: object, part: str) -> int:
    value = rule.get(part) if hasattr(rule, "get") else None
    return max(1, len(value)) if isinstance(value, list) else 1


def candidate_stop(master: Component, window: tuple[datetime, datetime],
                   limit: int = MAX_CANDIDATES) -> datetime | None:
    """Where to stop expanding a series whose rule yields more than `limit` candidates between its
    DTSTART and the window's end; None when the whole window is cheap enough."""
    rule = master.get("RRULE")
    start = getattr(master.get("DTSTART"), "dt", None)
    if rule is None or start is None:
        return None
    if isinstance(rule, list):
        rule = rule[0]
    freq = rule.get("FREQ")
    freq = str(freq[0] if isinstance(freq, list) else freq or "").upper()
    if freq not in _PERIOD:
        return None
    interval = rule.get("INTERVAL") or [1]
    try:
        step = _PERIOD[freq] * max(1, int(interval[0] if isinstance(interval, list) else interval))
    except (TypeError, ValueError):
        step = _PERIOD[freq]
    fan_out = _count(rule, "BYSECOND") * _count(rule, "BYMINUTE") * _count(rule, "BYHOUR")
    if freq in ("WEEKLY", "MONTHLY", "YEARLY"):
        fan_out *= _count(rule, "BYDAY") * _count(rule, "BYMONTHDAY")
    if freq == "YEARLY":
        fan_out *= _count(rule, "BYMONTH") * _count(rule, "BYYEARDAY") * _count(rule, "BYWEEKNO")
    if not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time())
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    hi = window[1]
    span = (hi - start).total_seconds()
    if span <= 0 or span / step * fan_out <= limit:
        return None
    return start + timedelta(seconds=limit / fan_out * step)


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def never_occurs(master: Component) -> str:
    """Why a rule can never produce a date (BYMONTHDAY=30 with BYMONTH=2), else "".

    dateutil searches such a rule up to the year 9999 (seconds of CPU, minutes for FREQ=SECONDLY),
    and neither COUNT nor UNTIL stops it, because no candidate ever matches."""
    rules = master.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules]:
        if rule is None:
            continue
        months = [int(m) for m in rule.get("BYMONTH") or [] if str(m).lstrip("-").isdigit()]
        days = [int(d) for d in rule.get("BYMONTHDAY") or [] if str(d).lstrip("-").isdigit()]
        if months and days and all(abs(d) > _MONTH_DAYS.get(m, 31) for m in months for d in days):
            return (f"its RRULE can never occur (BYMONTHDAY={','.join(map(str, days))} with "
                    f"BYMONTH={','.join(map(str, months))})")
    return ""


# The parts of a recurrence rule (RFC 5545 3.3.10; RSCALE and SKIP from RFC 7529, which dateutil refuses on its own).
RULE_PARTS = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
              "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST", "RSCALE", "SKIP")


def unknown_part(master: Component) -> str:
    """Why a rule with a part iCalendar does not define cannot be expanded, naming the part as written, else "".

    Left to the expansion, `UNTL=20191023` (UNTIL misspelt) was refused as "UNTIL parameter has a bad format:
    FREQ=WEEKLY;UNTIL=20281208T113708Z;...", the UNTIL `bound_rule` adds at the window's end: a value the file does
    not have, different at every run."""
    rules = master.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules]:
        for name in rule or {}:
            if str(name).upper() not in RULE_PARTS:
                import difflib  # only for a broken rule

                value = ",".join(v.to_ical().decode() if hasattr(v, "to_ical") else str(v) for v in rule[name])
                close = difflib.get_close_matches(str(name).upper(), RULE_PARTS, n=1, cutoff=0.6)
                return (f"its RRULE has a part iCalendar does not define: {name}={value}"
                        + (f" (did you mean {close[0]}?)" if close else ""))
    return ""


def bound_rule(master: Component, stop: datetime) -> None:
    """Give an RRULE without UNTIL an UNTIL at `stop` (in place), so dateutil never searches past it.

    A rule whose BY parts never match (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) otherwise makes dateutil
    iterate to the year 9999 before giving up; COUNT does not stop it, as no candidate ever counts.
    Occurrences up to `stop` are unchanged; nothing after it is expanded anyway.
    """
    rules = master.get("RRULE")
    start = getattr(master.get("DTSTART"), "dt", None)
    if rules is None or start is None:
        return
    for rule in rules if isinstance(rules, list) else [rules]:
        if rule.get("UNTIL"):
            continue
        if not isinstance(start, datetime):
            until: date | datetime = stop.date()
        elif start.tzinfo is None:
            until = stop.replace(tzinfo=None)
        else:
            until = stop.astimezone(UTC)
        rule["UNTIL"] = [until]


def _uid(series: object) -> str:
    return str(getattr(series, "uid", "") or "")


def _between(cal: Calendar, window: tuple[datetime, datetime], out: Expansion, max_per_series: int,
             max_total: int, stops: dict[str, datetime]) -> None:
    with warnings.catch_warnings():  # dateutil deprecates COUNT with UNTIL; bound_rule adds UNTIL on purpose
        warnings.filterwarnings("ignore", message=".*'count' and 'until'", category=DeprecationWarning)
        _between_bounded(cal, window, out, max_per_series, max_total, stops)


def _between_bounded(cal: Calendar, window: tuple[datetime, datetime], out: Expansion, max_per_series: int,
                     max_total: int, stops: dict[str, datetime]) -> None:
    lo, hi = window
    query = recurring_ical_events.of(cal, components=["VEVENT", "VTODO"])
    # Dates, not datetimes: recurring-ical-events compares them with floating and all-day series alike.
    start, stop = query.to_datetime(lo.date()), query.to_datetime(hi.date())
    for series in query.series:  # what query._occurrences_between does, but lazily and bounded
        room = min(max_per_series, max_total - len(out.occurrences))
        if room <= 0:
            out.total_cut = True
            return
        early = stops.get(_uid(series))
        if early is not None and early < lo:
            continue  # the rule is too dense to reach the window at all: the reader says so
        end = query.to_datetime(early.date() + timedelta(days=1)) if early is not None else stop
        taken = list(islice(series.between(start, min(end, stop)), room + 1))
        if len(taken) > room:
            taken = taken[:room]
            out.cut[str(taken[0]._adapter._component.get("UID", "")).strip() or _uid(series)] = room
            if room < max_per_series:
                out.total_cut = True
        for occ in taken:
            source = occ._adapter._component
            out.occurrences.append(Occurrence(source, occ.start, occ.end, _original_start(occ, source)))


def expand_series(
    timezones: Sequence[Component],
    series: dict[str, list[Component]],
    window: tuple[datetime, datetime],
    *,
    max_per_series: int = MAX_PER_SERIES,
    max_total: int = MAX_TOTAL,
) -> Expansion:
    """Occurrences of every series in the window (bounded), the series that failed, and what was cut."""
    everything = [c for comps in series.values() for c in comps]
    out = Expansion()
    for uid, comps in series.items():
        try:
            early = candidate_stop(comps[0], window)
        except Exception:  # noqa: BLE001 - a rule too odd to estimate is left to the expansion below
            early = None
        if early is not None:
            out.dense[uid] = early
    stops = dict(out.dense)
    impossible = {uid: why for uid, comps in series.items()
                  if (why := unknown_part(comps[0]) or never_occurs(comps[0]))}
    if impossible:
        series = {uid: comps for uid, comps in series.items() if uid not in impossible}
        everything = [c for comps in series.values() for c in comps]
    for uid, comps in series.items():
        bound_rule(comps[0], stops.get(uid, window[1]) + timedelta(days=2))
    plain = _plain_rules(series)
    if plain is not None:
        try:
            _between_plain(plain, window, out, max_per_series, max_total, stops)
            out.failures.update(impossible)
            return out
        except Exception:  # noqa: BLE001 - whatever the shortcut cannot do, the library does below
            out = Expansion(dense=dict(stops))
    try:
        _between(_calendar(timezones, everything), window, out, max_per_series, max_total, stops)
        out.failures.update(impossible)
        return out
    except Exception:  # noqa: BLE001 - find the culprit(s) below, one series at a time
        out = Expansion(dense=stops)
    for uid, comps in series.items():
        before = len(out.occurrences)
        try:
            _between(_calendar(timezones, comps), window, out, max_per_series, max_total, stops)
        except Exception as exc:  # recurring-ical-events and dateutil raise many types for bad rules
            del out.occurrences[before:]
            out.failures[uid] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    out.failures.update(impossible)
    return out


# --- Plain series without recurring-ical-events ------------------------------------------------------
# Most files' series are "plain": one VEVENT with one RRULE of FREQ/INTERVAL/COUNT/UNTIL/BYDAY/WKST, maybe
# EXDATEs, no RDATE and no RECURRENCE-ID override. For those, recurring-ical-events' general machinery (a
# Series and adapters per UID, the rule printed to text and parsed back, recurrence-id sets, a span check
# through make_comparable for every occurrence) costs more than the rule itself. _between_plain computes
# exactly what _between_bounded gets from recurring-ical-events 3.8 for such a series (the same dateutil
# rule, the same span, EXDATE and UNTIL semantics, the same order), pinned by
# tests/test_calendar_expand_plain.py. A file is expanded one way or the other, never both: if any of
# its series is not plain, all of them go through the library.

_FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}
_DAYS = {"MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU}
_PLAIN_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"})


@dataclass(frozen=True)
class _Plain:
    """What one plain series needs, read from its component once."""

    source: Component
    key: str  # recurring-ical-events' series.uid, as _between_bounded looks up `stops` and names cuts
    cut_key: str
    start: datetime  # DTSTART as dateutil sees it (an all-day start as naive midnight)
    duration: timedelta
    all_day: bool
    rule: du.rrule
    until: datetime | None
    exdates: frozenset[date]  # EXDATEs given as dates: every occurrence on that day is excluded
    exids: frozenset[datetime]  # recurrence ids of EXDATE date-times (UTC and wall clock, naive)


def _kind(value: object) -> str:
    if isinstance(value, datetime):
        return "aware" if value.tzinfo is not None else "naive"
    return "date" if isinstance(value, date) else "?"


def _ids(value: datetime | date) -> tuple[datetime, ...]:
    """recurring_ical_events.util.to_recurrence_ids: how an occurrence and an EXDATE are matched."""
    if not isinstance(value, datetime):
        return (datetime(value.year, value.month, value.day),)
    if value.tzinfo is None:
        return (value,)
    return value.astimezone(UTC).replace(tzinfo=None), value.replace(tzinfo=None)


def _plain_rules(series: dict[str, list[Component]]) -> list[_Plain] | None:
    """Every series read for the plain expansion, or None when any one of them is not plain."""
    out: list[_Plain] = []
    with warnings.catch_warnings():  # dateutil deprecates COUNT with UNTIL; bound_rule adds UNTIL on purpose
        warnings.filterwarnings("ignore", message=".*'count' and 'until'", category=DeprecationWarning)
        for comps in series.values():
            plain = _plain_rule(comps)
            if plain is None:
                return None
            out.append(plain)
    return out


def _plain_rule(comps: list[Component]) -> _Plain | None:  # noqa: C901, PLR0911, PLR0912 - one check per rule part
    if len(comps) != 1:
        return None
    comp = comps[0]
    if comp.name != "VEVENT" or "RDATE" in comp or "RECURRENCE-ID" in comp or "DTSTART" not in comp:
        return None
    rules = comp.get("RRULE")
    if rules is None or isinstance(rules, list) or not set(rules) <= _PLAIN_PARTS:
        return None
    dtstart: Any = comp["DTSTART"]
    raw_start: Any = dtstart.dt
    end_prop: Any = comp.get("DTEND")
    dur_prop: Any = comp.get("DURATION")
    raw_end: Any
    if end_prop is not None:
        raw_end = end_prop.dt
    elif dur_prop is not None:
        if _kind(raw_start) == "date" and dur_prop.dt.seconds:
            return None  # a timed duration on an all-day start: the library's mixed case
        raw_end = raw_start + dur_prop.dt
    else:
        raw_end = raw_start if isinstance(raw_start, datetime) else raw_start + timedelta(days=1)
    kind = _kind(raw_start)
    if kind == "?" or _kind(raw_end) != kind or raw_end < raw_start:
        return None
    exdates: list[datetime | date] = []
    ex = comp.get("EXDATE")
    for holder in ex if isinstance(ex, list) else [ex] if ex is not None else []:
        dts = getattr(holder, "dts", None)
        if dts is None:
            return None
        for d in dts:
            if isinstance(d.dt, tuple) or _kind(d.dt) != kind:
                return None
            exdates.append(d.dt)
    freq = rules.get("FREQ") or []
    if len(freq) != 1 or str(freq[0]).upper() not in _FREQS:
        return None
    kwargs: dict[str, object] = {}
    for part, name in (("INTERVAL", "interval"), ("COUNT", "count")):
        value = rules.get(part)
        if value is not None:
            if len(value) != 1 or not isinstance(value[0], int) or isinstance(value[0], bool) or value[0] < 1:
                return None
            kwargs[name] = int(value[0])
    wkst = rules.get("WKST")
    if wkst is not None:
        if len(wkst) != 1 or str(wkst[0]).upper() not in _DAYS:
            return None
        kwargs["wkst"] = _DAYS[str(wkst[0]).upper()].weekday
    days = rules.get("BYDAY")
    if days is not None:
        weekdays = []
        monthly = str(freq[0]).upper() in ("MONTHLY", "YEARLY")
        for day in days:
            text = str(day).upper()
            name, number = text[-2:], text[:-2]
            if name not in _DAYS or (number and not (monthly and number.lstrip("+-").isdigit())):
                return None
            n = int(number) if number else 0
            if number and not (1 <= abs(n) <= 5):
                return None
            weekdays.append(_DAYS[name](n) if n else _DAYS[name])
        if not weekdays:
            return None
        kwargs["byweekday"] = weekdays
    # DTSTART as recurring-ical-events hands it to dateutil: a date becomes naive midnight
    start = raw_start if isinstance(raw_start, datetime) else datetime(raw_start.year, raw_start.month, raw_start.day)
    until = None
    value = rules.get("UNTIL")
    if value is not None:
        if len(value) != 1:
            return None
        u: Any = value[0]
        # The UNTIL recurring-ical-events ends up with (create_rule_with_start): dateutil refuses an UNTIL
        # whose zone-ness differs from DTSTART's, and the library then rewrites the rule text.
        if _kind(u) == "aware" and u.utcoffset() != timedelta(0):
            return None
        if kind == "aware":
            until = (datetime(u.year, u.month, u.day, tzinfo=UTC) if _kind(u) == "date" else
                     u.replace(tzinfo=UTC) if u.tzinfo is None else u)
        elif _kind(u) == "date" or (kind == "date" and _kind(u) == "aware"):
            until = datetime(u.year, u.month, u.day)
        else:
            until = u.replace(tzinfo=None)
        kwargs["until"] = until
    try:
        rule = du.rrule(_FREQS[str(freq[0]).upper()], dtstart=start, **kwargs)
    except (ValueError, TypeError):
        return None
    uid = comp.get("UID", str(id(comp)))
    return _Plain(
        source=comp, key=str(uid or ""), cut_key=str(comp.get("UID", "")).strip() or str(uid or ""), start=start,
        duration=raw_end - raw_start, all_day=kind == "date", rule=rule, until=until,
        exdates=frozenset(d for d in exdates if not isinstance(d, datetime)),
        exids=frozenset(i for d in exdates for i in _ids(d)))


def _in_span(lo: datetime | date, hi: datetime | date, start: datetime | date, end: datetime | date) -> bool:
    """recurring_ical_events.util.time_span_contains_event, the span's dates read in the event's zone."""
    if isinstance(start, datetime):
        tz = start.tzinfo
        lo = datetime(lo.year, lo.month, lo.day, tzinfo=tz)
        hi = datetime(hi.year, hi.month, hi.day, tzinfo=tz)
    if start == end:
        return lo <= start < hi
    return start < hi and lo < end


def _plain_between(p: _Plain, span_start: date, span_stop: date) -> Iterator[Occurrence]:
    """recurring_ical_events' Series.between for one plain series, in the same order."""
    tz = p.start.tzinfo
    first: Any = span_start - p.duration  # the library widens the query by the event's length (date arithmetic)
    lo = datetime(first.year, first.month, first.day, tzinfo=tz)
    hi = datetime(span_stop.year, span_stop.month, span_stop.day, tzinfo=tz)
    starts = p.rule.between(lo, hi, inc=True)
    if (p.until is None or not p.start > p.until) and lo <= p.start <= hi and (not starts or starts[0] != p.start):
        starts.insert(0, p.start)  # DTSTART is always an occurrence (RFC 5545), rule or not
    for start in starts:
        if p.exdates and date(start.year, start.month, start.day) in p.exdates:
            continue
        if p.exids and not p.exids.isdisjoint(_ids(start)):
            continue
        end = start + p.duration
        if p.all_day:
            s: datetime | date = date(start.year, start.month, start.day)
            e: datetime | date = date(end.year, end.month, end.day)
        else:
            s, e = start, end
        if _in_span(span_start, span_stop, s, e):
            yield Occurrence(p.source, s, e, s)


def _between_plain(plain: list[_Plain], window: tuple[datetime, datetime], out: Expansion, max_per_series: int,
                   max_total: int, stops: dict[str, datetime]) -> None:
    with warnings.catch_warnings():  # dateutil deprecates COUNT with UNTIL; bound_rule adds UNTIL on purpose
        warnings.filterwarnings("ignore", message=".*'count' and 'until'", category=DeprecationWarning)
        lo, hi = window
        start, stop = lo.date(), hi.date()
        for p in plain:  # as _between_bounded, step for step
            room = min(max_per_series, max_total - len(out.occurrences))
            if room <= 0:
                out.total_cut = True
                return
            early = stops.get(p.key)
            if early is not None and early < lo:
                continue
            end = early.date() + timedelta(days=1) if early is not None else stop
            taken = list(islice(_plain_between(p, start, min(end, stop)), room + 1))
            if len(taken) > room:
                taken = taken[:room]
                out.cut[p.cut_key] = room
                if room < max_per_series:
                    out.total_cut = True
            out.occurrences.extend(taken)

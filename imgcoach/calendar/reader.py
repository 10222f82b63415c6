"""Read iCalendar bytes into ParsedEvents and Problems: parse once, expand recurrences once.

Never raises for bad input: every failure becomes a Problem naming the file, line and event,
so the import service can list them all and decide (strict, or --skip-invalid).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import icalendar
import x_wr_timezone
from icalendar import Calendar, Component
from icalendar.parser import Contentline, Contentlines
from icalendar.parser.content_line import NEWLINE, UFOLD

from imgcoach.calendar import expand
from imgcoach.calendar.decode import Decoded, decode_ics
from imgcoach.calendar.model import Cancellation, ParsedEvent, ParseResult, Problem
from imgcoach.calendar.structure import Structure, scan
from imgcoach.calendar.timezones import (
    Resolved,
    fixed_offset_zone,
    iana_zone,
    offset_pair,
    parse_offset_name,
    resolve_display_name,
    resolve_tzid,
    rules_label,
    rules_year,
    zone_for_offsets,
)
from imgcoach.calendar.values import (
    DT_PROPS,
    categories,
    duration,
    fix_zones,
    has_prop,
    holders,
    organizer_name,
    prop_get,
    recurrence_key,
    text,
    to_utc,
    tzid_of,
    when,
    zone_name,
)
from imgcoach.core.clock_times import ended, exact_days_in, length_of, length_text, skipped, wall_text
from imgcoach.core.collector import collector_paused
from imgcoach.core.words import counted

ITEMS = ("VEVENT", "VTODO")
# iTIP (RFC 5546) messages that answer or ask about an invitation: nothing in them is an event of the applicant's.
ITIP_NOT_EVENTS = {
    "REPLY": "an answer to an invitation (RFC 5546 iTIP)",
    "COUNTER": "a counter-proposal to an invitation (RFC 5546 iTIP)",
    "DECLINECOUNTER": "a refused counter-proposal (RFC 5546 iTIP)",
    "REFRESH": "a request for the latest version of an invitation (RFC 5546 iTIP)",
}
# Zone scans (`zone_for_offsets`, 3-70 ms each) one file may ask for: a real export needs one per offset pair,
# or one a year while its pair is no zone's (Moscow's after 2011); a fuzzed one with every year must stay quick.
MAX_PAIR_SCANS = 24
WINDOW_BACK = timedelta(days=365)
WINDOW_AHEAD = timedelta(days=730)


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """Recurrences are expanded from a year back to two years ahead: the span a plan cares about."""
    return now - WINDOW_BACK, now + WINDOW_AHEAD


@dataclass
class _Ctx:
    """Per-file state while reading its calendars."""

    result: ParseResult
    structure: Structure
    default_tz: str
    window: tuple[datetime, datetime]
    floating: tzinfo
    floating_label: str = ""
    floating_count: int = 0
    method: str = ""
    # (name, zone) the calendar itself uses, found on first need (`zones_of_file`)
    file_zones: list[tuple[str, tzinfo]] | None = None
    max_per_series: int = expand.MAX_PER_SERIES
    max_events: int = expand.MAX_TOTAL
    calendar: Calendar | None = None  # the one being read
    # Its offset-pair TZIDs -> the rules years (ascending) their times are in; found on first need.
    pair_years: dict[str, list[int]] | None = None
    pair_read: dict[tuple[str, int], Resolved] = field(default_factory=dict)  # (TZID, rules year) -> reading
    pair_chosen: dict[frozenset[timedelta], list[tuple[str, int]]] = field(default_factory=dict)  # scanned zone, year
    pair_scans: int = 0  # zone scans this file asked for (MAX_PAIR_SCANS)
    # (TZID, rules year or None for every year) read in `floating` because no zone matched them
    assumed: set[tuple[str, int | None]] = field(default_factory=set)
    anonymous_read: int = 0  # UID-less components of the calendars read before this one (Structure.anonymous_lines)
    # Keys made for UID-less components so far in this file -> how many had it: two events with one start and title
    # must not share a key (the second was dropped as "the same UID"), so the later ones add their place.
    synthetic_keys: dict[str, int] = field(default_factory=dict)
    exact_days: frozenset[timedelta] = frozenset()  # DURATIONs this file writes only in hours ("PT24H": `_exact_days`)
    pieces: _Pieces | None = None  # the file read a component at a time (`_in_pieces`), else None

    def line_of(self, uid: str, index: int, anonymous: int) -> int | None:
        """The BEGIN line of the `index`th component with `uid` in this calendar, or, with no UID, of the
        `anonymous`th UID-less component in it: a problem about an event with no UID named no line."""
        if uid:
            return self.structure.line_of(uid, index)
        lines = self.structure.anonymous_lines
        position = self.anonymous_read + anonymous
        return lines[position] if position < len(lines) else None

    def start_calendar(self, cal: Calendar) -> None:
        """Forget the previous calendar's offset-pair readings: its own zones and X-WR-TIMEZONE differ."""
        self.calendar, self.file_zones, self.pair_years = cal, None, None
        self.pair_read, self.pair_chosen = {}, {}

    def zones_of_file(self) -> list[tuple[str, tzinfo]]:
        """The calendar's own zones, read only when an offset-pair TZID asks: walking every event and
        building every VTIMEZONE is a few per cent of a 10,000-event import that names no such TZID."""
        if self.file_zones is None:
            if self.pieces is not None:
                raise _WholeFile  # every component's zones at once: the whole parse's calendar
            self.file_zones = _file_zones(self.calendar, self) if self.calendar is not None else []
        return self.file_zones

    def resolve(self, tzid: str, year: int) -> Resolved:
        """A TZID with no VTIMEZONE: by name, else an old display name's cities or an offset name's offsets
        by the rules of the time's year (and the file's other zones), else read in X-WR-TIMEZONE or the
        applicant's zone with a warning naming both."""
        res = resolve_tzid(tzid)
        if res.zone is not None:
            return res
        display = resolve_display_name(tzid, rules_year(year))
        if display is not None and display.zone is not None:
            return display
        pair = parse_offset_name(tzid)
        if pair is not None and len(pair) == 1:
            (offset,) = pair
            return Resolved(fixed_offset_zone(offset), "", note=f'time zone "{tzid}" read as the fixed offset '
                            f"UTC{_fmt_offset(offset)} it names (no daylight time)")
        if pair is not None:
            return self._resolve_offset_pair(tzid, pair, rules_year(year))
        self.assumed.add((tzid, None))
        return Resolved(self.floating, _floating_name(self),
                        note=f'unknown time zone "{tzid}" (no VTIMEZONE for it in the file, and not an IANA, '
                        f"Windows or Outlook zone name): its times are read in {self.floating_label}"
                        f"{self.follows()}; check them")

    def follows(self) -> str:
        """A TZID read in the applicant's zone by assumption follows that zone (plan.replace_floating_events):
        the warning that says where it was read says that too."""
        return "" if _calendar_zone(self) else ", and keep their clock time if it changes"

    def _resolve_offset_pair(self, tzid: str, pair: frozenset[timedelta], year: int) -> Resolved:
        """An offset-pair name for a time in (rules) `year`, read once per TZID and year.

        Resolved per year, not once per file: zones gain and drop daylight time, so the zones keeping a pair
        differ between years (+03:00/+04:00 was Moscow's until 2011 and is no zone's today), and one file
        spans many years (an Outlook 2003 export re-imported in 2026). The file's earlier years are read
        first, whatever the order of its events, so a zone chosen for them is offered to later years in the
        same way every time (see `_read_offset_pair`). Each value is read by its own year; a recurring
        series keeps the zone of its DTSTART's year for every occurrence, as expansion keeps one zone, and
        zoneinfo's history still gives each occurrence its own year's clock in that zone."""
        key = (tzid, year)
        if key not in self.pair_read:
            if self.pair_years is None:  # most files name no offset pair: they never pay for this walk
                if self.pieces is not None:
                    raise _WholeFile
                self.pair_years = _offset_pair_years(self.calendar) if self.calendar is not None else {}
            for earlier in self.pair_years.get(tzid, ()):
                if earlier >= year:
                    break
                if (tzid, earlier) not in self.pair_read:
                    self.pair_read[(tzid, earlier)] = self._read_offset_pair(tzid, pair, earlier)
            self.pair_read[key] = self._read_offset_pair(tzid, pair, year)
        return self.pair_read[key]

    def _read_offset_pair(self, tzid: str, pair: frozenset[timedelta], year: int) -> Resolved:
        """A zone keeping both offsets in `year`: one of this file's zones, else the calendar's or the
        applicant's zone, else the zone already chosen for this pair in an earlier year of the file (one
        calendar is one person's clock; zoneinfo's history then reads each year by its own dates), else the
        most common zone that year. Never a zone with other offsets without saying so: reading
        "GMT-05.00/-04.00" in Europe/Berlin would put every time 6 hours off."""
        when = rules_label(year)
        for name, zone in self.zones_of_file():
            if offset_pair(zone, year) == pair:
                return Resolved(zone, name, note=f'time zone "{tzid}" read as {name}, the zone in this file '
                                f"with the same standard and daylight offsets in {when}")
        if offset_pair(self.floating, year) == pair:
            return Resolved(self.floating, _floating_name(self), note=f'time zone "{tzid}" read as '
                            f"{self.floating_label}, which keeps the same standard and daylight offsets in {when}")
        offsets = "/".join(f"UTC{_fmt_offset(o)}" for o in sorted(pair))
        for iana, first in self.pair_chosen.get(pair, ()):
            earlier = iana_zone(iana)
            if earlier is not None and offset_pair(earlier, year) == pair:
                return Resolved(earlier, iana, note=f'time zone "{tzid}" ({offsets}) read as {iana}, as for its times '
                                f"in {rules_label(first)} (it keeps both offsets in {when} too)")
        if self.pair_scans >= MAX_PAIR_SCANS:
            self.assumed.add((tzid, year))
            return Resolved(self.floating, _floating_name(self), note=f'time zone "{tzid}" ({offsets}): this file '
                            f"uses offset names in more than {MAX_PAIR_SCANS} years that each need their own zone; "
                            f"its times in {when} are read in {self.floating_label}{self.follows()}; check them")
        self.pair_scans += 1
        match = zone_for_offsets(pair, year)
        if match is None:
            self.assumed.add((tzid, year))
            return Resolved(self.floating, _floating_name(self), note=f'time zone "{tzid}" names offsets '
                            f"{offsets} that no time zone keeps in {when}: its times are read in "
                            f"{self.floating_label}{self.follows()}; check them")
        self.pair_chosen.setdefault(pair, []).append((match.iana, year))
        if not match.rivals:
            how = f"every zone with these offsets in {when} changes its clocks on the same dates"
        else:
            verb = "changes" if len(match.rivals) == 1 else "change"
            how = (f"the most common of the zones with these offsets in {when}; {', '.join(match.rivals[:3])} "
                   f"{verb} clocks on other dates, so check times near a clock change")
        return Resolved(iana_zone(match.iana), match.iana,
                        note=f'time zone "{tzid}" ({offsets}) read as {match.iana} ({how})')

    def problem(self, message: str, severity: str = "skipped", *, line: int | None = None,
                uid: str = "", summary: str = "") -> None:
        self.result.problems.append(
            Problem(self.result.file, message, severity, line, uid, summary)  # type: ignore[arg-type]
        )


def read_ics_file(path: Path, *, now: datetime, default_tz: str, max_bytes: int,
                  window: tuple[datetime, datetime] | None = None, max_per_series: int = expand.MAX_PER_SERIES,
                  max_events: int = expand.MAX_TOTAL) -> ParseResult:
    """Read one file from disk, refusing it when it is over the size limit (a setting)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _fatal(name, f"is {size / 1e6:.1f} MB, over the import limit of {max_bytes / 1e6:.1f} MB "
                                "(setting import_max_bytes)")
        data = path.read_bytes()
    except OSError as exc:
        return _fatal(name, f"cannot be read: {exc.strerror or exc}")
    with collector_paused():
        # The bytes are let go once decoded, and the text once its last component is parsed (`_read_decoded`).
        sha256 = hashlib.sha256(data).hexdigest()
        box = [decode_ics(data)]
        del data
        return _read_decoded(box, sha256, file=name, now=now, default_tz=default_tz, window=window,
                             max_per_series=max_per_series, max_events=max_events)


def read_ics_bytes(data: bytes, *, file: str, now: datetime, default_tz: str,
                   window: tuple[datetime, datetime] | None = None, max_per_series: int = expand.MAX_PER_SERIES,
                   max_events: int = expand.MAX_TOTAL) -> ParseResult:
    """Decode, check structure, parse every VCALENDAR, normalise and expand its events.

    `window` bounds recurrence expansion (pass the plan's years; default a year back, two ahead);
    `max_per_series` and `max_events` bound how many occurrences one series and the whole file give."""
    with collector_paused():
        return _read_ics_bytes(data, file=file, now=now, default_tz=default_tz, window=window,
                               max_per_series=max_per_series, max_events=max_events)


def _read_ics_bytes(data: bytes, *, file: str, now: datetime, default_tz: str,
                    window: tuple[datetime, datetime] | None, max_per_series: int,
                    max_events: int, in_pieces: bool | None = None) -> ParseResult:
    """`read_ics_bytes`; `in_pieces` True or False reads any file in pieces or whole (a test compares the two),
    None as `read_ics_file` does (by its size: `PIECES_FROM_CHARS`)."""
    return _read_decoded([decode_ics(data)], hashlib.sha256(data).hexdigest(), file=file, now=now, default_tz=default_tz,
                         window=window, max_per_series=max_per_series, max_events=max_events, in_pieces=in_pieces)


def _read_decoded(box: list[Decoded], sha256: str, *, file: str, now: datetime, default_tz: str,
                  window: tuple[datetime, datetime] | None, max_per_series: int, max_events: int,
                  in_pieces: bool | None = None) -> ParseResult:
    """Read the decoded text that `box` holds (taken out of it: read in pieces, the text is then held by the pieces
    alone, which let it go once the last component is parsed, before the events are placed and expanded)."""
    decoded = box.pop()
    if decoded.error:
        return _fatal(file, decoded.error)
    result = ParseResult(file, encoding=decoded.encoding, sha256=sha256, window=window or default_window(now))
    if decoded.warning:
        result.problems.append(Problem(file, decoded.warning, "warning"))
    body = text = decoded.text
    del decoded
    lead = _LEADING_SPACE.match(body).end()  # type: ignore[union-attr]  # matches always
    if not body[lead:lead + 15].upper().startswith("BEGIN:VCALENDAR"):  # no copy of a 35 MB body, as lstrip made
        first = body.lstrip().split("\n", 1)[0].strip()[:60]
        result.problems.append(Problem(
            file, f'is not an iCalendar file: it should start with BEGIN:VCALENDAR, not "{first}"', "fatal", 1))
        return result
    structure = scan(body)
    if structure.error:
        result.problems.append(Problem(file, structure.error, "fatal", structure.error_line, advice=DAMAGED))
        return result
    body = _drop_unusable_vtimezones(body, result)
    if in_pieces is None:
        in_pieces = len(body) >= PIECES_FROM_CHARS
    pieces = _in_pieces(body, text) if in_pieces else None
    if pieces is not None:
        kept = list(result.problems)
        exact_days = _exact_days(body)
        del body, text  # the pieces hold them, until the last component is parsed
        try:
            return _read_calendars([pieces.calendar()], result, structure, default_tz, now, max_per_series,
                                   max_events, exact_days=exact_days, pieces=pieces)
        except _WholeFile:  # it needs what only the whole parse gives: read it again that way, from the same start
            if not pieces.text:
                raise RuntimeError("a file read in pieces asked for the whole parse after its last component") from None
            body, text = pieces.text, pieces.original
            result.problems[:] = kept
            result.events.clear()
            result.cancellations.clear()
            result.series = result.calendars = 0
            structure = scan(text)  # the keys made for UID-less events were added to it
    del pieces, text
    # icalendar caches every custom VTIMEZONE process-wide, first definition wins: a later file that
    # defines the same TZID differently would silently get the earlier file's offsets. Start clean.
    icalendar.use_zoneinfo()
    try:
        calendars = Calendar.from_ical(body, multiple=True)
    except Exception:  # icalendar raises bare ValueError/KeyError for broken calendar-level lines
        # A VTIMEZONE icalendar cannot read (an offset of "+5744") is one zone's definition, not damage to
        # the file: drop it, resolve its TZID like any zone the file does not define, and read the rest.
        repaired = _drop_unreadable_vtimezones(body, result)
        try:
            if repaired is None:
                raise
            calendars = Calendar.from_ical(repaired, multiple=True)
        except Exception as still:  # noqa: BLE001 - damaged elsewhere too: name what blocks the file now
            msg = str(still).splitlines()[0] if str(still) else type(still).__name__
            result.problems.append(Problem(file, f"cannot be parsed: {msg}", "fatal", _line_of_error(body, msg),
                                           advice=DAMAGED))
            return result
    return _read_calendars(calendars, result, structure, default_tz, now, max_per_series, max_events,
                           exact_days=_exact_days(body))


def _read_calendars(calendars: list[Calendar], result: ParseResult, structure: Structure, default_tz: str,
                    now: datetime, max_per_series: int, max_events: int, *, exact_days: frozenset[timedelta],
                    pieces: _Pieces | None = None) -> ParseResult:
    result.calendars = len(calendars)
    zone = iana_zone(default_tz)
    if zone is None:
        raise ValueError(f"default_tz {default_tz!r} is not an IANA zone")  # programming error, not user input
    ctx = _Ctx(result, structure, default_tz, result.window or default_window(now), zone, exact_days=exact_days,
               max_per_series=max_per_series, max_events=max_events, pieces=pieces)
    file = result.file
    for cal in calendars:
        _read_calendar(cal, ctx)
        if pieces is None:  # read in pieces, a file has one calendar: no later one asks
            ctx.anonymous_read += sum(1 for c in cal.subcomponents
                                      if c.name != "VTIMEZONE" and not text(c, "UID").strip())
    if ctx.floating_count:
        result.problems.append(Problem(
            file, f"{counted(ctx.floating_count, 'time')} {'has' if ctx.floating_count == 1 else 'have'} no time zone (floating); "
            f"read as {ctx.floating_label}",
            "warning"))
    return result


# Read in pieces from this many characters of text: the memory a whole parse takes grows with the file (about 14 MiB
# a MB: 710 MiB for bench/gen_ics's 35 MB file, over issue 17's 300 MiB), and reading in pieces costs 10-15 % more
# CPU (its line scan is Python), which took the 10,000-event import (3.5 MB) from 1.42x icalendar's parse to 1.66x,
# over issue 17's 1.5x (make bench, 8 December 2026). Below this a whole parse stays under about 170 MiB.
PIECES_FROM_CHARS = 6_000_000


class _WholeFile(BaseException):  # noqa: N818 - a signal, not an error
    """Raised while a file is read in pieces when it needs what only the parse of the whole file gives (its
    X-WR-TIMEZONE conversion, every zone it uses at once, an error icalendar raises for the whole file): the
    reader starts again on the whole file. A BaseException, so the reader's guards around icalendar
    (`except Exception`) let it through."""


@dataclass
class _Pieces:
    """A file of one VCALENDAR read a component at a time, so no parse holds more than one of its events.

    Its own properties and its VTIMEZONEs are parsed first, as one Calendar (icalendar caches those zones, and a
    whole parse reads every event with all of them, forward references too); each other component is parsed on
    its own when the reader comes to it, from its lines in the unfolded text. icalendar parses a component's lines
    the same way inside a calendar or alone."""

    text: str  # the file's text (folded): each span is whole lines of it
    original: str  # the text as decoded, before unusable VTIMEZONEs were dropped (usually `text` itself)
    skeleton: list[str]  # the calendar's lines but those of its other components
    spans: list[tuple[int, int]]  # each other component's lines in `text`, in file order
    parsed: int = 0  # components parsed on their own so far (a test counts them against the file's)

    @property
    def count(self) -> int:
        """The calendar's components but its VTIMEZONEs."""
        return len(self.spans)

    def calendar(self) -> Calendar:
        """The calendar with its properties and VTIMEZONEs: the other components come from `items`."""
        icalendar.use_zoneinfo()  # as for a whole parse: this file's VTIMEZONEs, none of an earlier file's
        try:
            lines = Contentlines(Contentline(line) for line in self.skeleton)
            found = Calendar._get_ical_parser(lines).parse()  # type: ignore[arg-type]  # it takes lines too
        except Exception as exc:  # the whole parse says what is wrong, and repairs what it can
            raise _WholeFile from exc
        if len(found) != 1 or not isinstance(found[0], Calendar):
            raise _WholeFile
        return found[0]

    def items(self) -> Iterator[Component]:
        """Each component but the VTIMEZONEs, parsed when asked for and then let go; after the last, the text too
        (the reader then places and expands the events it kept: nothing there asks for the whole file)."""
        for start, end in self.spans:
            lines = Contentlines(Contentline(line) for line in NEWLINE.split(UFOLD.sub("", self.text[start:end])) if line)
            try:
                found = Component._get_ical_parser(lines).parse()  # type: ignore[arg-type]  # as above
            except Exception as exc:  # in a whole parse this fails the file: say it as that parse says it
                raise _WholeFile from exc
            if len(found) != 1:
                raise _WholeFile
            self.parsed += 1
            yield found[0]
        self.text = self.original = ""
        self.spans = []


def _in_pieces(body: str, original: str) -> _Pieces | None:
    """The file split for `_Pieces`, or None when it is to be parsed whole: more than one VCALENDAR (icalendar's
    forward references then span calendars), or lines outside the calendar, or a BEGIN or END line icalendar
    would not read as one."""
    skeleton: list[str] = []
    spans: list[tuple[int, int]] = []
    depth, piece, done, pos, size = 0, -1, False, 0, len(body)
    while pos < size:
        start, line = pos, ""
        pos, line = _unfolded_line(body, pos)
        if not line:
            continue
        word = ""
        if line[:5].upper() == "BEGIN" or line[:3].upper() == "END":
            try:
                name, _, value = Contentline(line).parts()
            except ValueError:
                return None
            word = name.upper() if name.upper() in ("BEGIN", "END") else ""
            value = value.upper()
        if depth == 0:
            if done or word != "BEGIN" or value != "VCALENDAR":
                return None
            skeleton.append(line)
            depth = 1
        elif depth == 1:
            if word == "BEGIN":
                depth = 2
                if value == "VTIMEZONE":
                    skeleton.append(line)
                else:
                    piece = start
            elif word == "END":
                if value != "VCALENDAR":
                    return None
                skeleton.append(line)
                depth, done = 0, True
            else:
                skeleton.append(line)
        else:
            depth += 1 if word == "BEGIN" else -1 if word == "END" else 0
            if piece < 0:
                skeleton.append(line)
            elif depth == 1:
                spans.append((piece, pos))
                piece = -1
    if not done or depth:
        return None
    return _Pieces(body, original, skeleton, spans)


def _unfolded_line(body: str, pos: int) -> tuple[int, str]:
    """Where the next content line after `pos` starts, and the line from `pos` unfolded: as icalendar's
    Contentlines.from_ical reads the whole text (UFOLD, then lines split at NEWLINE), without a copy of the text.

    A line break ends the line unless UFOLD matches at it (a fold: the break, any blank lines, a space or tab);
    UFOLD starts only at such a break, and `match` at `pos` sees the characters before it as `sub` does."""
    scan, folded, size = pos, False, len(body)
    while True:
        newline = body.find("\n", scan)
        if newline < 0:
            end = after = size
            break
        brk = newline - 1 if newline > pos and body[newline - 1] == "\r" else newline
        fold = UFOLD.match(body, brk)
        if fold is None:
            end, after = brk, newline + 1
            break
        scan, folded = fold.end(), True
    line = body[pos:end]
    return after, UFOLD.sub("", line) if folded else line


_LEADING_SPACE = re.compile(r"\s*")  # what str.lstrip() strips
# Whether a body names these at all, without the copy body.upper() made of it
_NAMED_VTIMEZONE = re.compile("VTIMEZONE", re.IGNORECASE)
_NAMED_DURATION = re.compile("DURATION", re.IGNORECASE)
_VTIMEZONE = re.compile(r"^BEGIN:VTIMEZONE[ \t]*\r?$.*?^END:VTIMEZONE[ \t]*\r?$", re.MULTILINE | re.DOTALL | re.IGNORECASE)
_TZ_RRULE = re.compile(r"^RRULE[^:\r\n]*:([^\r\n]*)", re.MULTILINE | re.IGNORECASE)
_FOLD = re.compile(r"\r?\n[ \t]")


def _drop_unusable_vtimezones(body: str, result: ParseResult) -> str:
    """Remove a VTIMEZONE whose transition rule is not yearly (or can never match) before icalendar sees it.

    Real zones change offset at most a few times a year; icalendar expands a VTIMEZONE's rules from
    its DTSTART (often 1601), so a fuzzed or hostile "RRULE:FREQ=SECONDLY" there takes minutes. Its
    TZID is then resolved like any zone without a VTIMEZONE (by name, or with a warning)."""
    if not _NAMED_VTIMEZONE.search(body):
        return body
    for block in reversed(list(_VTIMEZONE.finditer(body))):
        text_ = _FOLD.sub("", block.group(0))
        bad = ""
        for rule in _TZ_RRULE.findall(text_):
            parts = dict(p.split("=", 1) for p in rule.upper().replace(" ", "").split(";") if "=" in p)
            if parts.get("FREQ") != "YEARLY":
                bad = f"FREQ={parts.get('FREQ', '?')}"
            elif parts.get("BYMONTHDAY") and parts.get("BYMONTH"):
                bad = "BYMONTHDAY with BYMONTH"
        if bad:
            tzid = re.search(r"^TZID[^:\r\n]*:([^\r\n]*)", text_, re.MULTILINE | re.IGNORECASE)
            line = body.count("\n", 0, block.start()) + 1
            result.problems.append(Problem(
                result.file, f'VTIMEZONE "{tzid.group(1).strip() if tzid else "?"}" has a transition rule that is '
                f"not a yearly change ({bad}); it was ignored and its TZID resolved by name", "warning", line))
            body = body[:block.start()] + body[block.end():]
    return body


def _drop_unreadable_vtimezones(body: str, result: ParseResult) -> str | None:
    """The body without each VTIMEZONE that icalendar refuses on its own (with a warning naming it and its
    line), or None when every VTIMEZONE reads: then the file's damage is elsewhere."""
    out, dropped = body, False
    for block in reversed(list(_VTIMEZONE.finditer(body))):
        try:
            Component.from_ical(block.group(0))
        except Exception as exc:  # noqa: BLE001 - whatever icalendar raises, this zone is unusable
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            tzid = re.search(r"^TZID[^:\r\n]*:([^\r\n]*)", _FOLD.sub("", block.group(0)), re.MULTILINE | re.IGNORECASE)
            line = body.count("\n", 0, block.start()) + 1
            result.problems.append(Problem(
                result.file, f'VTIMEZONE "{tzid.group(1).strip() if tzid else "?"}" cannot be read ({msg}); '
                "it was ignored and its TZID resolved by name", "warning", line))
            out, dropped = out[:block.start()] + out[block.end():], True
    return out if dropped else None


DAMAGED = "the file is damaged as a whole: fix it, or export it again from its calendar"
"""The advice for an iCalendar file unusable as a whole (truncated, bad nesting, unparsable); not said of a file that
is missing, unreadable, too large or not iCalendar text at all, where the problem itself says what to do."""


def _fatal(file: str, message: str, advice: str = "") -> ParseResult:
    return ParseResult(file, problems=[Problem(file, message, "fatal", advice=advice)])


def _line_of_error(body: str, msg: str) -> int | None:
    """icalendar quotes the offending content in its message; find that line in the text."""
    start = msg.find("'")
    end = msg.find("'", start + 1)
    snippet = msg[start + 1:end] if 0 <= start < end else ""
    if not snippet:
        for token in msg.replace(",", " ").split():
            if any(c.isdigit() for c in token) and len(token) > 2:
                snippet = token
                break
    if not snippet:
        return None
    for i, line in enumerate(body.splitlines(), 1):
        if line.strip() == snippet or (len(snippet) > 3 and snippet in line):
            return i
    return None


def _apply_x_wr_timezone(cal: Calendar, ctx: _Ctx) -> Calendar:
    """Google's X-WR-TIMEZONE: the zone for floating times (icalendar ignores it unless converted)."""
    raw = cal.get("X-WR-TIMEZONE")
    ctx.floating, ctx.floating_label = iana_zone(ctx.default_tz), f"{ctx.default_tz} (your time zone)"  # type: ignore[assignment]
    if raw is None:
        return cal
    res = resolve_tzid(str(raw))
    if res.zone is None:
        ctx.problem(f'X-WR-TIMEZONE "{raw}" is not a known time zone; times without a zone are read in '
                    f"{ctx.floating_label}", "warning")
        return cal
    if res.iana != str(raw):
        cal["X-WR-TIMEZONE"] = res.iana
    ctx.floating, ctx.floating_label = res.zone, f"{res.iana} (the calendar's X-WR-TIMEZONE)"
    seen: dict[str, int] = {}
    for comp in cal.subcomponents:
        if comp.name == "VTIMEZONE":
            continue
        uid = text(comp, "UID").strip()
        index = seen.get(uid, 0)
        seen[uid] = index + 1  # every component counted, as _read_calendar counts them: the same line for each
        if comp.name in ITEMS:
            # x_wr_timezone would silently read a TZID icalendar left naive as X-WR-TIMEZONE time:
            # resolve those first, so each gets its own zone or a warning naming both.
            _, notes = fix_zones(comp, ctx.resolve)
            for note in notes:
                ctx.problem(note, "warning", line=ctx.line_of(uid, index, index), uid=uid,
                            summary=text(comp, "SUMMARY"))
            for prop in ("DTSTART", "DUE"):
                value = prop_get(comp, prop)
                if value is not None and not value.params.get("TZID") and _naive(getattr(value, "dt", None)):
                    ctx.floating_count += 1
    return x_wr_timezone.to_standard(cal)


def _naive(value: object) -> bool:
    return isinstance(value, datetime) and value.tzinfo is None


def _components(cal: Calendar, ctx: _Ctx) -> Iterator[Component]:
    """The calendar's components in file order: read in pieces, its VTIMEZONEs and then the others, each parsed
    as the reader comes to it."""
    yield from cal.subcomponents
    if ctx.pieces is not None:
        yield from ctx.pieces.items()


def _read_calendar(cal: Calendar, ctx: _Ctx) -> None:
    if ctx.pieces is not None and cal.get("X-WR-TIMEZONE") is not None:
        raise _WholeFile  # x_wr_timezone converts the whole calendar
    ctx.method = text(cal, "METHOD").upper()
    ctx.start_calendar(cal)
    try:
        cal = _apply_x_wr_timezone(cal, ctx)
    except Exception as exc:  # x-wr-timezone on odd input: say so rather than crash
        ctx.problem(f"X-WR-TIMEZONE could not be applied ({exc}); times without a zone are read in "
                    f"{ctx.floating_label}", "warning")
    if ctx.method in ITIP_NOT_EVENTS:
        items = ctx.pieces.count if ctx.pieces is not None else sum(
            1 for c in cal.subcomponents if c.name != "VTIMEZONE")
        ctx.problem(f"METHOD:{ctx.method} is {ITIP_NOT_EVENTS[ctx.method]}, not events to place; its "
                    f"{counted(items, 'item')} {'was' if items == 1 else 'were'} skipped", "ignored")
        return
    seen_uid: dict[str, int] = {}
    # The events that are neither series nor overrides, waiting for the file's end (the limit per file counts them):
    # what `_emit` reads of each, not its parsed component (a few KB, which 100,000 of them held at once).
    singles: list[tuple[_Held, _Fields, str, int | None, tuple[datetime | date, datetime | date]]] = []
    room = max(0, ctx.max_events - len(ctx.result.events))  # past it, singles are only counted (the limit per file)
    over = 0
    masters: dict[str, Component] = {}
    overrides: dict[str, list[tuple[Component, int | None]]] = {}
    timezones = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    for comp in _components(cal, ctx):
        name = comp.name
        if name == "VTIMEZONE":
            continue
        uid = text(comp, "UID").strip()
        index = seen_uid.get(uid, 0)
        seen_uid[uid] = index + 1
        line = ctx.line_of(uid, index, index)
        summary = text(comp, "SUMMARY")
        if name not in ITEMS:
            ctx.problem(f"{name} is not imported: only events and to-dos go on the timeline", "ignored",
                        line=line, uid=uid, summary=summary)
            continue
        if not uid:
            uid = _synthetic_uid(comp)
            place = ctx.synthetic_keys[uid] = ctx.synthetic_keys.get(uid, 0) + 1
            if place > 1:  # an event above has this start and title: its place among them tells them apart
                uid = uid.replace("@imgcoach", f"-{place}@imgcoach")
            if line is not None:  # the series' later problems find it by this key (line_of)
                ctx.structure.uid_lines.setdefault(uid, []).append(line)
            ctx.problem("has no UID; a key was made from its start and title, so a re-import matches it only while "
                        "those stay the same" if place == 1 else "has no UID and the same start and title as an event "
                        f"above it; a key was made from them and its place among them (number {place}), so a re-import "
                        "matches it only while those and their order stay the same", "warning", line=line, uid=uid,
                        summary=summary)
        if not _usable(comp, ctx, uid, summary, line):
            continue
        if ctx.method == "CANCEL":
            rid = prop_get(comp, "RECURRENCE-ID")
            key = recurrence_key(rid.dt, ctx.floating) if rid is not None else ""
            ctx.result.cancellations.append(Cancellation(uid, key, summary, line, _Fields.of(comp).sequence))
            continue
        if not _ensure_start(comp, ctx, uid, summary, line):
            continue
        times = _in_order(comp, ctx, uid, summary, line)
        if times is None:
            continue
        if has_prop(comp, "RECURRENCE-ID"):
            overrides.setdefault(uid, []).append((comp, line))
        elif has_prop(comp, "RRULE") or has_prop(comp, "RDATE"):
            if uid in masters:
                ctx.problem("appears twice in the file (same UID, no RECURRENCE-ID)", line=line, uid=uid,
                            summary=summary)
                continue
            masters[uid] = comp
        else:
            if len(singles) < room:
                singles.append((_Held.of(comp), _Fields.of(comp), uid, line, times))
            else:
                over += 1
    seen: set[tuple[str, str]] = set()
    if over:
        ctx.problem(f"the file has more than {ctx.max_events} events; only the first {ctx.max_events} were "
                    "imported (limit per file)", "warning")
    for held, fields, uid, line, times in singles:
        _emit(None, held, uid, "", line, ctx, seen, times=times, fields=fields)
    for uid, lone in overrides.items():
        if uid in masters:
            continue
        for comp, line in lone:  # an override whose series is not in the file: a single occurrence
            _emit(comp, _Held.of(comp), uid, recurrence_key(when(comp, "RECURRENCE-ID"), ctx.floating), line, ctx, seen)
    if masters:
        ctx.result.series += len(masters)
        series = {uid: [m, *(c for c, _ in overrides.get(uid, []))] for uid, m in masters.items()}
        expansion = expand.expand_series(timezones, series, ctx.window, max_per_series=ctx.max_per_series,
                                         max_total=max(0, ctx.max_events - len(ctx.result.events) - len(singles)))
        occurrences, failures = expansion.occurrences, expansion.failures
        lo, hi = ctx.window
        for uid, kept in expansion.cut.items():
            ctx.problem(f"recurring series has more than {kept} occurrences between {lo:%Y-%m-%d} and "
                        f"{hi:%Y-%m-%d}; only the first {kept} were imported (limit per series {ctx.max_per_series}"
                        f", per file {ctx.max_events})", "warning", line=ctx.structure.line_of(uid), uid=uid,
                        summary=text(masters[uid], "SUMMARY") if uid in masters else "")
        for uid, early in expansion.dense.items():
            if uid in expansion.cut or uid in failures:
                continue
            ctx.problem(f"recurring series repeats too often to expand over the import window ({lo:%Y-%m-%d} to "
                        f"{hi:%Y-%m-%d}); only occurrences up to {early:%Y-%m-%d %H:%M} UTC were considered",
                        "warning", line=ctx.structure.line_of(uid), uid=uid, summary=text(masters[uid], "SUMMARY"))
        if expansion.total_cut:
            ctx.problem(f"the file has more than {ctx.max_events} events between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}; "
                        f"expansion stopped there and later series were not imported", "warning")
        for uid, message in failures.items():
            ctx.problem(f"recurring series cannot be expanded: {message}", line=ctx.structure.line_of(uid),
                        uid=uid, summary=text(masters[uid], "SUMMARY"))
        produced: set[str] = set()
        # A series' occurrences share one component: read its UID, line and fields once, not per occurrence.
        known: dict[int, tuple[str, int | None, _Fields, _Held]] = {}
        for occ in occurrences:
            got = known.get(id(occ.source))
            if got is None:
                uid = text(occ.source, "UID").strip() or _uid_of(occ.source, series)
                got = known[id(occ.source)] = (uid, ctx.structure.line_of(uid), _Fields.of(occ.source),
                                               _Held.of(occ.source))
            uid, line, fields, held = got
            produced.add(uid)
            key = recurrence_key(occ.original_start, ctx.floating)
            _emit(occ.source, held, uid, key, line, ctx, seen, times=(occ.start, occ.end), fields=fields)
        for uid in masters:  # in the file's order: a set difference gave these lines in hash order, new each run
            if expansion.total_cut or uid in produced or uid in failures or uid in expansion.cut or uid in expansion.dense:
                continue
            ctx.problem(f"recurring series has no occurrence between {lo:%Y-%m-%d} and {hi:%Y-%m-%d} "
                        "(the import window)", "ignored", line=ctx.structure.line_of(uid), uid=uid,
                        summary=text(masters[uid], "SUMMARY"))


def _uid_of(comp: Component, series: dict[str, list[Component]]) -> str:
    """The (possibly synthetic) UID under which a UID-less component was filed."""
    return next(uid for uid, comps in series.items() if any(c is comp for c in comps))


def _synthetic_uid(comp: Component) -> str:
    parts = [str(comp.name)]
    for prop in ("DTSTART", "DUE", "RECURRENCE-ID", "SUMMARY"):
        value = prop_get(comp, prop)
        parts.append(value.to_ical().decode() if hasattr(value, "to_ical") else str(value or ""))
    return "nouid-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16] + "@imgcoach"


def _usable(comp: Component, ctx: _Ctx, uid: str, summary: str, line: int | None) -> bool:
    """Report broken values (icalendar's per-event errors) and unknown zones; repair what is safe."""
    ok = True
    for prop, message in list(getattr(comp, "errors", ()) or ()):
        if prop == "RRULE" and _repair_rrule(comp):
            ctx.problem("RRULE had spaces inside its lists (Exchange); read without them", "warning",
                        line=line, uid=uid, summary=summary)
            continue
        where = f"{prop}: " if prop else ""
        ctx.problem(f"{where}{message}", line=line, uid=uid, summary=summary)
        ok = False
    if not ok:
        return False
    unknown, notes = fix_zones(comp, ctx.resolve)
    for note in notes:
        ctx.problem(note, "warning", line=line, uid=uid, summary=summary)
    for tzid in unknown:  # ctx.resolve always gives a zone; kept so a future resolver cannot go silent
        ctx.problem(f'unknown time zone "{tzid}"', line=line, uid=uid, summary=summary)
    return not unknown


def _file_zones(cal: Calendar, ctx: _Ctx) -> list[tuple[str, tzinfo]]:
    """Zones the file itself defines or names, to read an offset-only TZID like "GMT-05.00/-04.00"."""
    out: list[tuple[str, tzinfo]] = []
    names: set[str] = set()
    for comp in cal.subcomponents:
        if isinstance(comp, icalendar.Timezone):  # every VTIMEZONE is parsed as a Timezone
            try:
                tzid = text(comp, "TZID")
                out.append((resolve_tzid(tzid).iana or tzid, comp.to_tz()))
            except Exception:  # noqa: BLE001 - an odd VTIMEZONE simply offers no zone here
                continue
        elif comp.name in ITEMS:
            for prop in ("DTSTART", "DTEND", "DUE"):
                value = prop_get(comp, prop)
                prop_tzid = value.params.get("TZID") if hasattr(value, "params") else None
                if prop_tzid and prop_tzid not in names:
                    names.add(str(prop_tzid))
                    res = resolve_tzid(str(prop_tzid))
                    if res.zone is not None:
                        out.append((res.iana, res.zone))
    return out


def _offset_pair_years(cal: Calendar) -> dict[str, list[int]]:
    """The rules years in which each offset-pair TZID of a calendar is used (DTSTART, DTEND, DUE,
    RECURRENCE-ID, EXDATE, RDATE), ascending, so the reader can settle earlier years first."""
    years: dict[str, set[int]] = {}
    is_pair: dict[str, bool] = {}
    for comp in cal.subcomponents:
        if comp.name not in ITEMS:
            continue
        for tzid, year in _zoned_years(comp):
            if tzid not in is_pair:
                pair = parse_offset_name(tzid)
                is_pair[tzid] = pair is not None and len(pair) == 2 and resolve_tzid(tzid).zone is None
            if is_pair[tzid]:
                years.setdefault(tzid, set()).add(rules_year(year))
    return {tzid: sorted(found) for tzid, found in years.items()}


def _zoned_years(comp: Component) -> list[tuple[str, int]]:
    """(TZID, year) of each date-time of a component that names a TZID; none from a broken value (the
    reader reports that component, and icalendar raises on reading its value)."""
    out: list[tuple[str, int]] = []
    for name in DT_PROPS:
        prop = prop_get(comp, name)
        if prop is None:
            continue
        try:
            found = holders(prop)
        except Exception:  # noqa: BLE001 - icalendar's BrokenCalendarProperty on a malformed value
            continue
        for holder, line in found:
            value = getattr(holder, "dt", None)
            first = value[0] if isinstance(value, tuple) and value else value
            if isinstance(first, datetime) and (tzid := tzid_of(holder, line)):
                out.append((tzid, first.year))
    return out


def _fmt_offset(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _repair_rrule(comp: Component) -> bool:
    raw = str(comp["RRULE"])
    try:
        recur = icalendar.vRecur.from_ical(raw.replace(" ", ""))
    except Exception:
        return False
    del comp["RRULE"]
    comp.add("RRULE", recur)
    return True


def _ensure_start(comp: Component, ctx: _Ctx, uid: str, summary: str, line: int | None) -> bool:
    """DTSTART is required (RFC 5545 3.6.1); derive it from RECURRENCE-ID or RDATE and say so."""
    if has_prop(comp, "DTSTART"):
        return True
    if comp.name == "VTODO":
        if has_prop(comp, "DUE"):
            return True
        ctx.problem("to-do has neither DTSTART nor DUE, so it has no date on the timeline", "ignored",
                    line=line, uid=uid, summary=summary)
        return False
    if has_prop(comp, "RECURRENCE-ID"):
        comp.add("DTSTART", when(comp, "RECURRENCE-ID"))
        ctx.problem("has no DTSTART; its RECURRENCE-ID is used as the start", "warning", line=line, uid=uid,
                    summary=summary)
        return True
    if has_prop(comp, "RDATE"):
        starts = [h.dt[0] if isinstance(h.dt, tuple) else h.dt for h, _ in holders(comp["RDATE"])]
        first = min(starts, key=lambda v: to_utc(v, ctx.floating).isoformat())
        comp.add("DTSTART", first)
        ctx.problem("has no DTSTART; its first RDATE is used as the start", "warning", line=line, uid=uid,
                    summary=summary)
        return True
    ctx.problem("has no DTSTART (start date), so it cannot be placed", line=line, uid=uid, summary=summary)
    return False


def _in_order(comp: Component, ctx: _Ctx, uid: str, summary: str,
              line: int | None) -> tuple[datetime | date, datetime | date] | None:
    """Start and end, or None after reporting DTEND (DUE) before DTSTART. Checked before expansion,
    because recurring-ical-events quietly swaps the two for recurring items."""
    try:
        start, end = _times(comp)
    except Exception as exc:
        ctx.problem(f"its dates cannot be read: {exc}", line=line, uid=uid, summary=summary)
        return None
    try:
        ustart, uend = to_utc(start, ctx.floating), to_utc(end, ctx.floating)
    except OverflowError:  # 9999-12-31 23:00 west of UTC is past datetime's last day
        ctx.problem(f"its dates cannot be placed: {_show(start)} is beyond the last day a date can have in UTC",
                    line=line, uid=uid, summary=summary)
        return None
    if isinstance(start, datetime) != isinstance(end, datetime):
        return start, end  # mixed DATE/DATE-TIME: _emit normalises the end
    length = _stated_length(comp)
    # A DURATION ends after its start unless it is negative: 02:30 + PT30M on a spring-forward night is 03:30-04:00
    # EDT (RFC 5545), though its clock sum, 03:00, is before 03:30 and was refused as "DTEND 03:00 is before ...".
    if uend < ustart if length is None else length < timedelta(0):  # both datetimes or both dates here
        ctx.problem(_ends_before_of(comp.name or "", length, start, end, ustart, ctx), line=line, uid=uid, summary=summary)
        return None
    return start, end


def _ends_before_of(name: str, length: timedelta | None, start: datetime | date, end: datetime | date,
                    ustart: datetime | date, ctx: _Ctx) -> str:
    """Why an item (`name`, its `_stated_length`) is refused for ending before it starts: a negative DURATION was
    called "DTEND ... is before DTSTART" of a file with no DTEND."""
    if length is not None and length < timedelta(0):
        return f"ends before it starts (its DURATION {length_text(length)} is negative)"
    return _ends_before("DUE" if name == "VTODO" else "DTEND", start, end, ustart, ctx)


def _ends_before(which: str, start: datetime | date, end: datetime | date, ustart: datetime | date,
                 ctx: _Ctx) -> str:
    """Why an item that ends before it starts is refused, in words true of its file: 02:30-03:15 on a
    spring-forward night ends before its start only as RFC 5545 reads the skipped 02:30 (03:30), and "DTEND 03:15
    is before DTSTART 02:30" was false of the file."""
    if (isinstance(start, datetime) and isinstance(end, datetime) and isinstance(ustart, datetime)
            and end.replace(tzinfo=None) >= start.replace(tzinfo=None) and _jump(start, ctx)):
        zone = start.tzinfo or ctx.floating
        shown = ustart.astimezone(zone)
        return (f"ends before it starts as RFC 5545 reads it: DTSTART {_show(start)} does not exist in "
                f"{zone_name(shown, str(zone))} (the clocks go forward then) and is read as {shown:%H:%M %Z}, "
                f"after {which} {_show(end)}")
    return f"ends before it starts ({which} {_show(end)} is before DTSTART {_show(start)})"


_DURATION_LINE = re.compile(r"^DURATION[^:\r\n]*:[ \t]*([^\r\n]*?)[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)


def _exact_days(body: str) -> frozenset[timedelta]:
    """The DURATIONs of a day or more this file writes only in hours, minutes or seconds ("PT24H"), never as days.

    icalendar reads PT24H and P1D as one timedelta, but RFC 5545 makes the first 24 elapsed hours and the second
    the same clock time a day later: across a change of clock they end an hour apart. A value the file writes
    both ways cannot be told apart here and is read as days, as before."""
    if not _NAMED_DURATION.search(body):
        return frozenset()
    exact: set[timedelta] = set()
    nominal: set[timedelta] = set()
    for raw in _DURATION_LINE.findall(_FOLD.sub("", body)):
        try:
            length = length_of(raw.strip().upper())
        except ValueError:
            continue
        (exact if exact_days_in(raw) else nominal).add(length)
    return frozenset(exact - nominal)


def _stated_length(comp: Component) -> timedelta | None:
    """The DURATION that gives the item's end (no DTEND, or DUE for a to-do), else None."""
    if prop_get(comp, "DTEND" if comp.name == "VEVENT" else "DUE") is not None or not has_prop(comp, "DURATION"):
        return None
    return duration(comp)


def _times(comp: Component) -> tuple[datetime | date, datetime | date]:
    """Start and end straight from the properties (DTEND, else DURATION, else RFC 5545 defaults).

    A DURATION end here is the clock's (start + duration): right for dates and for telling a negative DURATION,
    not the instant of a timed one, which `_emit` places by RFC 5545's rule (core.clock_times.ended)."""
    start_prop = prop_get(comp, "DTSTART")
    due = prop_get(comp, "DUE")
    start = start_prop.dt if start_prop is not None else due.dt
    end_prop = prop_get(comp, "DTEND") if comp.name == "VEVENT" else due
    if end_prop is not None:
        end = end_prop.dt
    elif has_prop(comp, "DURATION"):
        end = start + duration(comp)
    elif isinstance(start, datetime):
        end = start
    else:
        end = start + timedelta(days=1)
    return start, end


@dataclass(frozen=True, slots=True)
class _Fields:
    """What an event row takes from its component besides its times: the same for every occurrence."""

    summary: str
    status: str
    sequence: int
    description: str
    location: str
    categories: tuple[str, ...]
    x_props: tuple[tuple[str, str], ...]
    organizer: str

    @classmethod
    def of(cls, comp: Component) -> _Fields:
        try:
            sequence = int(prop_get(comp, "SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        return cls(
            summary=text(comp, "SUMMARY"), status=text(comp, "STATUS").upper(), sequence=sequence,
            description=text(comp, "DESCRIPTION"), location=text(comp, "LOCATION"), categories=categories(comp),
            x_props=tuple((k, _unescape_text(str(v))) for k, v in comp.items() if k.startswith("X-IMGCOACH-"))
            if has_prop(comp, "X-IMGCOACH-KIND") else (),
            organizer=organizer_name(comp),
        )


@dataclass(frozen=True, slots=True)
class _Held:
    """What `_emit` reads of a component besides its fields and times, read once it is final (after `_usable`,
    `_ensure_start` and `_in_order`)."""

    name: str
    length: timedelta | None  # `_stated_length`
    start_tzid: str  # the TZID of its DTSTART (else DUE), "" without one
    start_year: int | None  # the year of that date-time, None for a date

    @classmethod
    def of(cls, comp: Component) -> _Held:
        prop = prop_get(comp, "DTSTART") or prop_get(comp, "DUE")
        value = getattr(prop, "dt", None)
        return cls(str(comp.name), _stated_length(comp), str(getattr(prop, "params", {}).get("TZID", "") or ""),
                   value.year if isinstance(value, datetime) else None)


def _emit(comp: Component | None, held: _Held, uid: str, rid: str, line: int | None, ctx: _Ctx,
          seen: set[tuple[str, str]], times: tuple[datetime | date, datetime | date] | None = None,
          fields: _Fields | None = None) -> None:
    """One ParsedEvent, cancellation or problem: `comp` may be None when `times` and `fields` are given."""
    if fields is None:
        assert comp is not None
    f = fields or _Fields.of(comp)  # type: ignore[arg-type]  # given, or comp is
    summary = f.summary
    if (uid, rid) in seen:
        ctx.problem("appears twice in the file (same UID and RECURRENCE-ID)", line=line, uid=uid, summary=summary)
        return
    seen.add((uid, rid))
    status = f.status
    if status == "CANCELLED":
        ctx.result.cancellations.append(Cancellation(uid, rid, summary, line, f.sequence))
        return
    try:
        start, end = times or _times(comp)  # type: ignore[arg-type]  # given, or comp is
    except Exception as exc:
        ctx.problem(f"its dates cannot be read: {exc}", line=line, uid=uid, summary=summary)
        return
    all_day = not isinstance(start, datetime)
    if not isinstance(start, datetime):  # all day
        if isinstance(end, datetime):
            end = end.date()
        if end == start:
            end = start + timedelta(days=1)
    else:
        if not isinstance(end, datetime):
            end = datetime.combine(end, datetime.min.time(), start.tzinfo)
        if start.tzinfo is None:
            ctx.floating_count += 0 if _calendar_zone(ctx) else 1
    tzid = zone_name(start, fallback="" if all_day else _floating_name(ctx))
    ustart, uend = to_utc(start, ctx.floating), to_utc(end, ctx.floating)
    length = None if all_day else held.length
    exact = False
    if length is not None:  # days on the clock, hours elapsed: not the wall-clock sum recurring-ical-events gives
        zone = start.tzinfo or ctx.floating  # type: ignore[union-attr]  # a datetime: not all_day
        exact = length in ctx.exact_days
        uend = ended(start, length, zone, exact_days=exact)  # type: ignore[arg-type]
        end = uend.astimezone(zone)
        if start.tzinfo is None:  # type: ignore[union-attr]
            end = end.replace(tzinfo=None)  # the clock end in the zone it is read in (its fold is uend's)
    if not all_day:
        _say_skipped(start, end, ustart, uend, ctx, line, uid, summary, length)  # type: ignore[arg-type]
    if uend < ustart:
        ctx.problem(_ends_before_of(held.name, held.length, start, end, ustart, ctx), line=line, uid=uid,
                    summary=summary)
        return
    floating = isinstance(start, datetime) and start.tzinfo is None and not _calendar_zone(ctx)
    assumed = "" if all_day or floating or _calendar_zone(ctx) else _assumed_zone(held, ctx)
    follows = floating or bool(assumed)  # placed in the applicant's zone, and again when it changes
    ctx.result.events.append(ParsedEvent(
        uid=uid, recurrence_id=rid, summary=summary, start=ustart, end=uend, all_day=all_day, tzid=tzid,
        description=f.description, location=f.location, categories=f.categories,
        kind=held.name, method=ctx.method, status=status, sequence=f.sequence, line=line,  # type: ignore[arg-type]
        x_props=f.x_props, organizer=f.organizer, floating=floating, zone_assumed=assumed,
        wall_start=wall_text(start) if follows else "",  # type: ignore[arg-type]  # a datetime: not all_day
        wall_end=wall_text(end) if follows else "",  # type: ignore[arg-type]
        wall_length=length_text(length, exact_days=exact) if follows and length is not None else "",
    ))


def _assumed_zone(held: _Held, ctx: _Ctx) -> str:
    """The TZID of the item's start when no zone matched it (read in the applicant's zone), else ""."""
    if not ctx.assumed:
        return ""
    tzid, year = held.start_tzid, held.start_year
    if (tzid, None) in ctx.assumed:
        return tzid
    # An offset-pair name is read per year, a series by its DTSTART's year (`_resolve_offset_pair`)
    return tzid if year is not None and (tzid, rules_year(year)) in ctx.assumed else ""


def _say_skipped(start: datetime, end: datetime, ustart: datetime, uend: datetime, ctx: _Ctx, line: int | None,
                 uid: str, summary: str, length: timedelta | None = None) -> None:
    """Warn when the start or the end is a clock time its zone skips (02:30 on a spring-forward night): it is listed
    an hour later than its file says (RFC 5545's reading, core.clock_times.placed), which nothing else would
    explain; and what that did to the event's length. A skipped start with an end that exists moves the start
    alone: 02:30-03:30 becomes 03:30-03:30 EDT, an event of no length, which the warning said nothing of."""
    moment = end == start and end.tzinfo is start.tzinfo  # no DTEND: a moment, its start alone is said
    if length is not None:  # its end is its DURATION after its start, as read: never a skipped clock time
        moment = not length
    start_jump = _jump(start, ctx)
    end_jump = timedelta(0) if moment or length is not None else _jump(end, ctx)
    if not (start_jump or end_jump):
        return
    zone = start.tzinfo or ctx.floating
    shown_start, shown_end = ustart.astimezone(zone), uend.astimezone(end.tzinfo or ctx.floating)
    lasts, span = uend - ustart, end.replace(tzinfo=None) - start.replace(tzinfo=None)
    if moment:
        said = (f"starts at {start:%H:%M} on {start:%Y-%m-%d}, a time that does not exist in "
                f"{zone_name(shown_start, str(zone))} (the clocks go forward {_minutes(start_jump)} then): read as "
                f"{shown_start:%H:%M %Z}, as RFC 5545 asks")
        ctx.problem(said, "warning", line=line, uid=uid, summary=summary)
        return
    if length is not None:
        said = (f"starts at {start:%H:%M} on {start:%Y-%m-%d}, a time that does not exist in "
                f"{zone_name(shown_start, str(zone))} (the clocks go forward {_minutes(start_jump)} then): read as "
                f"{shown_start:%H:%M %Z}, as RFC 5545 asks; its DURATION ({_length(length)}) ends it at "
                f"{shown_end:%H:%M %Z}")
        ctx.problem(said, "warning", line=line, uid=uid, summary=summary)
        return
    if start_jump and end_jump:
        said = (f"starts at {start:%H:%M} and ends at {end:%H:%M} on {start:%Y-%m-%d}, times that do not exist in "
                f"{zone_name(shown_start, str(zone))} (the clocks go forward {_minutes(start_jump)} then): read as "
                f"{shown_start:%H:%M %Z} to {shown_end:%H:%M %Z}, as RFC 5545 asks")
    elif start_jump:
        said = (f"starts at {start:%H:%M} on {start:%Y-%m-%d}, a time that does not exist in "
                f"{zone_name(shown_start, str(zone))} (the clocks go forward {_minutes(start_jump)} then): read as "
                f"{shown_start:%H:%M %Z}, as RFC 5545 asks; it still ends at {shown_end:%H:%M %Z}")
    else:
        said = (f"ends at {end:%H:%M} on {end:%Y-%m-%d}, a time that does not exist in "
                f"{zone_name(shown_end, str(end.tzinfo or ctx.floating))} (the clocks go forward "
                f"{_minutes(end_jump)} then): read as {shown_end:%H:%M %Z}, as RFC 5545 asks")
    if lasts < timedelta(0):
        return  # it ends before it starts as read: refused, and the refusal says why (_emit)
    if lasts == span:
        said += f", so it keeps its length ({_length(lasts)})"
    elif not lasts:
        said += f", so it lasts no time at all (its clock times span {_length(span)})"
    else:
        said += f", so it lasts {_length(lasts)} (its clock times span {_length(span)})"
    ctx.problem(said, "warning", line=line, uid=uid, summary=summary)


def _jump(value: datetime, ctx: _Ctx) -> timedelta:
    """How far RFC 5545's reading moves `value`, a clock time its zone (or the floating one) may skip."""
    zone = value.tzinfo or ctx.floating
    if zone is UTC or isinstance(zone, timezone):
        return timedelta(0)  # a fixed offset skips nothing
    wall = value.replace(tzinfo=zone)
    if wall.utcoffset() == wall.replace(fold=1).utcoffset():
        return timedelta(0)  # neither skipped nor repeated: the common case, answered at a fifth of `skipped`'s cost
    return skipped(value.replace(tzinfo=None), zone)


def _length(delta: timedelta) -> str:
    """An event's length in words: "45 minutes", "1 hour", "2 hours 30 minutes"."""
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    said = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        said.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(said)


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return "an hour" if minutes == 60 else f"{minutes} minutes"


def _calendar_zone(ctx: _Ctx) -> bool:
    """Times without a zone are read in the calendar's X-WR-TIMEZONE, not in the applicant's."""
    return ctx.floating_label.endswith("X-WR-TIMEZONE)")


_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def _unescape_text(raw: str) -> str:
    """RFC 5545 3.3.11 TEXT unescaping; icalendar hands X- properties over still escaped."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _floating_name(ctx: _Ctx) -> str:
    return getattr(ctx.floating, "key", "") or ctx.default_tz


def _show(value: datetime | date) -> str:
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()

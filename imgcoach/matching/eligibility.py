"""Hard filters (visa, Step 2 CK minimum, years since graduation, USCE, attempts, deadline), each with
its reason in words tied to the applicant's plan. An unknown requirement keeps the program, marked.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, NamedTuple, TypeVar

from imgcoach.core.datewords import ISO, DateWords
from imgcoach.core.words import counted
from imgcoach.matching.facts import Preferences, RotationFact, Standing, fmt_months
from imgcoach.matching.table import NO_LIMIT, ProgramTable, U
from imgcoach.plan import CalendarWeeks

ELIGIBLE, UNCERTAIN, CONDITIONAL, EXCLUDED = "eligible", "uncertain", "conditional", "excluded"
# Kinds of reason: a requirement the applicant fails, one nobody has stated, one met only by the plan.
FAIL, UNKNOWN_REQ, BY_PLAN = "excluded", "unknown", "conditional"


class Reason(NamedTuple):
    """`text` writes its days in ISO (stored runs, --json, the CLI); a reason that names days also keeps its
    pieces, so a face can write them in its own words (`worded`) from the one ranking: ranking again only for
    the words ranked every stale Shortlist twice (issues 15 and 17)."""

    code: str
    field: str
    kind: str  # FAIL | UNKNOWN_REQ | BY_PLAN
    text: str
    parts: tuple[str | date, ...] = ()  # the text as words and days, when it names a day

    def worded(self, words: DateWords) -> str:
        """The text with its days in `words` (the app's own format); the same text when it names none."""
        if not self.parts or words is ISO:
            return self.text
        return "".join(words.day(p) if isinstance(p, date) else p for p in self.parts)


def _dated(code: str, field: str, kind: str, *parts: str | date) -> Reason:
    """A reason naming days: its ISO text and the pieces to write it in other words."""
    return Reason(code, field, kind, "".join(ISO.day(p) if isinstance(p, date) else p for p in parts), parts)


class Verdict(NamedTuple):
    """A named tuple, not a frozen dataclass: `check_all` builds one per program, 13,000 per ranking, and
    tuple.__new__ builds it in a quarter of the time (the 100 ms ranking goal)."""

    status: str
    reasons: tuple[Reason, ...]

    @property
    def kept(self) -> bool:
        return self.status != EXCLUDED


_OK = Verdict(ELIGIBLE, ())

# Reasons whose words never vary: built once, shared by every program (ranking must stay fast).
_J1_UNKNOWN = Reason("visa_unknown", "visa_j1", UNKNOWN_REQ, "J-1 sponsorship unknown")
_H1B_UNKNOWN = Reason("visa_unknown", "visa_h1b", UNKNOWN_REQ, "H-1B sponsorship unknown")
_VISA_UNKNOWN = Reason("visa_unknown", "visa_j1", UNKNOWN_REQ, "visa sponsorship unknown")
_STEP2_UNKNOWN = Reason("step2_unknown", "step2_min", UNKNOWN_REQ, "Step 2 CK minimum unknown")
_DEADLINE_UNKNOWN = Reason("deadline_unknown", "application_deadline", UNKNOWN_REQ, "application deadline unknown")
_NO_J1 = Reason("visa", "visa_j1", FAIL, "does not sponsor J-1 visas; you need a J-1")
_NO_H1B = Reason("visa", "visa_h1b", FAIL, "does not sponsor H-1B visas; you need an H-1B")
_NO_VISA = Reason("visa", "visa_j1", FAIL, "sponsors neither J-1 nor H-1B visas; you need one")
_H1B_STEP3 = Reason("h1b_step3", "visa_h1b", UNKNOWN_REQ,
                    "sponsors H-1B, which usually needs USMLE Step 3 passed before ranking; you have not passed it")
_YOG_UNKNOWN = Reason("yog_unknown", "yog_cutoff_years", UNKNOWN_REQ, "years-since-graduation limit unknown")
_USCE_UNKNOWN = Reason("usce_unknown", "usce_months_required", UNKNOWN_REQ,
                       "US clinical experience requirement unknown")
_ATTEMPTS_UNKNOWN = Reason("attempts_unknown", "attempts_allowed", UNKNOWN_REQ, "limit on USMLE attempts unknown")


class Context(NamedTuple):
    """Per-applicant values computed once, then read for every program."""

    standing: Standing
    completed: Standing  # the same applicant counting completed rotations only
    today: date
    today_ord: int
    season_start_ord: int  # applications for this Match open around June of the previous year
    # A rotation under way (started, not ended) counts only once it ends, where readiness counts the weeks
    # served: the requirement's words say so, per kind (all US experience; hands-on only).
    under_way: tuple[bool, bool] = (False, False)

    @classmethod
    def make(cls, standing: Standing, today: date) -> Context:
        completed = standing.facts.standing(include_planned=False)
        season_start = date(standing.facts.match_year - 1, 6, 1)
        started = [r for r in standing.planned_rotations if r.start <= today]
        under_way = (bool(started), any(r.hands_on for r in started))
        return cls(standing, completed, today, today.toordinal(), season_start.toordinal(), under_way)


def _usce_have(s: Standing, hands_on_only: bool) -> float:
    return s.hands_on_months if hands_on_only else s.usce_months


def _plan_reaching(ctx: Context, required: float, hands_on_only: bool) -> tuple[RotationFact | None, float]:
    """The planned rotation whose end brings USCE to `required`, and the total it would make."""
    total = _usce_have(ctx.completed, hands_on_only)
    # Calendar time (facts.usce_months' rule, kept as rotations are added): a planned rotation adds only the days
    # no counted rotation covers; all the weeks less the hands-on ones are observing, so the total is the larger.
    done = [r for r in ctx.standing.facts.rotations if r.completed and r.counts_as_usce]
    hands = CalendarWeeks(r.span for r in done if r.hands_on)
    every = CalendarWeeks(r.span for r in done)
    for rotation in ctx.standing.planned_rotations:
        if hands_on_only and not rotation.hands_on:
            continue
        every.add(rotation.span)
        if rotation.hands_on:
            hands.add(rotation.span)
        total = (hands.weeks if hands_on_only else max(hands.weeks, every.weeks)) / 4
        if total >= required - 1e-9:
            return rotation, total
    return None, total


def _usce(table: ProgramTable, i: int, ctx: Context) -> Reason | None:
    required = table.usce_req[i]
    if required < 0:
        return _USCE_UNKNOWN
    if required == 0:
        return None
    flag = table.hands_on_only[i]
    hands_on_only = flag == 1
    what = "hands-on US clinical experience" if hands_on_only else "US clinical experience"
    head = f"requires {fmt_months(required)} {'month' if required == 1 else 'months'} of {what}"  # not "1 months"
    have_now = _usce_have(ctx.completed, hands_on_only)
    if have_now >= required - 1e-9:
        if flag == U and ctx.completed.hands_on_months < required - 1e-9:
            # "you have 0 hands-on" beside readiness's "Completed ... 0.5 hands-on" (weeks served of a rotation
            # under way): said which months these are, as usce_short says it
            ended = " from rotations that have ended" if ctx.under_way[0] else ""
            return Reason("usce_type_unknown", "usce_hands_on_only", UNKNOWN_REQ,
                          f"{head}; you have {fmt_months(ctx.completed.hands_on_months)} hands-on and "
                          f"{fmt_months(ctx.completed.observing_months)} observing{ended}; unknown whether "
                          "observerships count")
        return None
    rotation, total = _plan_reaching(ctx, required, hands_on_only)
    have = f"you have {fmt_months(have_now)}"
    if ctx.under_way[hands_on_only]:  # readiness counts the weeks served of it: "Completed 1.5 months"
        have += " from rotations that have ended"
    if rotation is None:
        extra = (f" ({fmt_months(total)} with your planned rotations)" if ctx.standing.planned_rotations
                 and total > have_now else "")
        return Reason("usce_short", "usce_months_required", FAIL, f"{head}; {have}{extra}")
    # "your planned externship" read false of one the applicant is already doing.
    which = f"{rotation.label}, under way," if rotation.start <= ctx.today else f"planned {rotation.label}"
    plan = (f"{head}; {have}; your {which} {rotation.ending_words()}", rotation.counted_end,
            f" would make it {fmt_months(total)}")
    deadline = table.deadline[i]
    if deadline != U and rotation.counted_end.toordinal() > deadline:
        return _dated("usce_after_deadline", "usce_months_required", FAIL,
                      *plan, ", but that is after the application deadline ", date.fromordinal(deadline))
    if not ctx.standing.include_planned:
        return _dated("usce_short", "usce_months_required", FAIL, *plan)
    return _dated("usce_by_plan", "usce_months_required", BY_PLAN, *plan)


def check(table: ProgramTable, i: int, ctx: Context) -> Verdict:
    """Verdict for program i; reasons are in the order a person would ask about them."""
    reasons: list[Reason] = []
    facts = ctx.standing.facts

    need = facts.visa_need
    if need != "none":
        j1, h1b = table.j1[i], table.h1b[i]
        if need == "j1":
            if j1 == 0:
                reasons.append(_NO_J1)
            elif j1 == U:
                reasons.append(_J1_UNKNOWN)
        elif need == "h1b":
            if h1b == 0:
                reasons.append(_NO_H1B)
            elif h1b == U:
                reasons.append(_H1B_UNKNOWN)
            elif not facts.step3_passed:
                reasons.append(_H1B_STEP3)
        elif j1 == 0 and h1b == 0:
            reasons.append(_NO_VISA)
        elif j1 != 1 and h1b != 1:
            reasons.append(_VISA_UNKNOWN)
        elif j1 != 1 and not facts.step3_passed:  # only the H-1B route is known open
            reasons.append(_H1B_STEP3)

    minimum = table.step2_min[i]
    if minimum == U:
        reasons.append(_STEP2_UNKNOWN)
    elif minimum > 0:
        score = facts.step2_score
        if score is None:
            reasons.append(Reason("step2_pending", "step2_min", UNKNOWN_REQ,
                                  f"requires Step 2 CK of at least {minimum}; you have no score yet"))
        elif score < minimum:
            reasons.append(Reason("step2_below", "step2_min", FAIL,
                                  f"requires Step 2 CK of at least {minimum}; yours is {score}"))

    cutoff = table.yog[i]
    if cutoff == U:
        reasons.append(_YOG_UNKNOWN)
    elif cutoff != NO_LIMIT:
        years = ctx.standing.years_since_graduation
        if years is None:
            reasons.append(Reason("yog_pending", "yog_cutoff_years", UNKNOWN_REQ,
                                  f"accepts graduates up to {counted(cutoff, 'year')} before the Match; "
                                  "your graduation year is not entered"))
        elif years > cutoff:
            reasons.append(Reason("yog_over", "yog_cutoff_years", FAIL,
                                  f"accepts graduates up to {counted(cutoff, 'year')} before the Match; you graduated in "
                                  f"{facts.graduation_year}, {counted(years, 'year')} before the {facts.match_year} Match, counted by year"))

    usce = _usce(table, i, ctx)
    if usce is not None:
        reasons.append(usce)

    allowed = table.attempts[i]
    if allowed == U:
        if facts.max_attempts_any_step > 1:
            reasons.append(_ATTEMPTS_UNKNOWN)
    elif allowed != NO_LIMIT and facts.max_attempts_any_step > allowed:
        reasons.append(Reason("attempts_over", "attempts_allowed", FAIL,
                              f"accepts at most {counted(allowed, 'attempt')} on any Step; you needed "
                              f"{facts.max_attempts_any_step}"))

    deadline = table.deadline[i]
    if deadline == U:
        reasons.append(_DEADLINE_UNKNOWN)
    elif deadline < ctx.season_start_ord:
        reasons.append(_dated("deadline_stale", "application_deadline", UNKNOWN_REQ,
                              "deadline ", date.fromordinal(deadline), " is from an earlier season"))
    elif deadline < ctx.today_ord:
        reasons.append(_dated("deadline_passed", "application_deadline", FAIL,
                              "application deadline ", date.fromordinal(deadline), " has passed"))

    if not reasons:
        return _OK
    status = UNCERTAIN
    for r in reasons:
        if r.kind == FAIL:
            status = EXCLUDED
            break
        if r.kind == BY_PLAN:
            status = CONDITIONAL
    return Verdict(status, tuple(reasons))


_Part = tuple[tuple[Reason, ...], bool, bool]  # reasons, any FAIL, any BY_PLAN


def _part(reasons: list[Reason] | tuple[Reason, ...]) -> _Part:
    return (tuple(reasons), any(r.kind == FAIL for r in reasons), any(r.kind == BY_PLAN for r in reasons))


class _RequirementCodes(NamedTuple):
    """Each program's requirement cells, as codes into the distinct combinations of three groups taken in
    `check`'s order of reasons: head (visa, Step 2 CK minimum, years since graduation), the USCE requirement,
    tail (attempts, deadline). The bench's 13,000 generated programs have 529 distinct heads, 18 USCE pairs and
    328 tails."""

    head: list[int]
    head_keys: list[tuple[int, int, int, int]]  # (j1, h1b, step2_min, yog)
    usce: list[int]
    usce_keys: list[tuple[float, int]]  # (usce_req, hands_on_only)
    tail: list[int]
    tail_keys: list[tuple[int, int]]  # (attempts, deadline)


_K = TypeVar("_K")


def _codes_of(keys: list[_K]) -> tuple[list[int], list[_K]]:
    """Each key's position among the distinct keys (in order of first appearance), and those keys."""
    index: dict[_K, int] = {}
    codes = [index.setdefault(k, len(index)) for k in keys]
    return codes, list(index)


def requirement_code_values(table: ProgramTable) -> tuple[Any, ...] | None:
    """The table's requirement codes as plain lists (None before check_all worked them out): they depend on the
    table alone, so matching.kept keeps them with its columns."""
    codes = table.requirement_codes
    if not isinstance(codes, _RequirementCodes):
        return None
    return codes.head, codes.head_keys, codes.usce, codes.usce_keys, codes.tail, codes.tail_keys


def requirement_codes_from(values: tuple[Any, ...]) -> object:
    """requirement_code_values given back: the value of ProgramTable.requirement_codes."""
    return _RequirementCodes(*values)


def _requirement_codes(table: ProgramTable) -> _RequirementCodes:
    cached = table.requirement_codes
    if isinstance(cached, _RequirementCodes):
        return cached
    head, head_keys = _codes_of(list(zip(table.j1, table.h1b, table.step2_min, table.yog, strict=True)))
    usce, usce_keys = _codes_of(list(zip(table.usce_req, table.hands_on_only, strict=True)))
    tail, tail_keys = _codes_of(list(zip(table.attempts, table.deadline, strict=True)))
    codes = _RequirementCodes(head, head_keys, usce, usce_keys, tail, tail_keys)
    table.requirement_codes = codes
    return codes


def _join(*parts: _Part) -> _Part:
    reasons: tuple[Reason, ...] = ()
    fail = by_plan = False
    for part_reasons, part_fail, part_by_plan in parts:
        reasons += part_reasons
        fail = fail or part_fail
        by_plan = by_plan or part_by_plan
    return reasons, fail, by_plan


def check_all(table: ProgramTable, indices: list[int], ctx: Context) -> list[Verdict]:
    """`check` for many programs at once, with the same verdicts and reasons in the same order.

    Each requirement's reason depends only on that requirement's own cells (and the applicant), and
    13,000 programs share few distinct values per requirement, so each part is worked out once per distinct
    value, by `check` itself on a one-row table, and the parts are joined: once per distinct head (visa, Step 2
    CK minimum, years) and tail (attempts, deadline) combination, so a program costs two list look-ups and one
    join (ranking must stay under 100 ms; tests compare it with `check` program by program)."""
    probe = _ProbeTable()
    codes = _requirement_codes(table)
    visa: dict[tuple[int, int], _Part] = {}
    step2: dict[int, _Part] = {}
    yog: dict[int, _Part] = {}
    attempts: dict[int, _Part] = {}
    deadline: dict[int, _Part] = {}

    def cached(cache: dict[Any, _Part], key: object, only: str, **cells: float) -> _Part:
        part = cache.get(key)
        if part is None:
            part = cache[key] = probe.part(ctx, only, **cells)
        return part

    heads: list[_Part | None] = [None] * len(codes.head_keys)
    tails: list[_Part | None] = [None] * len(codes.tail_keys)
    # The USCE reason reads the deadline only when the planned rotation that would meet the requirement ends
    # after it (and then names the deadline): otherwise one part per (requirement, hands-on flag).
    ends = [_plan_end_ord(ctx, req, flag) for req, flag in codes.usce_keys]
    usce_plain: list[_Part | None] = [None] * len(codes.usce_keys)
    usce_dated: dict[tuple[int, int], _Part] = {}
    head_of, usce_of, tail_of, deadlines = codes.head, codes.usce, codes.tail, table.deadline
    out: list[Verdict] = []
    append, new = out.append, tuple.__new__
    for i in indices:
        h = head_of[i]
        ph = heads[h]
        if ph is None:
            j1, h1b, m, y = codes.head_keys[h]
            ph = heads[h] = _join(cached(visa, (j1, h1b), "visa", j1=j1, h1b=h1b),
                                  cached(step2, m, "step2", step2_min=m), cached(yog, y, "yog", yog=y))
        u = usce_of[i]
        end = ends[u]
        dl = deadlines[i]
        if end is not None and dl != U and end > dl:
            pu = usce_dated.get((u, dl))
            if pu is None:
                req, flag = codes.usce_keys[u]
                pu = usce_dated[(u, dl)] = probe.part(ctx, "usce", usce_req=req, hands_on_only=flag, deadline=dl)
        else:
            pu = usce_plain[u]
            if pu is None:
                req, flag = codes.usce_keys[u]
                pu = usce_plain[u] = probe.part(ctx, "usce", usce_req=req, hands_on_only=flag, deadline=U)
        t = tail_of[i]
        pt = tails[t]
        if pt is None:
            a, d = codes.tail_keys[t]
            pt = tails[t] = _join(cached(attempts, a, "attempts", attempts=a),
                                  cached(deadline, d, "deadline", deadline=d))
        reasons = ph[0] + pu[0] + pt[0]
        if not reasons:
            append(_OK)
        elif ph[1] or pu[1] or pt[1]:
            append(new(Verdict, (EXCLUDED, reasons)))
        elif ph[2] or pu[2] or pt[2]:
            append(new(Verdict, (CONDITIONAL, reasons)))
        else:
            append(new(Verdict, (UNCERTAIN, reasons)))
    return out


def _plan_end_ord(ctx: Context, required: float, flag: int) -> int | None:
    """End (ordinal) of the planned rotation that would bring USCE to `required`, where `_usce` would look
    for one (requirement stated and not met by completed rotations), else None."""
    if required <= 0:
        return None
    hands_on_only = flag == 1
    if _usce_have(ctx.completed, hands_on_only) >= required - 1e-9:
        return None
    rotation, _ = _plan_reaching(ctx, required, hands_on_only)
    return None if rotation is None else rotation.counted_end.toordinal()


class _ProbeTable:
    """One program's requirement cells set at will, so `check`'s own code gives each part's reasons (one
    definition of every rule; `check_all` only caches it). Cells not under test are neutral (no reason)."""

    _NEUTRAL: ClassVar[dict[str, float]] = {"j1": 1, "h1b": 1, "step2_min": 0, "yog": NO_LIMIT, "usce_req": 0,
                                            "hands_on_only": 0, "attempts": NO_LIMIT, "deadline": U}

    def part(self, ctx: Context, only: str, **cells: float) -> _Part:
        view = _Row({**self._NEUTRAL, **cells})
        wanted = _PART_FIELDS[only]
        return _part([r for r in check(view, 0, ctx).reasons if r.field in wanted])  # type: ignore[arg-type]


class _Row:
    """Duck-typed ProgramTable with one program (index 0): only the columns `check` reads."""

    def __init__(self, row: dict[str, float]) -> None:
        for name, value in row.items():
            setattr(self, name, (value,))


_PART_FIELDS = {
    "visa": {"visa_j1", "visa_h1b"},
    "step2": {"step2_min"},
    "yog": {"yog_cutoff_years"},
    "usce": {"usce_months_required", "usce_hands_on_only"},
    "attempts": {"attempts_allowed"},
    "deadline": {"application_deadline"},
}


def in_scope(table: ProgramTable, prefs: Preferences) -> list[int]:
    """Indices of programs inside the applicant's preferences (specialties, places, type, size)."""
    specialties = set(prefs.specialties)
    states = set(prefs.states)
    regions = set(prefs.regions)
    types = set(prefs.program_types)
    lo, hi = prefs.min_positions, prefs.max_positions
    out = []
    for i in range(len(table)):
        if specialties and table.specialty[i] not in specialties:
            continue
        if (states or regions) and table.state[i] not in states and table.region[i] not in regions:
            continue
        if types and table.program_type[i] and table.program_type[i] not in types:
            continue
        positions = table.positions[i]
        if positions != U and ((lo is not None and positions < lo) or (hi is not None and positions > hi)):
            continue
        out.append(i)
    return out

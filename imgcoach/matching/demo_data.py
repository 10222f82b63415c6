"""Demo hook: load the SYNTHETIC sample program dataset and compute the demo applicant's shortlist."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

from imgcoach.core.context import Context
from imgcoach.matching.schema import Program


def extend_demo(ctx: Context) -> None:
    """The sample programs, their application deadlines moved to the season readiness and the shortlist name on
    the demo's day. The file's deadlines are for the 2028 Match (autumn 2027): a demo made after 3 September 2027
    (Match 2029) said "deadline ... is from an earlier season" on every dated row, and one made before 4 September
    2026 (Match 2027) showed deadlines a year after its own season's as if they were its own."""
    from imgcoach.matching.csv_reader import read_programs_file
    from imgcoach.matching.generate import MATCH_YEAR
    from imgcoach.matching.programs import store_programs
    from imgcoach.matching.runs import match_year, recompute

    today = ctx.clock.now().date()
    years = match_year(ctx, today).year - MATCH_YEAR
    sample = resources.files("imgcoach.matching").joinpath("data/sample_programs.csv.gz")
    with resources.as_file(sample) as path:
        result = read_programs_file(path, today=today)
        if years:
            result = replace(result, programs=[_deadline_moved(p, years) for p in result.programs])
        store_programs(ctx, result, str(path))
    recompute(ctx, trigger="demo")


def _deadline_moved(program: Program, years: int) -> Program:
    deadline = program.application_deadline
    if not hasattr(deadline, "year"):  # UNKNOWN stays unknown
        return program
    return replace(program, application_deadline=deadline.replace(year=deadline.year + years))

"""Demo hook: load the SYNTHETIC sample program dataset and compute the demo applicant's shortlist."""

from __future__ import annotations

from importlib import resources

from imgcoach.core.context import Context


def extend_demo(ctx: Context) -> None:
    from imgcoach.matching.programs import import_programs
    from imgcoach.matching.runs import recompute

    sample = resources.files("imgcoach.matching").joinpath("data/sample_programs.csv.gz")
    with resources.as_file(sample) as path:
        import_programs(ctx, path)
    recompute(ctx, trigger="demo")

"""A project from a rotation still to come cannot be recorded as done.

Found walking the demo: `imgcoach projects add --kind qi --title "Future thing" --rotation 4 --status published`
was saved for the volunteer rotation starting next March, and a letter writer's packet would list it "(published)".
"""

from __future__ import annotations

import pytest

from imgcoach.coach import list_projects
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import list_rotations
from tests.cli_helpers import database_state, run_cli


def _future_rotation(ctx: Context) -> tuple[int, str]:
    today = ctx.clock.now().date()
    rotation = next(r for r in list_rotations(ctx) if r.start_date > today)
    assert rotation.id is not None
    return rotation.id, rotation.start_date.isoformat()


@pytest.mark.parametrize("status", ["submitted", "accepted", "published", "presented"])
def test_a_done_status_is_refused(demo_ctx: Context, capsys: pytest.CaptureFixture[str], status: str, cli_clock: FixedClock) -> None:
    rotation, starts = _future_rotation(demo_ctx)
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "projects", "add", "--kind", "qi", "--title", "Future thing", "--rotation", str(rotation),
                      "--status", status, "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip() == (f"imgcoach: error: --status: rotation {rotation} starts on {starts}: a project from "
                                   f"it cannot be {status} yet (planned or in_progress) (got {status!r})")
    assert database_state(demo_ctx.db.url) == before


def test_planned_and_under_way_are_kept(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation, _ = _future_rotation(demo_ctx)
    for status in ("planned", "in_progress"):
        added = run_cli(capsys, "projects", "add", "--kind", "qi", "--title", f"Future {status}", "--rotation",
                        str(rotation), "--status", status, "--db", demo_ctx.db.url)
        assert added.code == 0, added.err
    assert {p.status for p in list_projects(demo_ctx) if p.title.startswith("Future ")} == {"planned", "in_progress"}

"""The first look at the shortlist after a write ranks once (issues 15 and 17).

When the stored run was stale, both faces ranked twice: once to store the run (`refresh_if_stale`) and once
again to show it (in the app's day words, or simply again in the CLI). Each test counts the rankings of the
real code path on a real database and checks that the one ranking shown is the one stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import col, func, select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import runs
from imgcoach.storage.models import ShortlistEntry, ShortlistRun
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, press


@pytest.fixture
def rankings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every shortlist built through the service (`runs.compute`), counted: the real function runs."""
    calls: list[int] = []
    real: Callable[..., Any] = runs.build_shortlist

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "build_shortlist", counted)
    return calls


def _runs(ctx: Context) -> list[ShortlistRun]:
    with ctx.db.read() as session:
        return list(session.exec(select(ShortlistRun).order_by(col(ShortlistRun.id))).all())


def _stored_ids(ctx: Context, run_id: int | None) -> list[str]:
    with ctx.db.read() as session:
        return list(session.exec(select(ShortlistEntry.program_id).where(ShortlistEntry.run_id == run_id)
                                 .order_by(col(ShortlistEntry.position))).all())


def _make_stale(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    """A write the shortlist depends on: the stored run is now stale."""
    assert run_cli(capsys, "profile", "set", "--budget-programs", "35", "--db", ctx.db.url).code == 0
    assert runs.stale_parts(ctx) == ["profile"]


def test_the_clis_first_shortlist_after_a_write_ranks_once(demo_ctx: Context, rankings: list[int],
                                                          capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _make_stale(capsys, demo_ctx)
    before = len(_runs(demo_ctx))
    result = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url)
    assert result.code == 0, result.err
    # Once to store and show the run; on SQLite once more, printing nothing, for the answer the next look prints,
    # which is kept for the quick read (cli.common.keep_next_answer: tens of ms against the full path's second).
    expected = 2 if demo_ctx.db.url.startswith("sqlite") else 1
    assert len(rankings) == expected, f"the first `shortlist` after a write ranked {len(rankings)} times"
    stored = _runs(demo_ctx)
    assert len(stored) == before + 1 and stored[-1].trigger == "profile"
    shown = [p["id"] for p in result.json()["programs"]]
    assert len(shown) == 35 and shown == _stored_ids(demo_ctx, stored[-1].id), "the run stored is the list shown"

    rankings.clear()
    assert run_cli(capsys, "shortlist", "--db", demo_ctx.db.url).code == 0
    assert len(rankings) == 1 and len(_runs(demo_ctx)) == before + 1, "a current run: ranked once, nothing stored"


async def test_the_shortlists_first_visit_with_a_stale_run_ranks_once(demo_ctx: Context, rankings: list[int],
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _make_stale(capsys, demo_ctx)
    before = len(_runs(demo_ctx))
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        rankings.clear()  # what the app's start did not ask for is not this visit's
        await press(pilot, "m")
        screen = app.screen
        assert len(rankings) == 1, f"the Shortlist's first visit ranked {len(rankings)} times"
        stored = _runs(demo_ctx)
        assert len(stored) == before + 1 and stored[-1].trigger == "profile"
        assert screen._ids == _stored_ids(demo_ctx, stored[-1].id), "the rows shown are the run stored"


def test_a_look_at_a_current_run_writes_nothing(demo_ctx: Context, rankings: list[int]) -> None:
    """`current` stores a run only when an input changed, and then only once."""
    first = runs.current(demo_ctx)
    with demo_ctx.db.read() as session:
        count = session.exec(select(func.count()).select_from(ShortlistRun)).one()
    again = runs.current(demo_ctx)
    assert again.stored is None and len(_runs(demo_ctx)) == count
    assert again.shortlist.ids() == first.shortlist.ids()
    assert len(rankings) == 2


def test_loading_the_programs_parses_each_distinct_cell_once(demo_ctx: Context,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of programs repeat a few hundred distinct cells; parsing every cell was most of the first
    visit's time. The programs built are the same."""
    from imgcoach.matching import programs, stored  # stored: both readers' one conversion

    with demo_ctx.db.read() as session:
        expected = programs.load_programs(session, None)
        rows = session.exec(select(programs.ProgramRow.facts)).all()
    distinct = {(name, facts.get(name, "unknown")) for facts in rows for name in stored.FACT_COLUMNS}
    calls: list[tuple[str, str]] = []
    real = stored.parse_cell

    def counted(column: str, raw: str) -> Any:
        calls.append((column, raw))
        return real(column, raw)

    monkeypatch.setattr(stored, "parse_cell", counted)
    with demo_ctx.db.read() as session:
        loaded = programs.load_programs(session, None)
    assert loaded == expected
    assert len(rows) * len(stored.FACT_COLUMNS) > 2 * len(distinct), "the demo repeats its cells"
    assert sorted(calls) == sorted(distinct)

"""One add_case, one tag rule: the CLI's `cases add` and the app's case form accept and refuse the same tags."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import col, select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import list_rotations
from imgcoach.storage.models import CaseNote
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import database_state, run_cli
from tests.tui_helpers import SIZE, app_for, error_of, fill, press

UNKNOWN_TAG = "funny"
SPELLED_LOOSELY = "Ethical_Dilemma, teamwork,teamwork"
STORED = ["ethical dilemma", "teamwork"]


def _cases(ctx: Context) -> list[tuple[str, list[str]]]:
    with ctx.db.read() as session:
        return [(c.title, list(c.tags)) for c in session.exec(select(CaseNote).order_by(col(CaseNote.id))).all()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_refuses_an_unknown_tag_and_stores_a_known_one_normalised(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation = list_rotations(demo_ctx)[0]
    db_url = demo_ctx.db.url
    demo_ctx.db.close()
    before = database_state(db_url)
    refused = run_cli(capsys, "cases", "add", "--db", db_url, str(rotation.id), "A case", "--tags", UNKNOWN_TAG)
    assert refused.code == 2
    assert "tags" in refused.err and UNKNOWN_TAG in refused.err and "Traceback" not in refused.err
    assert database_state(db_url) == before, "a refused case leaves the database byte-identical"
    stored = run_cli(capsys, "cases", "add", "--db", db_url, str(rotation.id), "A case", "--tags", SPELLED_LOOSELY)
    assert stored.code == 0, stored.err
    assert _cases(demo_ctx)[-1] == ("A case", STORED)


async def test_app_case_form_refuses_the_same_tag_and_stores_the_same_normalised_tags(demo_ctx: Context) -> None:
    before = _cases(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "n")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, title="A case", tags=UNKNOWN_TAG)
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "the form stays open on a refused tag"
        assert "unknown tag" in error_of(form, "tags")
        assert _cases(demo_ctx) == before
        fill(form, tags=SPELLED_LOOSELY)
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
    assert _cases(demo_ctx) == [*before, ("A case", STORED)]

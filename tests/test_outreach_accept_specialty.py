"""An accepted offer becomes a rotation whatever the entry named of its specialty.

Quirks: an entry added without --specialty or --department could not be accepted ("specialty: is required"),
and `outreach accept` had no option to give it; an entry naming only its department ("Cardiology") became a
rotation whose specialty was stored as "Cardiology", which no specialty's readiness check counts, where
`rotations add` keeps it as Internal Medicine experience with Cardiology as the department."""

from __future__ import annotations

import pytest
from sqlmodel import select

from imgcoach.core.context import Context
from imgcoach.storage.models import Rotation
from tests.cli_helpers import database_state, run_cli


def _offered(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> None:
    assert run_cli(capsys, "outreach", "add", "Cedar Clinic (fictional)", "--status", "sent", "--written-on",
                   "2026-11-20", *extra, "--db", url).code == 0
    assert run_cli(capsys, "outreach", "set-status", "1", "offered", "--db", url).code == 0


def _rotations(ctx: Context) -> list[tuple[str, str]]:
    with ctx.db.read() as session:
        return [(r.specialty, r.department) for r in session.exec(select(Rotation))]


def test_an_entry_naming_no_specialty_is_accepted_with_one_given(
        ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    url = ctx.db.url
    _offered(capsys, url)
    before = database_state(url)
    refused = run_cli(capsys, "outreach", "accept", "1", "--start", "2027-06-07", "--end", "2027-07-02", "--db", url)
    assert refused.code == 2 and "--specialty" in refused.err and "Traceback" not in refused.err
    assert database_state(url) == before
    done = run_cli(capsys, "outreach", "accept", "1", "--start", "2027-06-07", "--end", "2027-07-02",
                   "--specialty", "im", "--db", url)
    assert done.code == 0, done.err
    assert _rotations(ctx) == [("Internal Medicine", "")]


def test_an_entry_naming_only_its_department_is_stored_as_rotations_add_stores_it(
        ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    _offered(capsys, ctx.db.url, "--department", "Cardiology")
    done = run_cli(capsys, "outreach", "accept", "1", "--start", "2027-06-07", "--end", "2027-07-02",
                   "--db", ctx.db.url)
    assert done.code == 0, done.err
    assert _rotations(ctx) == [("Internal Medicine", "Cardiology")]

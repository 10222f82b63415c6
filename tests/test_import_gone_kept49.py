"""An event gone from a re-imported file is kept unless asked (`--prune`, or yes to the question). After a "no", the
next import of the same file said "unchanged since its last import; nothing to write" and asked nothing: the file
was not read again (its bytes were those of the last reading), so the event still missing from it and still in
imgcoach was said once and never again. Every import of the file now says it, in one line (ImportReport.gone_words)
that the CLI, `--json` (`gone_words`) and the app's Import screen share, until it is removed or comes back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

KEPT = ('1 event is no longer in the file and was kept: "Journal club" (2027-01-12 17:00 EST); import with '
        '--prune to remove it')


def _calendar(*events: tuple[str, str, str]) -> str:
    body = "".join(f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:{summary}\r\n"
                   f"DTSTART:{start}\r\nDTEND:{start[:9]}230000Z\r\nEND:VEVENT\r\n" for uid, summary, start in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//gone kept//EN\r\n{body}END:VCALENDAR\r\n"


EVENTS = [("keep@test", "Grand rounds", "20270110T220000Z"), ("b@test", "Journal club", "20270112T220000Z")]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _file(tmp_path: Path, ctx: Context, capsys: pytest.CaptureFixture[str]) -> Path:
    f = tmp_path / "hospital.ics"
    f.write_text(_calendar(*EVENTS), encoding="utf-8", newline="")
    assert run_cli(capsys, "import", str(f), "--db", ctx.db.url).code == 0
    f.write_text(_calendar(*EVENTS[:1]), encoding="utf-8", newline="")
    return f


def test_a_kept_event_is_said_and_asked_about_at_every_import_after_a_no(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    f = _file(tmp_path, ctx, capsys)
    for _ in range(2):  # the answer "no", then the same file again: asked again, and said kept again
        monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
        res = run_cli(capsys, "import", str(f), "--db", ctx.db.url)
        assert res.code == 0, res.err
        assert "Remove this event from imgcoach?" in res.out, res.out
        assert "unchanged since its last import" not in res.out, res.out
        assert f"  {KEPT}\n" in res.out, res.out
    events = run_cli(capsys, "events", "list", "--json", "--db", ctx.db.url).json()
    assert sorted(e["summary"] for e in events) == ["Grand rounds", "Journal club"]


def test_a_kept_event_is_said_by_json_and_without_a_terminal_until_it_comes_back_or_is_pruned(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    f = _file(tmp_path, ctx, capsys)
    first = run_cli(capsys, "import", str(f), "--db", ctx.db.url)
    assert f"  {KEPT}\n" in first.out, first.out
    again = run_cli(capsys, "import", str(f), "--db", ctx.db.url, "--json")
    data = json.loads(again.out)
    assert data["status"] != "unchanged" and [g["uid"] for g in data["gone"]] == ["b@test"], data
    assert data["gone_words"] == KEPT, data
    third = run_cli(capsys, "import", str(f), "--db", ctx.db.url)
    assert f"  {KEPT}\n" in third.out, third.out

    # back in the file: nothing gone, and the next import is the unchanged one again
    f.write_text(_calendar(*EVENTS), encoding="utf-8", newline="")
    back = run_cli(capsys, "import", str(f), "--db", ctx.db.url, "--json")
    assert json.loads(back.out)["gone"] == [] and json.loads(back.out)["gone_words"] == "", back.out
    assert "unchanged since its last import" in run_cli(capsys, "import", str(f), "--db", ctx.db.url).out

    # gone again and pruned: removed, said once, then the file is unchanged
    f.write_text(_calendar(*EVENTS[:1]), encoding="utf-8", newline="")
    pruned = run_cli(capsys, "import", str(f), "--prune", "--db", ctx.db.url)
    assert "removed (gone from the file): Journal club" in pruned.out and "was kept" not in pruned.out, pruned.out
    after = run_cli(capsys, "import", str(f), "--db", ctx.db.url)
    assert "unchanged since its last import" in after.out and "no longer in the file" not in after.out, after.out


async def test_the_import_screen_says_the_kept_event_in_the_same_words(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The app's import without "Remove events gone from the file" said "Nothing imported: hospital.ics has
    nothing new for your plan (1 event unchanged)", not that an event left the file and is still in the plan."""
    from textual.widgets import Static

    from tests.tui_helpers import app_for, preview_import, record_toasts

    f = _file(tmp_path, ctx, capsys)
    app = app_for(ctx)
    # The app's way to remove it, and its start as the screen's rows write it (it gave the CLI's "2027-01-12 17:00
    # EST" beside rows of "12 Jan 2027 17:00": issue 15, one date format per kind).
    want = KEPT.replace("import with --prune", 'tick "Remove events gone from the file"').replace(
        "2027-01-12 17:00 EST", "12 Jan 2027 17:00")
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await preview_import(pilot, f, "ctrl+s")
        assert any(want in " ".join(s.split()) for s in said), said
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
        assert want in notes, notes


async def test_the_import_screen_names_a_gone_event_at_its_time_in_the_applicants_zone(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The preview's note "gone from the file: Journal club (2027-01-12 22:00:00+00:00)" gave the stored UTC value
    under "Times in America/New_York": 17:00 there, the time its row had."""
    from textual.widgets import Static

    from tests.tui_helpers import app_for, preview_import

    f = _file(tmp_path, ctx, capsys)
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await preview_import(pilot, f)
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
        assert "gone from the file: Journal club (12 Jan 2027 17:00)" in notes, notes

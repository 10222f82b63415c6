"""The Import screen by keys alone (issue 15): navigation letters never land in the path, `f` goes to the
path, the path completes like a shell's, Enter previews and hands the keys to the rows, Escape leaves the path.

Before: the path field took the focus on arrival, so `m` (Shortlist) typed "m" into it, and after a preview
`k` ("change what the row becomes", as the summary said) typed "k" into the path too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from imgcoach.core.context import Context
from imgcoach.tui.widgets.path_suggester import complete_path
from tests.tui_helpers import app_for, settle

DATA = Path(__file__).parent / "data" / "ics"


async def test_navigation_letters_on_the_import_screen_switch_screens_and_type_nothing(ctx: Context) -> None:
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(app.focused, DataTable), "the rows have the keys on arrival, not the path"
        await pilot.press("m")
        await settle(pilot)
        assert app.current_mode == "shortlist"
        assert screen.query_one("#import-path", Input).value == ""


async def test_f_completes_a_path_enter_previews_and_k_then_acts_on_the_rows(ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    shutil.copy(DATA / "allday_multiday.ics", folder / "hospital.ics")
    (folder / "notes.txt").write_text("not a calendar")
    app = app_for(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        path = screen.query_one("#import-path", Input)
        await pilot.press("ctrl+o")
        assert app.focused is path
        await pilot.press(*f"{tmp_path}/Dow")
        await settle(pilot)
        await pilot.press("right")  # takes the greyed completion: the folder
        await settle(pilot)
        assert path.value == f"{folder}/"
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("right")
        assert path.value == str(folder / "hospital.ics")
        await pilot.press("enter")
        table = screen.query_one("#import-table", DataTable)
        for _ in range(100):
            await settle(pilot)
            if table.row_count == 2:
                break
        assert table.row_count == 2
        assert app.focused is table, "after the preview the keys act on the rows"
        before = str(table.get_row_at(table.cursor_row)[3])
        await pilot.press("k")
        await settle(pilot)
        assert str(table.get_row_at(table.cursor_row)[3]) != before
        assert path.value == str(folder / "hospital.ics"), "k was not typed into the path"

        from imgcoach.tui.help import help_text, plain

        helped = " ".join(plain(help_text(screen), width=200).split())
        assert "k Change what the row becomes" in helped and "ctrl+o Type the path of a calendar file" in helped, \
            "the footer's short words ('Kind') are said in full in help"
        await pilot.press("ctrl+o", "escape")  # into the path and out again: the keys are the screen's
        assert app.focused is table and app.current_mode == "import"
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "timeline"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("Downloads", "Documents", ".config"):
        (tmp_path / name).mkdir()
    for name in ("schedule.ics", "scrubs.ICS", "schedule.txt", ".hidden.ics", "exam.ical"):
        (tmp_path / name).write_text("")
    return tmp_path


def test_a_path_completes_to_the_next_folder_or_calendar_file_in_name_order(folder: Path) -> None:
    assert complete_path(f"{folder}/Do") == f"{folder}/Documents/"
    assert complete_path(f"{folder}/Dow") == f"{folder}/Downloads/"
    assert complete_path(f"{folder}/sc") == f"{folder}/schedule.ics"  # schedule.txt is not a calendar
    assert complete_path(f"{folder}/scr") == f"{folder}/scrubs.ICS"
    assert complete_path(f"{folder}/e") == f"{folder}/exam.ical"


def test_hidden_entries_only_once_a_dot_is_typed(folder: Path) -> None:
    assert complete_path(f"{folder}/") == f"{folder}/Documents/"
    assert complete_path(f"{folder}/.h") == f"{folder}/.hidden.ics"
    assert complete_path(f"{folder}/.c") == f"{folder}/.config/"


def test_nothing_to_complete_gives_no_suggestion(folder: Path) -> None:
    assert complete_path("") is None
    assert complete_path(f"{folder}/zzz") is None
    assert complete_path(f"{folder}/schedule.ics") is None  # already whole
    assert complete_path(f"{folder}/missing/dir/x") is None
    assert complete_path(f"{folder}/\x00") is None


def test_a_home_path_keeps_its_tilde(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(folder))
    assert complete_path("~/Dow") == "~/Downloads/"


def test_a_relative_path_completes_in_the_working_directory(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    assert complete_path("Dow") == "Downloads/"
    assert complete_path("sc") == "schedule.ics"

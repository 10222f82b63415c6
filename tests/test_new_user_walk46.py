"""A new user's walk (stop 46): the README's commands in order on a fresh HOME, then the files users really make.

Found: a re-import of a one-event calendar said "(1 events)"; `programs add --state XX` said "unknown state 'XX'
(got 'XX')"; a config.toml saved by Notepad with a byte-order mark was "not valid TOML: Invalid statement (at line
1, column 1)" (a program file with one is read), a UTF-16 one an error about "byte 0xff in position 0", a Latin-1
one "position 31" where a line was meant, and a copied mapping file "not UTF-8 text (byte 336)"; a setting typed
above every section was called "unknown section [timezone]"; `progress mark zz` blamed a "moment" nobody typed;
an applicant export saved as UTF-16 (PowerShell 5's `>`) or with a BOM was "not JSON"; `rotations list --db
notes.csv` on an empty file wrote the whole schema into it before saying "no applicant profile yet".
The README left out `profile_both` from the shortlist's `budget`, the exit status of a question answered no (130),
the usage lines before a malformed option's error, the commands without `--json`, and what `import --json` prints
for a refused file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from imgcoach.core.context import Context
from imgcoach.core.settings import load_settings
from tests.cli_helpers import database_state, run_cli

README = Path(__file__).resolve().parents[1] / "README.md"
DATA = Path(__file__).resolve().parent / "data" / "ics"
FREIDA_MAPPING = Path(__file__).resolve().parents[1] / "imgcoach" / "matching" / "data" / "mappings" / "freida.toml"


def _readme() -> str:
    return " ".join(README.read_text(encoding="utf-8").split())  # sentences wrap anywhere


# --- calendar import -------------------------------------------------------------------------------------


def test_an_unchanged_reimport_of_one_event_says_one_event(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                           db_url: str, cli_clock: object) -> None:
    f = str(DATA / "floating_no_xwr.ics")  # one event, in February 2027
    assert run_cli(capsys, "import", f, "--db", db_url).code == 0
    before = database_state(db_url)
    again = run_cli(capsys, "import", f, "--db", db_url)
    assert again.code == 0
    assert f"{f}: unchanged since its last import (1 event); nothing to write" in again.out, again.out
    assert database_state(db_url) == before


def test_import_json_carries_a_refused_file_as_the_readme_says(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                               db_url: str, tmp_path: Path, cli_clock: object) -> None:
    assert 'a file that is refused is in the `--json` output too, with `"status": "refused"` and its `problems`, ' \
           "and the command exits 2" in _readme()
    empty = tmp_path / "empty.ics"
    empty.write_bytes(b"")
    before = database_state(db_url)
    res = run_cli(capsys, "import", str(empty), "--json", "--db", db_url)
    assert res.code == 2
    report = res.json()
    assert report["status"] == "refused" and report["problems"] and report["created"] == 0
    assert database_state(db_url) == before


# --- one field's error says the value once ------------------------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [("--state", "XX"), ("--specialty", "IMX")])
def test_programs_add_quotes_a_refused_value_once(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                  option: str, value: str) -> None:
    args = {"--state": "NY", "--specialty": "IM", option: value}
    before = database_state(db_url)
    res = run_cli(capsys, "programs", "add", "1403500009", "--name", "Example IM", "--specialty", args["--specialty"],
                  "--state", args["--state"], "--set", "source=website", "--set", "checked_on=2026-11-20",
                  "--db", db_url)
    assert res.code == 2
    assert res.err.startswith(f"imgcoach: error: {option}: ") and res.err.count(f"'{value}'") == 1, res.err
    assert database_state(db_url) == before


def test_progress_mark_names_no_field_the_user_did_not_type(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                            db_url: str) -> None:
    res = run_cli(capsys, "progress", "mark", "zz", "--db", db_url)
    assert res.code == 2
    assert "moment" not in res.err and "unknown kind 'zz' of progress" in res.err, res.err


# --- config.toml and mapping files as editors save them --------------------------------------------------------


CONFIG = "[reminders]\nhour = 8\n"


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf" + CONFIG.encode(), CONFIG.encode("utf-16")],
                         ids=["utf8-bom", "utf16"])
def test_a_config_file_saved_by_notepad_is_read(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(data)
    monkeypatch.setenv("IMGCOACH_CONFIG", str(config))
    assert load_settings(config).reminders.hour == 8
    res = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert res.code == 0 and res.err == "", res.err
    # `mail setup` rewrites the file (tomlkit) from the same text, keeping the setting
    assert run_cli(capsys, "mail", "setup", "--local", "--db", db_url).code == 0
    assert load_settings(config).reminders.hour == 8


def test_a_latin1_config_file_is_refused_at_its_line(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes((CONFIG + "# café\n").encode("latin-1"))
    monkeypatch.setenv("IMGCOACH_CONFIG", str(config))
    before = database_state(db_url)
    res = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert res.code == 2
    assert f"{config}: line 3: not UTF-8 text (byte 0xE9" in res.err and "position" not in res.err, res.err
    assert database_state(db_url) == before


def test_a_setting_above_every_section_is_not_called_a_section(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                               db_url: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "America/New_York"\n[reminders]\nhour = 9\n', encoding="utf-8")
    monkeypatch.setenv("IMGCOACH_CONFIG", str(config))
    res = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert res.code == 0
    assert "section [timezone]" not in res.err and "'timezone' is outside any section" in res.err, res.err


def test_a_mapping_copied_and_saved_with_a_bom_is_read(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                       tmp_path: Path) -> None:
    mapping = tmp_path / "my-mapping.toml"
    mapping.write_bytes(b"\xef\xbb\xbf" + FREIDA_MAPPING.read_bytes())
    freida = tmp_path / "freida.csv"
    freida.write_text("ACGME Program ID,Program Name,City,State,Specialty\n"
                      "1403500001,Example Medical Center IM,Albany,NY,Internal Medicine\n", encoding="utf-8")
    res = run_cli(capsys, "programs", "import", str(freida), "--mapping", str(mapping), "--db", db_url)
    assert res.code == 0, res.err
    assert "1 added" in res.out


def test_a_latin1_mapping_is_refused_at_its_line_not_its_byte(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                             db_url: str, tmp_path: Path) -> None:
    mapping = tmp_path / "my-mapping.toml"
    mapping.write_bytes(FREIDA_MAPPING.read_bytes() + "# Médecine\n".encode("latin-1"))
    freida = tmp_path / "freida.csv"
    freida.write_text("ACGME Program ID\n1\n", encoding="utf-8")
    res = run_cli(capsys, "programs", "import", str(freida), "--mapping", str(mapping), "--db", db_url)
    lines = FREIDA_MAPPING.read_bytes().count(b"\n") + 1
    assert res.code == 2 and f"{mapping}: line {lines}: not UTF-8 text (byte 0xE9" in res.err, res.err


# --- what the README says of --json and of exit codes ---------------------------------------------------------


def test_the_readme_names_every_key_of_the_shortlists_budget(demo_ctx: Context,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    sentence = re.search(r"The list's own `budget` is (.*?);", _readme())
    assert sentence, "the README describes the list's own budget"
    named = set(re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", sentence.group(1))))
    data = run_cli(capsys, "shortlist", "--json", "--db", demo_ctx.db.url).json()
    assert named == set(data["budget"]), (named, sorted(data["budget"]))


def _leaf_commands() -> dict[str, click.Command]:
    from imgcoach.cli.main import cli

    found: dict[str, click.Command] = {}

    def walk(cmd: click.Command, path: list[str]) -> None:
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = cmd

    walk(cli, [])
    return found


# Commands that neither show data nor change a row: they open the app, build or move whole databases and files.
NO_DATA_SHOWN = {"app", "demo", "db backup", "db restore", "db upgrade", "mail setup", "mail test"}


def test_every_command_without_json_is_one_the_readme_excepts() -> None:
    readme = _readme()
    sentence = re.search(r"Every command that shows data takes `--json` \(.*?\), except (.*?); so does", readme)
    assert sentence, "the README says which commands take --json"
    excepted = set(re.findall(r"`([a-z ]+)`", sentence.group(1)))
    without = {name for name, cmd in _leaf_commands().items()
               if not any("--json" in p.opts for p in cmd.params if isinstance(p, click.Option))}
    assert without - NO_DATA_SHOWN == excepted, (sorted(without - NO_DATA_SHOWN), sorted(excepted))


def test_a_question_answered_no_exits_130_as_the_readme_says(ctx: Context, db_url: str) -> None:
    assert "130 `applicants remove`'s question answered no (without `--yes`; nothing is changed)" in _readme()
    before = database_state(db_url)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(README.parent), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "imgcoach", "--db", db_url, "applicants", "remove", "1"],
                          input="n\n", capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 130, proc
    assert "delete applicant 1" in proc.stdout + proc.stderr  # the question was asked
    assert database_state(db_url) == before


def test_a_malformed_option_shows_two_usage_lines_then_its_error(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                 db_url: str) -> None:
    assert ("one line on stderr naming the field or file, after two lines of the command's usage when the option "
            "or argument itself is malformed or missing") in _readme()
    before = database_state(db_url)
    res = run_cli(capsys, "rotations", "add", "--kind", "observership", "--specialty", "IM", "--institution", "X",
                  "--start", "2027-02-31", "--db", db_url)
    assert res.code == 2 and res.out == ""
    lines = [line for line in res.err.splitlines() if line]
    assert len(lines) == 3 and lines[0].startswith("Usage: ") and lines[1].startswith("Try ")
    assert lines[2].startswith("Error: Invalid value for '--start'"), lines
    assert database_state(db_url) == before


@pytest.mark.parametrize("encode", [lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
                                    lambda text: text.encode("utf-16")], ids=["utf8-bom", "utf16-powershell"])
def test_an_applicant_export_saved_by_windows_tools_is_imported(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                db_url: str, tmp_path: Path, encode: object) -> None:
    """`applicants export EMAIL > plan.json` in Windows PowerShell 5 writes UTF-16; Notepad saves a UTF-8 BOM."""
    exported = tmp_path / "plan.json"
    assert run_cli(capsys, "applicants", "export", "-o", str(exported), "--db", db_url).code == 0
    saved = tmp_path / "plan-saved.json"
    saved.write_bytes(encode(exported.read_text(encoding="utf-8")))  # type: ignore[operator]
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    res = run_cli(capsys, "applicants", "import", str(saved), "--db", other)
    assert res.code == 0 and "as applicant 1" in res.out, res.err
    listed = run_cli(capsys, "applicants", "list", "--json", "--db", other).json()
    assert [a["email"] for a in listed] == ["applicant@example.com"]


# --- --db naming an empty file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["rotations", "list"], ["reminders", "list", "--json"], ["readiness"],
                                     ["import", str(DATA / "floating_no_xwr.ics")]])
def test_a_command_given_an_empty_file_writes_nothing_into_it(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             cli_clock: object, command: list[str]) -> None:
    """`--db notes.csv` on an empty file wrote the whole schema into it (356 KB) and then said "no applicant
    profile yet", exit 2: a mistyped --db changed a file, where a missing one is refused and left missing."""
    empty = tmp_path / "notes.csv"
    empty.write_bytes(b"")
    res = run_cli(capsys, "--db", str(empty), *command)
    assert res.code == 2 and res.out == ""
    assert res.err == (f"imgcoach: error: no database at {empty}: it is an empty file (check --db / IMGCOACH_DB; "
                       "`imgcoach profile set` starts a new database there)\n")
    assert empty.read_bytes() == b"" and not empty.with_name("notes.csv-wal").exists()


def test_profile_set_still_starts_a_database_in_an_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              cli_clock: object) -> None:
    empty = tmp_path / "imgcoach.sqlite"
    empty.write_bytes(b"")
    res = run_cli(capsys, "--db", str(empty), "profile", "set", "--name", "Ana Silva", "--email", "ana@example.com",
                  "--timezone", "America/New_York")
    assert res.code == 0, res.err
    assert run_cli(capsys, "--db", str(empty), "rotations", "list").code == 0


def test_a_program_file_in_utf16_without_its_mark_is_named_as_such(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                   db_url: str, tmp_path: Path) -> None:
    """It was twelve "missing column 'program_id'"... problems: every column there, a NUL after each letter."""
    path = tmp_path / "programs.csv"
    path.write_bytes("program_id,name,specialty,state,source,checked_on\n1,A,IM,NY,web,2026-11-01\n"
                     .encode("utf-16-le"))
    before = database_state(db_url)
    res = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert res.code == 2 and "missing column" not in res.err
    assert f"{path}: line 1: has NUL bytes: not a text file, or UTF-16 without its byte-order mark" in res.err
    assert database_state(db_url) == before

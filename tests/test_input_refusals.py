"""Each input the CLI fuzz (tests/test_cli_fuzz.py) found ending in an internal error (exit 1), a wrong result
or a screenful of echoed input, pinned on its own: one user error line (exit 2) naming the file, table,
column or option, and the database unchanged (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import database_state, run_cli
from tests.test_cli_fuzz import CALENDAR_SEED, MAPPING_SEED, _freida_seed, _program_seed

PROFILE = ["profile", "set", "--name", "Amira Haddad (synthetic)", "--email", "amira@example.com",
           "--timezone", "Asia/Kolkata", "--graduation-year", "2021", "--visa", "j1"]


@pytest.fixture
def url(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    programs = tmp_path / "programs.csv"
    programs.write_bytes(_program_seed())
    for step in (PROFILE, ["programs", "import", str(programs)],
                 ["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                  "--institution", "Lakeside General (synthetic)", "--start", "2026-09-01", "--end", "2026-09-28"]):
        assert run_cli(capsys, "--db", db_url, *step).code == 0
    return db_url


def refused(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> str:
    """Run a command that must be refused: its one error line (the database checked unchanged)."""
    before = database_state(url)
    result = run_cli(capsys, "--db", url, *args)
    assert result.code == 2, result
    errors = [line for line in result.err.splitlines() if "error:" in line.lower()]
    assert len(errors) == 1 and "internal error" not in result.err, result.err
    assert database_state(url) == before
    return errors[0]


# --- mapping and config files -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [
    (MAPPING_SEED.replace(b"University-based", b"University\xff-based"), "not UTF-8"),
    (b'columns = "ACGME Program ID"\n', "[columns] must be a table"),
    (b'[columns]\n"A" = "program_id"\n[values]\nprogram_type = 3\n', "[values.program_type] must be a table"),
    (b'[columns]\n"A" = "program_id"\n[options]\nempty_is_unknown = "sometimes"\n', "empty_is_unknown"),
    (b'[columns]\n"A" = "program_id"\n[defaults]\npositions = ' + b"9" * 5000 + b"\n", "not valid TOML"),
])
def test_a_broken_mapping_file_is_named(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path,
                                        text: bytes, words: str) -> None:
    mapping = tmp_path / "mine.toml"
    mapping.write_bytes(text)
    freida = tmp_path / "freida.csv"
    freida.write_bytes(_freida_seed())
    line = refused(capsys, url, "programs", "import", str(freida), "--mapping", str(mapping))
    assert str(mapping) in line and words in line, line


def test_a_config_number_of_thousands_of_digits_is_named(capsys: pytest.CaptureFixture[str], url: str,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[reminders]\nhour = " + "9" * 5000 + "\n")
    monkeypatch.setenv("IMGCOACH_CONFIG", str(config))
    line = refused(capsys, url, "rotations", "list")
    assert str(config) in line and "not valid TOML" in line and len(line) < 1000, line


# --- applicants import ----------------------------------------------------------------------------------


def _export(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> dict:
    out = tmp_path / "export.json"
    assert run_cli(capsys, "--db", url, "applicants", "export", "-o", str(out)).code == 0
    data = json.loads(out.read_text())
    data["tables"]["applicant"][0]["email"] = "amira.copy@example.com"
    # A copy into the same database: the rotation's reminders (recorded not planned: it ended months before the
    # clock) keep their Message-IDs in an export, which this database holds already, and an import refuses them.
    data["tables"]["reminder"] = []
    return data


@pytest.mark.parametrize(("table", "column", "value", "words"), [
    ("rotation", "start_date", 5, "rotation 1 start_date: 5 is not a date/time"),
    ("rotation", "hours_per_week", "forty", "rotation 1 hours_per_week: 'forty' is not a whole number"),
    ("rotation", "hours_per_week", 10**30, "is not a whole number"),
    ("rotation", "hands_on", "yes", "rotation 1 hands_on: 'yes' is not true or false"),
    ("rotation", "institution", ["a", "b"], "rotation 1 institution: ['a', 'b'] is not text"),
    ("rotation", "institution", "Lake\x00side", "rotation 1 institution: contains a NUL character"),
    ("rotation", "specialty", None, "rotation 1 specialty: must have a value"),
    ("rotation", "id", "one", "tables.rotation id: 'one' is not a whole number"),
    ("applicant", "created_at", "2026-01-01T09:00:00", "has no UTC offset"),
])
def test_an_export_with_a_value_of_the_wrong_shape_is_named(
        capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, table: str, column: str, value: object,
        words: str) -> None:
    data = _export(capsys, url, tmp_path)
    data["tables"][table][0][column] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    line = refused(capsys, url, "applicants", "import", str(path))
    assert str(path) in line and words in line, line


def test_imported_calendar_events_belong_to_the_new_applicant(capsys: pytest.CaptureFixture[str], url: str,
                                                              tmp_path: Path) -> None:
    """calendar_event.applicant_id (a copy for a unique index, not a foreign key) kept the exporter's id:
    a copy into the same database collided, a move gave the events to whoever had that id there."""
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(CALENDAR_SEED)
    assert run_cli(capsys, "--db", url, "import", str(calendar)).code == 0
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(_export(capsys, url, tmp_path)))
    result = run_cli(capsys, "--db", url, "applicants", "import", str(path), "--json")
    assert result.code == 0, result
    new_id = result.json()["id"]
    again = json.loads(run_cli(capsys, "--db", url, "applicants", "export", str(new_id)).out)
    events = again["tables"]["calendar_event"]
    assert len(events) == 4 and {e["applicant_id"] for e in events} == {new_id}


# --- arguments ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "option"), [
    (["profile", "set", "--budget-usd", "inf"], "--budget-usd"),
    (["outreach", "add", "Hospital (synthetic)", "--cost", "-inf"], "--cost"),
    (["daemon", "--once", "--poll", "nan"], "--poll"),
])
def test_nan_and_infinity_are_not_numbers_here(capsys: pytest.CaptureFixture[str], url: str, args: list[str],
                                               option: str) -> None:
    line = refused(capsys, url, *args)
    assert option in line and "not a finite number" in line, line


@pytest.mark.parametrize(("args", "named"), [
    (["--applicant", "a\x00b", "rotations", "list"], "--applicant"),
    (["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
      "Lake\udcffside", "--start", "2026-10-05", "--end", "2026-10-30"], "--institution"),
    (["export", "-o", "plan\x00.ics"], "-o"),
    (["rotations", "show", "\udcff"], "argument 5"),  # counted after `--db URL`
])
def test_nul_bytes_and_undecodable_arguments_are_named(capsys: pytest.CaptureFixture[str], url: str,
                                                       args: list[str], named: str) -> None:
    line = refused(capsys, url, *args)
    assert line.startswith(f"imgcoach: error: {named}: ") and ("NUL" in line or "UTF-8" in line), line


@pytest.mark.sqlite_only
def test_an_argument_that_is_not_utf8_from_a_real_process(tmp_path: Path) -> None:
    """What the operating system really hands over: bytes, here not UTF-8, as the --institution value."""
    db = tmp_path / "x.sqlite"
    run = [sys.executable, "-m", "imgcoach", "--db", str(db)]
    assert subprocess.run([*run, *PROFILE], capture_output=True).returncode == 0
    before = db.read_bytes()
    proc = subprocess.run([*run, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                           "--institution", b"Lake\xffside", "--start", "2026-10-05", "--end", "2026-10-30"],
                          capture_output=True, timeout=60)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "--institution" in err and "UTF-8" in err and "Traceback" not in err, err
    assert db.read_bytes() == before


@pytest.mark.parametrize("args", [
    ["shortlist", "--budget", "x" * 200_000],
    ["programs", "override", "SYN00001", "step2_min", "x" * 200_000],
    ["contacts", "add", "--name", "Dr. X", "--email", "x" * 200_000],
])
def test_a_200_kib_value_is_not_echoed_back_in_full(capsys: pytest.CaptureFixture[str], url: str,
                                                    args: list[str]) -> None:
    line = refused(capsys, url, *args)
    assert len(line) <= 1100, len(line)


def test_a_time_zone_too_long_for_a_file_name_is_not_a_time_zone(capsys: pytest.CaptureFixture[str],
                                                                  url: str) -> None:
    line = refused(capsys, url, "profile", "set", "--timezone", "Asia/" + "x" * 300)
    assert "timezone" in line and "not an IANA time zone" in line, line


@pytest.mark.parametrize("ref", ["99999999999999999999999", "9223372036854775808"])
def test_a_huge_applicant_id_names_no_applicant(capsys: pytest.CaptureFixture[str], url: str, ref: str) -> None:
    line = refused(capsys, url, "--applicant", ref, "rotations", "list")
    assert "--applicant" in line and "no applicant" in line, line


def test_an_arabic_indic_digit_is_not_an_applicant_id(capsys: pytest.CaptureFixture[str], url: str) -> None:
    """"١".isdigit() is true and int("١") == 1: it used to select applicant 1."""
    line = refused(capsys, url, "--applicant", "\u0661", "rotations", "list")
    assert "no applicant" in line, line


@pytest.mark.parametrize("args", [["rotations", "show", "99999999999999999999999"],
                                  ["reminders", "cancel", "9223372036854775808"],
                                  ["letters", "add", "--writer", "2147483648"]])
def test_a_huge_id_is_too_large_on_both_engines(capsys: pytest.CaptureFixture[str], url: str,
                                                args: list[str]) -> None:
    """PostgreSQL's INTEGER is 32 bits: its "integer out of range" was an internal error."""
    line = refused(capsys, url, *args)
    assert "too large" in line or "no contact" in line, line


def test_a_program_cell_with_a_nul_is_named_by_line_and_column(capsys: pytest.CaptureFixture[str], url: str,
                                                               tmp_path: Path) -> None:
    """PostgreSQL refuses NUL in text: it was an internal error there, and stored on SQLite."""
    lines = _program_seed().split(b"\n")
    lines[4] = lines[4].replace(b"(synthetic)", b"(synth\x00etic)", 1)
    path = tmp_path / "nul.csv"
    path.write_bytes(b"\n".join(lines))
    line = refused(capsys, url, "programs", "import", str(path))
    assert str(path) in line and "line 5" in line and "column 2 (name)" in line and "NUL" in line, line


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("IMGCOACH_SMTP_FROM", "not an address", "IMGCOACH_SMTP_FROM: invalid e-mail address"),
    ("IMGCOACH_SMTP_HOST", "smtp.example.org\nBcc", "IMGCOACH_SMTP_HOST: 'smtp.example.org\\nBcc' is not a host name"),
])
def test_a_mistyped_mail_setting_stops_the_daemon_before_it_fails_a_reminder(
        capsys: pytest.CaptureFixture[str], url: str, monkeypatch: pytest.MonkeyPatch,
        variable: str, value: str, named: str) -> None:
    """With a From address that is not one, `daemon --once` took each due reminder, failed it ("sender: invalid
    e-mail address") and marked it failed: a setting's typo cost the applicant their reminders."""
    monkeypatch.setenv(variable, value)
    assert named in refused(capsys, url, "daemon", "--once")

"""Issue 12 point 11: a bad setting is a user error naming file, section, key and value; a typo is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.errors import UserError
from imgcoach.core.settings import ReminderTiming, Settings, load_settings
from tests.cli_helpers import run_cli


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "named"), [
    ("[reminders]\nhour = 99\n", "[reminders] hour = 99: must be from 0 to 23"),
    ("[reminders]\nminute = -1\n", "[reminders] minute = -1"),
    ("[reminders]\nhour = \"nine\"\n", "[reminders] hour = 'nine': must be a whole number"),
    ("[reminders]\nhour = true\n", "[reminders] hour = True"),
    ("[general]\nimport_max_bytes = \"abc\"\n", "[general] import_max_bytes = 'abc'"),
    ("[general]\nimport_max_bytes = 0\n", "[general] import_max_bytes = 0"),
    ("general = 3\n", "general must be a section"),
    # match_year: a word, a fraction or true reached int() in readiness and the shortlist (an internal error),
    # and 0 was taken for "not set" (stop 43)
    ("[coach]\nmatch_year = \"abc\"\n", "[coach] match_year = 'abc': must be a whole number from 2000 to 2100"),
    ("[coach]\nmatch_year = 3.5\n", "[coach] match_year = 3.5: must be a whole number"),
    ("[matching]\nmatch_year = true\n", "[matching] match_year = True: must be a whole number"),
    ("[coach]\nmatch_year = 0\n", "[coach] match_year = 0: must be from 2000 to 2100"),
    ("[matching]\nmatch_year = 1999\n", "[matching] match_year = 1999: must be from 2000 to 2100"),
    # "no" is a true string: the weekly digest the applicant turned off in words went out every Monday (stop 43)
    ("[digest]\nenabled = \"no\"\n", "[digest] enabled = 'no': must be true or false"),
    ("[digest]\nenabled = 0\n", "[digest] enabled = 0: must be true or false"),
])
def test_a_bad_value_names_file_section_key_and_value(tmp_path: Path, text: str, named: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(UserError) as err:
        load_settings(path)
    assert str(path) in str(err.value) and named in str(err.value)


def test_unknown_section_and_key_are_warned_with_the_nearest_name(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, "[reminder]\nhour = 8\n[reminders]\nhours = 8\n[smtp]\nhots = \"x\"\n"))
    text = "\n".join(settings.warnings)
    assert "unknown section [reminder]" in text and "did you mean 'reminders'" in text
    assert "no setting 'hours'" in text and "did you mean 'hour'" in text
    assert "did you mean 'host'" in text
    assert settings.reminders.hour == 9  # nothing taken from a misspelt name


def test_cli_exits_2_on_a_bad_setting_and_warns_on_a_typo(
        ctx, capsys: pytest.CaptureFixture[str], db_url: str, isolated_user_dirs: Path) -> None:  # type: ignore[no-untyped-def]
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[reminders]\nhour = 99\n", encoding="utf-8")
    res = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert res.code == 2 and "[reminders] hour = 99" in res.err and "internal error" not in res.err
    config.write_text("[reminders]\nhuor = 8\n", encoding="utf-8")
    res = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert res.code == 0 and "did you mean 'hour'" in res.err


@pytest.mark.sqlite_only  # a file path that does not exist: SQLite's case
def test_a_mistyped_db_for_a_read_command_creates_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Issue 12 point 8: `rotations list --db typo.sqlite` used to create an empty database and list nothing."""
    typo = tmp_path / "imgcoach.sqlitte"
    for args in (["rotations", "list"], ["reminders", "list", "--json"], ["shortlist"], ["export", "-o",
                                                                                         str(tmp_path / "x.ics")]):
        res = run_cli(capsys, *args, "--db", str(typo))
        assert res.code == 2 and f"no database at {typo}" in res.err, (args, res.err)
    assert not typo.exists() and list(tmp_path.iterdir()) == []
    # starting a new database is explicit
    res = run_cli(capsys, "profile", "set", "--name", "A B", "--email", "a@example.com", "--timezone", "UTC",
                  "--db", str(typo))
    assert res.code == 0 and typo.exists()


@pytest.mark.parametrize("value", ['"abc"', "3.5", "true", "1999", "2026"])
def test_a_bad_match_year_exits_2_naming_it43(
        ctx, capsys: pytest.CaptureFixture[str], db_url: str, isolated_user_dirs: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    """Stop 43: `match_year = "abc"` (or 3.5, or true) in config.toml ended readiness and the shortlist in
    "internal error: ValueError", and 1999 or a Match already over counted every deadline against it
    ("Match 1999 ... submission 1998-09-03"). The clock says 25 Nov 2026: the 2026 Match is over."""
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[coach]\nmatch_year = {value}\n", encoding="utf-8")
    for command in ("readiness", "shortlist"):
        res = run_cli(capsys, command, "--db", db_url)
        assert res.code == 2 and "[coach] match_year = " in res.err and "internal error" not in res.err, res.err
    if value == "2026":  # refused where the year is used (plan.rules.season), named by the file's path as the reader does
        assert f"{config}: [coach] match_year = 2026: that Match is over (its Match Week began 16 Mar 2026)" in res.err
    config.write_text("[coach]\nmatch_year = 2027\n", encoding="utf-8")  # the season under way: kept
    res = run_cli(capsys, "readiness", "--db", db_url)
    assert res.code == 0 and "Match 2027 (set in the config file ([coach] match_year))" in res.out


@pytest.mark.parametrize("value", ['"mccqe"', "3"])
def test_an_unknown_exam_path_names_the_setting43(
        ctx, capsys: pytest.CaptureFixture[str], db_url: str, isolated_user_dirs: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    """Stop 43: `[coach] exam_path = 3` said "unknown exam path '3'", naming neither the file nor the key."""
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[coach]\nexam_path = {value}\n", encoding="utf-8")
    res = run_cli(capsys, "readiness", "--db", db_url)
    assert res.code == 2 and f"{config}: [coach] exam_path = {value.replace(chr(34), chr(39))}: not an exam path" \
        in res.err, res.err
    assert "(readiness.toml has: usmle)" in res.err


def test_the_settings_records_behave_as_the_dataclasses_did(tmp_path: Path) -> None:
    """Settings and ReminderTiming are records (issue 17: the dataclasses cost every quick read 6-9 ms): the same
    repr (part of every kept answer's key), equality, immutability, copy and pickle, with or without a file."""
    import copy
    import dataclasses
    import pickle

    default = Settings()
    assert repr(default) == ("Settings(reminders=ReminderTiming(hour=9, minute=0, letter_window_days=28, "
                             "letter_last_call_days=14, thank_you_after_days=2, feedback_expires_after_end_days=0, "
                             "letter_expires_after_end_days=14, thank_you_expires_days=30), "
                             "import_max_bytes=20971520, database_url=None, extra={}, warnings=())")
    assert default == Settings(extra={}) and dict(default.extra) == {}
    loaded = load_settings(_config(tmp_path, "[reminders]\nhour = 7\n[digest]\nenabled = false\n"))
    assert loaded.reminders == ReminderTiming(hour=7) and loaded.extra == {"digest": {"enabled": False}}
    for settings in (default, loaded):
        assert pickle.loads(pickle.dumps(settings)) == settings == copy.deepcopy(settings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        default.database_url = "x"  # type: ignore[misc]

"""A setting refused where it is used, after the config file was read (the mail settings, `[coach] exam_path`, a
`match_year` over or two that disagree), said "config file: smtp.port: ..." where every refusal of the file's
reader says its path ("/home/ana/.config/imgcoach/config.toml: [reminders] hour = 99: ..."): which file was left to
guess, and IMGCOACH_CONFIG can name any. Each names the path of the file imgcoach read (core.settings.in_config_file,
one rule for all of them), here a file named by IMGCOACH_CONFIG away from the config folder, so the path said is
the file's own. The real CLI, exit 2, with `--json` too; the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "elsewhere" / "my imgcoach.toml"
    path.parent.mkdir()
    monkeypatch.setenv("IMGCOACH_CONFIG", str(path))
    return path


@pytest.mark.parametrize(("text", "command", "said"), [
    ('[smtp]\nport = "abc"\n', ("mail", "test"), "smtp.port: 'abc' is not a number"),
    ('[smtp]\ntimeout = "abc"\n', ("mail", "test"), "smtp.timeout: 'abc' is not a number of seconds"),
    ('[smtp]\nmaildir = 5\n', ("mail", "test"), "smtp.maildir: 5 is not a folder path"),
    ('[smtp]\npassword = "x"\n', ("mail", "test"), "smtp.password is not allowed; set IMGCOACH_SMTP_PASSWORD"),
    ('[smtp]\nprot = 1\n', ("daemon", "--once"), "1 unknown key in [smtp]: prot"),
    ("[coach]\nexam_path = \"mccqe\"\n", ("readiness",), "[coach] exam_path = 'mccqe': not an exam path"),
    ("[coach]\nmatch_year = 2026\n", ("readiness",), "[coach] match_year = 2026: that Match is over"),
    ("[coach]\nmatch_year = 2027\n[matching]\nmatch_year = 2028\n", ("shortlist",),
     "[coach] match_year = 2027 and [matching] match_year = 2028 name different Match years"),
], ids=["port", "timeout", "maildir", "password", "unknown-key", "exam-path", "match-over", "two-match-years"])
def test_a_setting_refused_where_it_is_used_names_the_config_file(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, config: Path, text: str,
        command: tuple[str, ...], said: str) -> None:
    config.write_text(text, encoding="utf-8")
    before = database_state(ctx.db.url)
    res = run_cli(capsys, *command, "--db", ctx.db.url)
    assert res.code == 2, (res.out, res.err)
    # the last line (an unknown key is warned of first, by the file's reader, with the same path)
    assert res.err.splitlines()[-1].startswith(f"imgcoach: error: {config}: {said}"), res.err
    assert "config file:" not in res.err, res.err
    assert database_state(ctx.db.url) == before


@pytest.mark.parametrize("command", [("readiness", "--json"), ("shortlist", "--json")])
def test_the_json_refusal_names_the_config_file_too(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, config: Path,
        command: tuple[str, ...]) -> None:
    """`--json` changes the answer's shape, not the refusal: one line on stderr, nothing on stdout."""
    config.write_text("[coach]\nmatch_year = 2026\n", encoding="utf-8")
    res = run_cli(capsys, *command, "--db", ctx.db.url)
    assert (res.code, res.out) == (2, ""), (res.out, res.err)
    assert res.err.startswith(f"imgcoach: error: {config}: [coach] match_year = 2026: that Match is over"), res.err


def test_mail_setup_names_the_file_it_would_write(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, config: Path) -> None:
    """`mail setup` checks the [smtp] it would write with what the file keeps: the file named is the one it
    writes, and it is left as it was."""
    config.write_text('# mine\n[smtp]\ntimeout = "abc"\n', encoding="utf-8")
    before = config.read_bytes()
    res = run_cli(capsys, "mail", "setup", "--db", ctx.db.url, "--local", "--no-test")
    assert res.code == 2 and res.err.startswith(
        f"imgcoach: error: {config}: smtp.timeout: 'abc' is not a number of seconds"), res.err
    assert config.read_bytes() == before

"""Fuzz the CLI's file readers and arguments with mutated real inputs (issue 16): never an internal error.

Like tests/test_calendar_fuzz.py for the ICS reader, a seeded mutator with a fixed number of cases, so
a failure reproduces exactly (each failure names the reader, the mutation and its random seed). The
seeds are real files: the bundled program sample (`programs import`), the FREIDA-style fixture with
its mapping (`programs import --mapping`), the mapping TOML itself, the config file from
docs/daemon.md, and an `applicants export` written by the CLI (`applicants import`). Arguments are
fuzzed with the values that broke things before (nan, huge ids, impossible dates, NUL bytes,
undecodable bytes, 200 KiB strings, header injection in e-mail addresses).

The bar for every case: exit 0 (the input was fine) or exit 2 with exactly one error line that names
the file (or the option) and the database unchanged (byte-identical SQLite file after a checkpoint;
every row on PostgreSQL); never exit 1, "internal error" or a traceback; never longer than 30 s.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import Result, database_state, run_cli

REPO = Path(__file__).resolve().parents[1]
HANG_SECONDS = 30.0
SAMPLE_ROWS = 30  # rows of each program seed: enough shape, quick to import on both engines

Mutation = Callable[[bytes, random.Random], bytes]


# --- seeds: real files -------------------------------------------------------------------------------


def _program_seed() -> bytes:
    with gzip.open(REPO / "imgcoach/matching/data/sample_programs.csv.gz", "rb") as fh:
        lines = fh.read().split(b"\n")
    return b"\n".join(lines[: 3 + SAMPLE_ROWS]) + b"\n"  # two comment lines, the header, rows


def _freida_seed() -> bytes:
    lines = (REPO / "tests/fixtures/programs/freida_style_synthetic_300.csv").read_bytes().split(b"\n")
    return b"\n".join(lines[: 1 + SAMPLE_ROWS]) + b"\n"


MAPPING_SEED = (REPO / "imgcoach/matching/data/mappings/freida.toml").read_bytes()
# A real export (events without DTEND) (the reader itself is fuzzed at length in
# tests/test_calendar_fuzz.py; here the CLI's import path, which stores what it read).
CALENDAR_SEED = (REPO / "tests/data/ics/corpus/recurring-ical-events__discourse_no_dtend.ics").read_bytes()


def _config_seed() -> bytes:
    """The config examples docs/daemon.md gives, plus the [reminders] and [general] keys the README names.
    No SMTP host: a mutated file must never make a test reach the network."""
    docs = (REPO / "docs/daemon.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in docs.split("```toml\n")[1:]]
    smtp = next(b for b in blocks if "[smtp]" in b).replace("smtp.gmail.com", "127.0.0.1")
    digest = next(b for b in blocks if "[digest]" in b)
    return ("[general]\nimport_max_bytes = 20971520\n\n[reminders]\nhour = 9\nminute = 0\n"
            "letter_window_days = 28\nletter_last_call_days = 14\n\n" + digest + "\n" + smtp).encode()


# --- mutations -----------------------------------------------------------------------------------------


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _cr_only(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def _long_cell(data: bytes, rng: random.Random) -> bytes:
    """A value over 128 KiB where a value was (after a comma, '=' or ':')."""
    filler = rng.choice([b"x", b"\xc3\xa9", b"9", b"\"", b","]) * (130 * 1024 + rng.randrange(64))
    stops = [i + 1 for i, c in enumerate(data) if c in b",=:"]
    at = rng.choice(stops) if stops else 0
    return data[:at] + filler + data[at:]


def _nul(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out.insert(rng.randrange(len(out) + 1), 0)
    return bytes(out)


def _bad_utf8(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(out) + 1)
        out[at:at] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xfe\xff", b"\x80\x80"])
    return bytes(out)


NASTY_NUMBERS = [b"99999999999999999999999", b"9223372036854775808", b"-1", b"nan", b"inf", b"1e309", b"-0",
                 b"0x1F", b"1_000", b"\xd9\xa3"]  # the last is an Arabic-Indic digit three


def _nasty_number(data: bytes, rng: random.Random) -> bytes:
    """Replace a few runs of digits (ids, counts, dates, scores) with numbers that break things."""
    import re

    runs = list(re.finditer(rb"\d+", data))
    out = data
    for match in sorted(rng.sample(runs, min(len(runs), rng.randint(1, 3))), key=lambda m: -m.start()):
        out = out[: match.start()] + rng.choice(NASTY_NUMBERS) + out[match.end():]
    return out


def _duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"\n".join(lines)


def _retype(data: bytes, rng: random.Random) -> bytes:
    """TOML/JSON: a value of another shape where a string, number or table was (text-level, so it may
    also break the syntax)."""
    import re

    values = list(re.finditer(rb'(?<=[=:] )("[^"\n]*"|-?\d[\w.:-]*|true|false|null|\{|\[)', data))
    if not values:
        return data + b"\nx = 1\n"
    match = rng.choice(values)
    other = rng.choice([b"[1, 2]", b"{ a = 1 }", b"{\"a\": 1}", b"[]", b"\"\"", b"true", b"1e999", b"nan",
                        b"-9223372036854775809", b"\"\\u0000\"", b"null", b"[[[[[[[[[[1]]]]]]]]]]"])
    return data[: match.start()] + other + data[match.end():]


MUTATIONS: dict[str, Mutation] = {
    "truncate": _truncate, "flip": _flip, "swap_lines": _swap_lines, "cr_only": _cr_only, "long_cell": _long_cell,
    "nul": _nul, "bad_utf8": _bad_utf8, "nasty_number": _nasty_number, "duplicate_line": _duplicate_line,
    "retype": _retype,
}


# --- running one case: a thread with a deadline, then the verdict -----------------------------------------


def _run_bounded(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[Result | None, float]:
    """run_cli in a thread: (None, elapsed) when it did not finish within HANG_SECONDS."""
    box: list[Result] = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: box.append(run_cli(capsys, *args)), daemon=True)
    thread.start()
    thread.join(HANG_SECONDS)
    return (box[0] if box else None), time.monotonic() - started


class _State:
    """database_state, cheaper: on SQLite after moving the WAL into the main file (so a change waiting in
    the WAL shows in the bytes and a mere checkpoint on close does not); on PostgreSQL through one engine
    kept open for all the cases, rather than a new connection per look."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        self.url = url
        self.engine = None if url.startswith("sqlite:///") else create_engine(url)

    def __call__(self) -> Any:
        if self.engine is None:
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            return database_state(self.url)
        from sqlalchemy import text
        from sqlmodel import SQLModel

        from imgcoach.storage.models import register_all

        register_all()  # every table registered

        with self.engine.connect() as conn:
            return {name: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}"')).all()), key=repr)
                    for name in sorted(SQLModel.metadata.tables)}

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


@dataclass
class Case:
    label: str
    args: list[str]
    names: tuple[str, ...]  # one of these must be in the error line: the file, the option


def _verdict(case: Case, result: Result | None, elapsed: float, before: Any, after: Any) -> str | None:
    """What is wrong with one case's outcome, or None."""
    if result is None:
        return f"{case.label}: still running after {HANG_SECONDS:.0f} s"
    if elapsed > HANG_SECONDS:
        return f"{case.label}: took {elapsed:.1f} s"
    text = result.out + result.err
    if result.code not in (0, 2) or "internal error" in text or "Traceback" in text:
        return f"{case.label}: exit {result.code}: {result.err.strip()[-300:]!r}"
    if result.code == 0:
        return None
    errors = [line for line in result.err.splitlines() if "error:" in line.lower()]
    if len(errors) != 1:
        return f"{case.label}: {len(errors)} error lines: {result.err[-300:]!r}"
    if not any(name.lower() in errors[0].lower() for name in case.names):
        return f"{case.label}: the error names none of {case.names}: {errors[0][:300]!r}"
    if len(errors[0]) > 2000:
        return f"{case.label}: an error line of {len(errors[0])} characters (the input echoed back?)"
    if after != before:
        return f"{case.label}: refused (exit 2) but the database changed"
    return None


def _run_cases(capsys: pytest.CaptureFixture[str], url: str, cases: list[Case]) -> list[str]:
    problems = []
    look = _State(url)
    try:
        state = look()
        for case in cases:
            result, elapsed = _run_bounded(capsys, ["--db", url, *case.args])
            if result is None:
                problems.append(_verdict(case, None, elapsed, state, state))
                break  # the thread still runs: later cases would race it
            after = look() if result.code != 0 else None  # a refusal must leave it as it was
            problems.append(_verdict(case, result, elapsed, state, after))
            state = look() if result.code == 0 else after  # an accepted input may change it
    finally:
        look.close()
    return [p for p in problems if p]


# --- the database each case runs against ----------------------------------------------------------------


PROFILE = ["profile", "set", "--name", "Amira Haddad (synthetic)", "--email", "amira@example.com",
           "--timezone", "Asia/Kolkata", "--graduation-year", "2021", "--visa", "j1",
           "--specialties", "Internal Medicine"]


@pytest.fixture
def plan_url(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    """An applicant with a rotation, a supervisor, a letter, an exam, a study block and program data."""
    programs = tmp_path / "seed-programs.csv"
    programs.write_bytes(_program_seed())
    steps = [
        PROFILE,
        ["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
         "Lakeside General (synthetic)", "--start", "2026-09-01", "--end", "2026-09-28"],
        ["contacts", "add", "--name", "Dr. Lee (synthetic)", "--email", "lee@example.org", "--rotation", "1"],
        ["letters", "add", "--writer", "1", "--rotation", "1"],
        ["exams", "add", "--exam", "Step 2 CK", "--date", "2026-06-01", "--score", "245"],
        ["study", "add", "--exam", "Step 3", "--start", "2027-01-04", "--end", "2027-02-26", "--hours", "20"],
        ["programs", "import", str(programs)],
    ]
    for step in steps:
        result = run_cli(capsys, "--db", db_url, *step)
        assert result.code == 0, (step, result)
    return db_url


# --- file readers ---------------------------------------------------------------------------------------

CASES_PER_MUTATION = 2
READERS = ("programs", "freida", "mapping", "config", "applicant", "calendar")


def _file_cases(reader: str, tmp_path: Path, seed: bytes, url: str) -> list[Case]:
    rng = random.Random(f"{reader}-20261202")
    cases = []
    for kind, mutate in MUTATIONS.items():
        for n in range(CASES_PER_MUTATION):
            case_seed = rng.randrange(2**32)
            # An applicant import under an e-mail of its own, or every case after the first is a duplicate.
            own = seed.replace(b"amira@example.com", f"amira.{kind}.{n}@example.com".encode())
            data = mutate(own, random.Random(case_seed))
            label = f"{reader} {kind} seed={case_seed}"
            if reader == "programs":
                path = tmp_path / f"programs-{kind}-{n}.csv"
                args = ["programs", "import", str(path)] + (["--skip-invalid"] if n % 2 else [])
            elif reader == "freida":
                path = tmp_path / f"freida-{kind}-{n}.csv"
                args = ["programs", "import", str(path), "--mapping", "freida"]
            elif reader == "mapping":
                path = tmp_path / f"mapping-{kind}-{n}.toml"
                freida = tmp_path / "freida-seed.csv"
                freida.write_bytes(_freida_seed())
                args = ["programs", "import", str(freida), "--mapping", str(path)]
                extra_name = freida.name  # a valid mapping of the wrong columns: the CSV's line and column
            elif reader == "config":
                path = tmp_path / f"config-{kind}-{n}.toml"
                args = ["--config-file-marker", str(path)]  # replaced below: the config is an environment variable
            elif reader == "calendar":
                path = tmp_path / f"calendar-{kind}-{n}.ics"
                args = ["import", str(path), "--skip-invalid" if n % 2 else "--dry-run"]
            else:
                path = tmp_path / f"applicant-{kind}-{n}.json"
                args = ["applicants", "import", str(path)]
            path.write_bytes(data)
            cases.append(Case(label, args, (path.name, extra_name) if reader == "mapping" else (path.name,)))
    return cases


def _applicant_seed(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> bytes:
    out = tmp_path / "export.json"
    result = run_cli(capsys, "--db", url, "applicants", "export", "-o", str(out))
    assert result.code == 0, result
    # It is imported into the same database: its rotation's reminders (recorded not planned, the rotation having
    # ended months before the clock) have Message-IDs this database holds, so every import would be refused for them.
    data = json.loads(out.read_bytes())
    data["tables"]["reminder"] = []
    return json.dumps(data, indent=2).encode()


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_mutated_real_files_are_read_or_refused_in_one_line(
        reader: str, plan_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed = {"programs": _program_seed, "freida": _freida_seed, "mapping": lambda: MAPPING_SEED,
            "config": _config_seed, "applicant": lambda: _applicant_seed(capsys, plan_url, tmp_path),
            "calendar": lambda: CALENDAR_SEED}[reader]()
    cases = _file_cases(reader, tmp_path, seed, plan_url)
    if reader != "config":
        problems = _run_cases(capsys, plan_url, cases)
    else:  # the config file is read by every command: one that reads and one that writes
        problems = []
        for i, case in enumerate(cases):
            monkeypatch.setenv("IMGCOACH_CONFIG", case.args[1])
            command = ["rotations", "list"] if i % 2 else ["study", "add", "--exam", "Step 1", "--start",
                                                            "2027-05-03", "--end", "2027-05-28", "--hours", "10"]
            problems += _run_cases(capsys, plan_url, [Case(case.label, command, case.names)])
            problems += _mail_settings_problems(case)
    assert not problems, "\n".join(problems)


def _mail_settings_problems(case: Case) -> list[str]:
    """The [smtp] section is read by the daemon and `mail test`, which would reach the network: its reader
    is called directly here. A bad value is a UserError naming the file, never another exception."""
    from imgcoach.core.errors import UserError
    from imgcoach.core.settings import load_settings
    from imgcoach.reminders import load_mail_settings

    try:
        settings = load_settings(Path(case.args[1]))
        load_mail_settings(settings.extra, data_dir=Path(case.args[1]).parent)
    except UserError:
        return []
    except Exception as exc:  # noqa: BLE001  the point of the test
        return [f"{case.label}: mail settings: {type(exc).__name__}: {exc}"[:300]]
    return []


# --- arguments ------------------------------------------------------------------------------------------

# Values that broke something before, and the shapes around them. "\udcff" is how Python hands over an
# argument whose bytes are not UTF-8 (surrogateescape); a subprocess test below passes the raw bytes.
NASTY_VALUES = ["nan", "inf", "-inf", "1e309", "-1", "0", "99999999999999999999999", "9223372036854775808",
                "", " ", "\x00", "a\x00b", "2026-02-30", "9999-12-31", "0001-01-01", "2026-13-01", "2026-02-29",
                "Evil <x@y.com>", "a@b.com, c@d.com", "a@b.com\r\nBcc: victim@example.com", "mailto:a@b.com",
                ".a@b.com", "a..b@c.com", "ü@example.com", "a@bücher.example", "\udcff\udcfe", "x" * 200_000,
                "--help", "-", "💥", "٣", "1_000", "0x10", "Europe/Nowhere", "../../etc/passwd"]

# (command, the option or argument to fuzz, what the error line may name); {} marks the fuzzed slot.
ARG_TEMPLATES: list[tuple[list[str], tuple[str, ...]]] = [
    (["shortlist", "--budget-usd", "{}"], ("budget-usd",)),
    (["shortlist", "--budget", "{}"], ("budget",)),
    (["shortlist", "--what-if-step2", "{}"], ("what-if-step2", "step 2")),
    (["shortlist", "--explain", "{}"], ("explain", "program")),
    (["profile", "set", "--email", "{}"], ("email", "address")),
    (["profile", "set", "--timezone", "{}"], ("timezone", "time zone")),
    (["profile", "set", "--graduation-year", "{}"], ("graduation-year", "graduation")),
    (["profile", "set", "--budget-usd", "{}"], ("budget-usd", "budget")),
    (["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution", "X",
      "--start", "2026-10-05", "--end", "{}"], ("end",)),
    (["rotations", "add", "--kind", "observership", "--specialty", "{}", "--institution", "X",
      "--start", "2026-10-05", "--end", "2026-10-30"], ("specialty",)),
    (["rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution", "X",
      "--start", "2026-10-05", "--end", "2026-10-30", "--hours", "{}"], ("hours",)),
    (["rotations", "show", "{}"], ("rotation", "number", "id")),
    (["reminders", "cancel", "{}"], ("reminder", "number", "id")),
    (["contacts", "add", "--name", "Dr. X", "--email", "{}"], ("email", "address")),
    (["outreach", "add", "Hospital (synthetic)", "--email", "{}"], ("email", "address")),
    (["outreach", "add", "Hospital (synthetic)", "--cost", "{}"], ("cost",)),
    (["exams", "add", "--exam", "Step 2 CK", "--date", "2026-05-01", "--score", "{}"], ("score",)),
    (["study", "add", "--exam", "Step 3", "--start", "{}", "--end", "2027-03-26", "--hours", "10"], ("start",)),
    (["letters", "add", "--writer", "{}"], ("writer", "contact", "number", "id")),
    (["programs", "override", "SYN00001", "step2_min", "{}"], ("step2_min",)),
    (["daemon", "--once", "--poll", "{}"], ("poll",)),
    (["export", "-o", "{}"], ("output", "-o", "file", "folder", "directory", "path", "write")),
    (["--applicant", "{}", "rotations", "list"], ("applicant",)),
]


VALUES_PER_TEMPLATE = 8
ALWAYS = ["a\x00b", "\udcff\udcfe", "x" * 200_000, "99999999999999999999999", "nan"]  # what broke most often


def _arg_cases(template: int) -> list[Case]:
    """The values every template gets, and a seeded draw of the rest (the same draw on every run)."""
    args_template, names = ARG_TEMPLATES[template]
    rng = random.Random(f"args-{template}-20261202")
    rest = [v for v in NASTY_VALUES if v not in ALWAYS]
    values = ALWAYS + rng.sample(rest, VALUES_PER_TEMPLATE - len(ALWAYS))
    cases = []
    for value in values:
        args = [value if a == "{}" else a for a in args_template]
        shown = value if len(value) < 40 else f"{value[:10]}...({len(value)} chars)"
        cases.append(Case(f"{' '.join(args_template)} {shown!r}", args, (*names, "usage", "option", "argument")))
    return cases


TEMPLATE_GROUPS = 4  # a database per group, not per template: its set-up is most of the time on PostgreSQL


@pytest.mark.slow
@pytest.mark.parametrize("group", range(TEMPLATE_GROUPS))
def test_nasty_arguments_are_refused_in_one_line_and_change_nothing(
        group: int, plan_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative output path lands in the test's own folder
    cases = [case for template in range(group, len(ARG_TEMPLATES), TEMPLATE_GROUPS) for case in _arg_cases(template)]
    problems = [p for p in _run_cases(capsys, plan_url, cases)
                if "--help" not in p]  # `--help` as a value is read as the help flag: exit 0, fine
    assert not problems, "\n".join(problems)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def test_seeds_are_real_and_accepted(plan_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The unmutated seeds import: the fuzz starts from files the CLI reads, not from noise."""
    programs = tmp_path / "programs.csv"
    programs.write_bytes(_program_seed())
    freida = tmp_path / "freida.csv"
    freida.write_bytes(_freida_seed())
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(MAPPING_SEED)
    for args in (["programs", "import", str(programs)], ["programs", "import", str(freida), "--mapping", str(mapping)]):
        result = run_cli(capsys, "--db", plan_url, *args)
        assert result.code == 0, result
    config = tmp_path / "config.toml"
    config.write_bytes(_config_seed())
    from imgcoach.core.settings import load_settings

    assert load_settings(config).extra["smtp"]["host"] == "127.0.0.1" and _digest(config.read_bytes())
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(CALENDAR_SEED)
    result = run_cli(capsys, "--db", plan_url, "import", str(calendar))
    assert result.code == 0 and "4 created" in result.out, result
    exported = _applicant_seed(capsys, plan_url, tmp_path)
    (tmp_path / "again.json").write_bytes(exported.replace(b"amira@example.com", b"amira.again@example.com"))
    assert run_cli(capsys, "--db", plan_url, "applicants", "import", str(tmp_path / "again.json")).code == 0

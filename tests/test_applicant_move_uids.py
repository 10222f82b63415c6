"""Moving an applicant (`applicants export` then `applicants import`) keeps every calendar entry one entry.

A subscribed calendar knows the plan's events by UID. Those UIDs were made from row ids, and the move gives
every row a new id, so after an organisation moved an applicant into its database each rotation, study
block, exam and letter deadline appeared twice in the applicant's calendar (the old UID never cancelled,
the new one added). The moved rows now keep the UID they were published under.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from tests.cli_helpers import run_cli
from tests.pg_server import TEMPLATE, PostgresServer


def _rotation(n: int) -> tuple[str, ...]:
    """`rotations add` of the n-th of several different observerships (the same one twice is refused)."""
    return ("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
            "--institution", f"Lakeside General {n}", "--start", "2027-03-01", "--end", "2027-03-28")


def _uids(ics: str) -> list[str]:
    """Every UID of the calendar, in order (a line of an .ics file is never folded before its UID's end here:
    our UIDs are short)."""
    return re.findall(r"^UID:(.+?)\r?$", ics, flags=re.MULTILINE)


def _summaries(ics: str) -> dict[str, str]:
    """UID -> SUMMARY of every event."""
    found: dict[str, str] = {}
    for block in ics.split("BEGIN:VEVENT")[1:]:
        uid = re.search(r"^UID:(.+?)\r?$", block, flags=re.MULTILINE)
        summary = re.search(r"^SUMMARY:(.+?)\r?$", block, flags=re.MULTILINE)
        assert uid and summary
        found[uid.group(1)] = summary.group(1)
    return found


def _plan_uids(ics: str) -> set[str]:
    """The UIDs of the plan's own rows (rotations, study blocks, exams, letter deadlines), not reminders."""
    return {u for u in _uids(ics) if re.search(r"-(rotation|study|exam|letter)-\d+@imgcoach$", u)}


def test_a_moved_applicants_calendar_keeps_every_uid(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_template: Path, cli_clock: FixedClock) -> None:
    source = tmp_path / "own.sqlite"
    shutil.copyfile(demo_template, source)
    before = run_cli(capsys, "--db", str(source), "export")
    assert before.code == 0
    assert len(_plan_uids(before.out)) >= 8  # the demo's rotations, study blocks, exams and letters
    moved = tmp_path / "amina.json"
    assert run_cli(capsys, "--db", str(source), "applicants", "export", "-o", str(moved)).code == 0

    target = str(tmp_path / "organisation.sqlite")
    # someone already there, with rows, so the moved rows get other ids (and the applicant another id)
    assert run_cli(capsys, "--db", target, "applicants", "add", "--name", "First", "--email", "f@example.org").code == 0
    for n in range(3):
        assert run_cli(capsys, "--db", target, *_rotation(n)).code == 0
    new_id = run_cli(capsys, "--db", target, "applicants", "import", str(moved), "--json").json()["id"]
    after = run_cli(capsys, "--db", target, "--applicant", str(new_id), "export")
    assert after.code == 0
    assert set(_uids(after.out)) == set(_uids(before.out))

    # The subscriber's calendar brought back (a calendar holding the export) is still recognised as the plan's
    # own: nothing is imported twice.
    ics = tmp_path / "subscribed.ics"
    ics.write_text(before.out, encoding="utf-8")
    rotations = run_cli(capsys, "--db", target, "--applicant", str(new_id), "rotations", "list", "--json").json()
    assert run_cli(capsys, "--db", target, "--applicant", str(new_id), "import", str(ics)).code == 0
    again = run_cli(capsys, "--db", target, "--applicant", str(new_id), "rotations", "list", "--json").json()
    assert len(again) == len(rotations)
    assert set(_uids(run_cli(capsys, "--db", target, "--applicant", str(new_id), "export").out)) == \
        set(_uids(before.out))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_rows_added_after_a_move_never_take_a_moved_rows_uid_or_message_id(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, cli_clock: FixedClock, engine: str,
        request: pytest.FixtureRequest) -> None:
    # The source's only rotation has id 5 (four removed); the empty target gives the applicant the same id, so
    # the same salt, and ids from 1: the target's own fifth rotation would be minted the moved one's UID and
    # its reminders the moved reminders' Message-IDs.
    source = str(tmp_path / "own.sqlite")
    assert run_cli(capsys, "--db", source, "applicants", "add", "--name", "Asha Rao",
                   "--email", "asha@example.org").code == 0
    for n in range(5):
        assert run_cli(capsys, "--db", source, *_rotation(n)).code == 0
    for rotation_id in range(1, 5):
        assert run_cli(capsys, "--db", source, "rotations", "remove", str(rotation_id)).code == 0
    moved = tmp_path / "asha.json"
    assert run_cli(capsys, "--db", source, "applicants", "export", "-o", str(moved)).code == 0
    published = _plan_uids(run_cli(capsys, "--db", source, "export").out)
    assert len(published) == 1

    if engine == "sqlite":
        target = str(tmp_path / "organisation.sqlite")
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        name = server.new_database(TEMPLATE)
        request.addfinalizer(lambda: server.drop_database(name))
        target = server.url(name)
    assert run_cli(capsys, "--db", target, "applicants", "import", str(moved), "--json").json()["id"] == 1
    for n in range(6):
        added = run_cli(capsys, "--db", target, *_rotation(10 + n))
        assert added.code == 0, (n, added.err)
    ics = run_cli(capsys, "--db", target, "export").out
    uids = _uids(ics)
    assert len(uids) == len(set(uids))  # no two events under one UID
    # the UID the subscriber has is still the moved rotation's, not the target's own fifth rotation's
    assert [_summaries(ics)[uid] for uid in published] == ["Observership: Internal Medicine at Lakeside General 4"]
    message_ids = [r["message_id"] for r in
                   run_cli(capsys, "--db", target, "applicants", "export").json()["tables"]["reminder"]]
    assert len(message_ids) > 6 and len(message_ids) == len(set(message_ids))
    listed = run_cli(capsys, "--db", target, "rotations", "list", "--json").json()
    assert len(listed) == 7


def test_a_file_with_ids_near_the_largest_integer_leaves_the_tables_ids_to_hand_out(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, cli_clock: FixedClock) -> None:
    """The sequence is moved above the moved rows' old ids only so far: a hand-edited file whose rotation had the
    largest id SQLite knows would otherwise leave the table no id for the next rotation ("database or disk is
    full")."""
    source = str(tmp_path / "own.sqlite")
    assert run_cli(capsys, "--db", source, "applicants", "add", "--name", "Asha Rao",
                   "--email", "asha@example.org").code == 0
    assert run_cli(capsys, "--db", source, *_rotation(1)).code == 0
    data = run_cli(capsys, "--db", source, "applicants", "export").json()
    huge = 2**63 - 1
    (rotation,) = data["tables"]["rotation"]
    old = rotation["id"]
    rotation["id"] = huge
    for reminder in data["tables"]["reminder"]:
        reminder["rotation_id"] = huge
        reminder["key"] = reminder["key"].replace(f"rotation:{old}:", f"rotation:{huge}:")
    moved = tmp_path / "asha.json"
    moved.write_text(json.dumps(data), encoding="utf-8")

    target = str(tmp_path / "organisation.sqlite")
    assert run_cli(capsys, "--db", target, "applicants", "import", str(moved), "--json").json()["id"] == 1
    added = run_cli(capsys, "--db", target, *_rotation(2))
    assert added.code == 0, added.err
    assert len(run_cli(capsys, "--db", target, "rotations", "list", "--json").json()) == 2

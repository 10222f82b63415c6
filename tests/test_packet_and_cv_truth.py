"""The letter packet finds every writer who worked with the applicant, and an empty CV section says why it is empty.

Found by a new user's sequence: the contact added with `--rotation 1 --role attending`, who also writes the letter
for that rotation, got "no rotation supervised by 'Dr. Sarah Okafor' (supervisors: none)" from `packet 1`; and
`cv` said "(no host-country rotation recorded yet)" with an observership recorded for next month.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from imgcoach.coach import render_cv
from imgcoach.coach.actions import build_packet
from imgcoach.coach.errors import CoachInputError
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_letter_request, add_rotation
from tests.cli_helpers import run_cli


def _rotation(ctx: Context, institution: str, start: date, weeks: int = 4) -> int:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=start + timedelta(weeks=weeks, days=-3))
    assert rotation.id is not None
    return rotation.id


def test_an_attending_on_the_rotation_gets_a_packet_by_id_and_by_name(ctx: Context) -> None:
    today = ctx.clock.now().date()
    done = _rotation(ctx, "Riverside General (fictional)", today - timedelta(weeks=10))
    attending = add_contact(ctx, "Dr. Test Attending (fictional)", rotation_id=done, role="attending")
    add_contact(ctx, "Dr. Test Supervisor (fictional)", rotation_id=done, role="supervisor")
    assert attending.id is not None
    for typed in (str(attending.id), "dr. test attending (FICTIONAL)"):
        packet, _ = build_packet(ctx, typed)
        assert packet.writer == "Dr. Test Attending (fictional)"
        assert [r.id for r in packet.rotations] == [done]


def test_a_letter_writer_not_linked_as_a_person_still_gets_the_rotation(ctx: Context) -> None:
    today = ctx.clock.now().date()
    done = _rotation(ctx, "Lakeside Clinic (fictional)", today - timedelta(weeks=10))
    _rotation(ctx, "Hilltop Hospital (fictional)", today - timedelta(weeks=5))
    writer = add_contact(ctx, "Dr. Letter Writer (fictional)")
    assert writer.id is not None
    add_letter_request(ctx, writer.id, rotation_id=done, status="requested")
    packet, _ = build_packet(ctx, str(writer.id))
    assert [r.id for r in packet.rotations] == [done]


def test_nobody_on_any_rotation_is_refused_naming_the_people(ctx: Context) -> None:
    done = _rotation(ctx, "Riverside General (fictional)", ctx.clock.now().date() - timedelta(weeks=10))
    add_contact(ctx, "Dr. Test Attending (fictional)", rotation_id=done, role="attending")
    with pytest.raises(CoachInputError, match=r"no rotation with 'Dr. Nobody'.*Dr. Test Attending \(fictional\)"):
        build_packet(ctx, "Dr. Nobody")


def test_cv_with_only_a_planned_rotation_says_so_and_lists_it_on_request(capsys: pytest.CaptureFixture[str],
                                                                           ctx: Context, db_url: str, cli_clock: FixedClock) -> None:
    _rotation(ctx, "Riverside General (fictional)", ctx.clock.now().date() + timedelta(weeks=5))
    section = render_cv(ctx, "md")
    assert isinstance(section, str)
    assert "no host-country rotation has started yet; 1 planned one is left out until it starts" in section
    listed = run_cli(capsys, "cv", "--db", db_url, "--include-planned")
    assert listed.code == 0, listed.err
    assert "Riverside General (fictional)" in listed.out and "(planned)" in listed.out


def test_a_rotation_whose_setting_was_not_given_is_not_called_inpatient(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`rotations add` without `--setting` stored "inpatient", and the CV printed "Inpatient" for a clinic the
    applicant never described: the CV is sent to programs, so a guess there is a false statement."""
    today = ctx.clock.now().date()
    added = run_cli(capsys, "rotations", "add", "--db", ctx.db.url, "--kind", "externship", "--specialty", "Internal Medicine",
                    "--institution", "Mercy Clinic (fictional)", "--start", str(today - timedelta(weeks=6)),
                    "--end", str(today - timedelta(weeks=2)), "--hours", "40")
    assert added.code == 0, added.err
    rotation_id = int(added.out.strip())
    cv = render_cv(ctx, "md")
    assert isinstance(cv, str) and "Mercy Clinic (fictional)" in cv
    assert "Inpatient" not in cv and "Outpatient" not in cv
    shown = run_cli(capsys, "rotations", "show", str(rotation_id), "--db", ctx.db.url)
    assert [line.split() for line in shown.out.splitlines() if "Setting" in line] == [["Setting", "not", "set"]]
    # Said later, it is printed; the blank the app's form offers (None) is "not said" again.
    from imgcoach.plan import edit_rotation

    edit_rotation(ctx, rotation_id, setting="outpatient")
    assert "Outpatient" in str(render_cv(ctx, "md"))
    assert edit_rotation(ctx, rotation_id, setting=None).setting == ""
    assert "Outpatient" not in str(render_cv(ctx, "md"))


def test_the_hours_a_rotation_assumes_are_said_when_it_is_added(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`rotations add` without `--hours` stored 40 a week in silence, and the CV printed "40 hours/week"."""
    today = ctx.clock.now().date()
    args = ("rotations", "add", "--db", ctx.db.url, "--kind", "observership", "--specialty", "Internal Medicine",
            "--start", str(today + timedelta(weeks=2)))
    silent = run_cli(capsys, *args, "--institution", "Hill Clinic (fictional)", "--hours", "24",
                     "--end", str(today + timedelta(weeks=3)))  # ends before the next begins: no overlap warning
    assert silent.code == 0 and silent.err == "", silent.err
    assumed = run_cli(capsys, *args[:-1], str(today + timedelta(weeks=4)), "--institution", "Lake Clinic (fictional)",
                      "--end", str(today + timedelta(weeks=6)))  # the end given: only the hours are assumed
    assert assumed.code == 0 and assumed.out.strip().isdigit()  # stdout stays the id alone, for scripts
    assert assumed.err == (f"note: 40 hours a week assumed (the weekly load counts them; the CV leaves them out); "
                           f"set the real figure with `imgcoach rotations edit {assumed.out.strip()} --hours N`\n")


def test_the_packet_attaches_only_files_it_found_and_marks_rotations_not_yet_ended(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The packet goes to a letter writer: its "Attached" listed the statement draft named in the profile though
    the file was not found (only stderr said so), by the applicant's own path; and a rotation that had not begun
    was listed under "Rotations with you" with nothing to say it was still to come (the CV says "(planned)")."""
    from imgcoach.plan.profile import set_profile

    today = ctx.clock.now().date()
    done = _rotation(ctx, "Riverside General (fictional)", today - timedelta(weeks=10))
    now = _rotation(ctx, "Lakeside Clinic (fictional)", today - timedelta(weeks=1))
    later = _rotation(ctx, "Hilltop Hospital (fictional)", today + timedelta(weeks=3))
    for rotation_id in (done, now, later):
        add_contact(ctx, "Dr. Test Attending (fictional)", rotation_id=rotation_id, role="attending")
    cv_file = tmp_path / "my-cv.pdf"
    cv_file.write_bytes(b"%PDF-1.4 synthetic")
    set_profile(ctx, cv_path=str(cv_file), personal_statement_path=str(tmp_path / "missing-ps.docx"))
    out = tmp_path / "packet"
    result = run_cli(capsys, "packet", "Dr. Test Attending (fictional)", "-o", str(out), "--db", ctx.db.url)
    assert result.code == 0, result.err
    assert "missing-ps.docx does not exist (yet); the packet will leave it out until it does" in result.err
    (md,) = out.glob("*.md")
    sections = {block.split("\n", 1)[0]: block for block in md.read_text().split("## ")[1:]}
    attached = sections["Attached"]
    assert "- CV: my-cv.pdf" in attached and (out / "my-cv.pdf").is_file()
    assert "statement" not in attached.lower() and str(tmp_path) not in attached
    rotations = [line for line in sections["Rotations with you"].splitlines() if line.startswith("- ")]
    assert [("(planned)" in line, "(in progress)" in line) for line in rotations] == [
        (False, False), (False, True), (True, False)]
    # No file found at all: no "Attached" section (it said "(none)" to the writer), and the warnings say why
    cv_file.unlink()
    again = run_cli(capsys, "packet", "Dr. Test Attending (fictional)", "-o", str(tmp_path / "p2"), "--db", ctx.db.url)
    assert again.code == 0, again.err
    (md,) = (tmp_path / "p2").glob("*.md")
    assert "## Attached" not in md.read_text() and "(none" not in md.read_text()
    assert "my-cv.pdf does not exist" in again.err, again.err

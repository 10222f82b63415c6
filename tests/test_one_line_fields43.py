"""Names, places and titles are one line: a line break or a control character is refused, naming the field.

Found in stop 43: `contacts add --name $'Dr. Ann\\r\\nBcc: evil@x.org'` was stored (the e-mail headers clean it,
but `contacts list` printed a broken table and the letter packet a two-line name); `profile set --name` with a
line break said "profile saved for Aisha" and "Rahman" on the next line; an institution with "\\x1b[31m" coloured
every screen listing it. The database is unchanged by each refusal. A rotation made from a calendar event takes
its LOCATION's first line with a tab made a space (the import is not refused for it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _db_file(db_url: str) -> Path | None:
    return Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite:///") else None


@pytest.mark.parametrize(("args", "field", "value"), [
    (("contacts", "add", "--name", "Dr. Ann\r\nBcc: evil@x.org", "--email", "ann@hospital.example"), "--name",
     "Dr. Ann\\r\\nBcc: evil@x.org"),
    (("contacts", "add", "--name", "Dr. Ann", "--title", "MD\nAttending"), "--title", "MD\\nAttending"),
    (("profile", "set", "--name", "Aisha\nRahman"), "--name", "Aisha\\nRahman"),
    (("profile", "set", "--school", "Dow\tMedical College"), "--school", "Dow\\tMedical College"),
    (("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
      "Mercy\r\nHospital", "--start", "2027-02-01", "--end", "2027-02-26"), "--institution", "Mercy\\r\\nHospital"),
    (("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution", "Mercy",
      "--city", "St.\x1b[31m Louis", "--start", "2027-02-01", "--end", "2027-02-26"), "--city",
     "St.\\x1b[31m Louis"),
    (("outreach", "add", "Mercy\nHospital"), "institution", "Mercy\\nHospital"),  # an argument: no --
    (("outreach", "add", "Mercy Hospital", "--coordinator", "Ms\tOkafor"), "--coordinator", "Ms\\tOkafor"),
    (("projects", "add", "--kind", "qi", "--title", "QI\nproject"), "--title", "QI\\nproject"),
])
def test_a_line_break_or_control_character_is_refused(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                      args: tuple[str, ...], field: str, value: str) -> None:
    path = _db_file(db_url)
    before = path.read_bytes() if path else None
    res = run_cli(capsys, *args, "--db", db_url)
    assert res.code == 2, res.err
    assert f"{field}: must be one line: it contains a line break or another control character (got '{value}')" \
        in res.err
    if path is not None:
        assert path.read_bytes() == before


def test_an_event_location_with_a_tab_makes_a_one_line_institution(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                   db_url: str, tmp_path: Path) -> None:
    """A LOCATION "Mercy Hospital<TAB>St. Louis" is made one line, not refused (before: the tab was stored)."""
    ics = tmp_path / "observership.ics"
    ics.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hospital//Schedule//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:obs-1@hospital.example\r\nDTSTAMP:20261201T120000Z\r\nDTSTART;VALUE=DATE:20270201\r\n"
        b"DTEND;VALUE=DATE:20270227\r\nSUMMARY:Internal Medicine observership\r\n"
        b"LOCATION:Mercy Hospital\tSt. Louis\\nInternal Medicine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    res = run_cli(capsys, "import", str(ics), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    res = run_cli(capsys, "rotations", "list", "--json", "--db", db_url)
    import json

    made = [r for r in json.loads(res.out) if r["start_date"] == "2027-02-01"]
    assert [r["institution"] for r in made] == ["Mercy Hospital St. Louis"]

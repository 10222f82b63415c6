"""A rotation made from a hospital's calendar event takes its specialty and institution from what the title
says, wherever it says it. The import took the text after " - " as the specialty: "Cardiology Externship -
Mount Sinai" became a rotation in the specialty "Mount Sinai" at "unspecified"; "Cardiology observership" one in
"unspecified"; "Externship - Cardiology" one in "Cardiology", stored so, which no readiness check counts
(`rotations add` stores it as Internal Medicine with Cardiology as the department)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.calendar import apply_import
from imgcoach.core.context import Context
from imgcoach.plan import list_rotations


def hospital_file(path: Path, summary: str, location: str = "") -> Path:
    where = f"LOCATION:{location}\r\n" if location else ""
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hospital//EN\r\nBEGIN:VEVENT\r\n"
                      "UID:rot-1@hospital.example\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20270301\r\n"
                      f"DTEND;VALUE=DATE:20270329\r\nSUMMARY:{summary}\r\n{where}END:VEVENT\r\nEND:VCALENDAR\r\n")
                     .encode())
    return path


@pytest.mark.parametrize(("summary", "location", "expected"), [
    ("Cardiology Externship - Mount Sinai", "", ("Internal Medicine", "Cardiology", "Mount Sinai")),
    ("Cardiology observership", "", ("Internal Medicine", "Cardiology", "unspecified")),
    ("Externship - Cardiology", "Lakeside General Hospital", ("Internal Medicine", "Cardiology",
                                                              "Lakeside General Hospital")),
    ("Observership: Internal Medicine at Lakeside General", "", ("Internal Medicine", "", "Lakeside General")),
    ("Observership - Internal Medicine", "", ("Internal Medicine", "", "unspecified")),
    ("IM Observership", "Mercy Hospital\\nChicago\\, IL", ("Internal Medicine", "", "Mercy Hospital")),  # escaped
    ("Observership - Dr. Lee's clinic", "", ("unspecified", "", "Dr. Lee's clinic")),
])
def test_the_title_names_the_specialty_and_the_place(ctx: Context, tmp_path: Path, summary: str, location: str,
                                                      expected: tuple[str, str, str]) -> None:
    f = hospital_file(tmp_path / "hospital.ics", summary, location)
    report = apply_import(ctx, f, kinds={"rot-1@hospital.example": "rotation"})
    assert [m["kind"] for m in report.mapped] == ["rotation"]
    (rotation,) = list_rotations(ctx)
    assert (rotation.specialty, rotation.department, rotation.institution) == expected

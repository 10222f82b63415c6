"""A calendar saved as UTF-16 (PowerShell's Out-File, Notepad's "Unicode") is text: it was refused as "contains
NUL bytes: this is a binary file, not iCalendar text", which was false. It is read, with a warning that iCalendar
wants UTF-8; one that only starts like UTF-16 is refused by name, exit 2, the database unchanged. A real ICS file
of tests/data re-encoded, real SQLite/PostgreSQL databases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

INVITE = Path(__file__).parent / "data" / "ics" / "method_request.ics"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_calendar_is_read_as_text(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          codec: str) -> None:
    path = tmp_path / "invite.ics"
    path.write_bytes(INVITE.read_text(encoding="utf-8").encode(codec))
    res = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert res.code == 0, res.err
    assert "1 created" in res.out and "binary" not in res.err, (res.out, res.err)
    assert f"{path}: is UTF-16 text, not the UTF-8 iCalendar requires; read as UTF-16" in res.err, res.err
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert [e["summary"] for e in listed] == ["Interview day - Family Medicine Residency"]


def test_bytes_that_only_start_as_utf16_are_refused_by_name(ctx: Context, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.ics"
    path.write_bytes("BEGIN:VCALENDAR\r\n".encode("utf-16") + b"\x00\xd8A")  # a lone surrogate, then the end
    before = database_state(ctx.db.url)
    res = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert res.code == 2 and res.err.count("\n") == 1, res.err
    assert f"{path}: starts as UTF-16 text but is not" in res.err and "nothing imported" in res.err, res.err
    assert database_state(ctx.db.url) == before

"""An import reads the event rows it can touch, not every row of the applicant (issue 17).

Importing an interview invitation (one event) into the 100x database (163,000 imported events) took 1.8 s and
359 MiB: the import read every event row the applicant had, to compare the file's events with them. It now reads
the rows of the file's UIDs (events and cancellations, whichever file brought them) and the rows of the file's own
source (for the events that left it): 0.28 s and 89 MiB. Same outcome, checked here through the real import: an
event another file brought is taken over, a cancellation in a file of its own removes an event another file brought,
and an event that left its file is removed with --prune."""

from __future__ import annotations

from pathlib import Path

from imgcoach.calendar import apply_import, preview_import
from imgcoach.core.context import Context


def _calendar(*events: str, method: str = "") -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test hospital//EN\r\n" + (f"METHOD:{method}\r\n" if method
                                                                                   else "")
    return head + "".join(events) + "END:VCALENDAR\r\n"


def _event(uid: str, summary: str, day: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\n"
            f"DTSTART:{day}T140000Z\r\nDTEND:{day}T150000Z\r\n{extra}END:VEVENT\r\n")


def _days(n: int) -> list[str]:
    return [f"2027{1 + i // 28:02d}{1 + i % 28:02d}" for i in range(n)]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode())
    return path


def test_a_small_file_reads_only_the_rows_its_events_name(ctx: Context, tmp_path: Path) -> None:
    schedule = _write(tmp_path, "hospital.ics", _calendar(*(
        _event(f"conf-{i}@hospital.example", f"Morning conference {i}", day) for i, day in enumerate(_days(200)))))
    assert apply_import(ctx, schedule).created == 200
    invite = _write(tmp_path, "invite.ics", _calendar(
        _event("interview-1@program.example", "Interview: Internal Medicine", "20270115"),
        _event("conf-7@hospital.example", "Morning conference 7 (moved)", "20270108")))
    basis = preview_import(ctx, invite).basis
    assert basis is not None
    assert sorted(uid for uid, _ in basis.existing) == ["conf-7@hospital.example"]
    done = apply_import(ctx, invite)
    assert (done.created, done.updated) == (1, 1), done


def test_a_cancellation_in_a_file_of_its_own_still_removes_the_event(ctx: Context, tmp_path: Path) -> None:
    """A guard: the cancelled UID is among those read, though the event came from another file."""
    invite = _write(tmp_path, "invite.ics", _calendar(
        _event("interview-2@program.example", "Interview: Family Medicine", "20270120")))
    assert apply_import(ctx, invite).created == 1
    cancel = _write(tmp_path, "cancel.ics", _calendar(
        _event("interview-2@program.example", "Interview: Family Medicine", "20270120",
               "STATUS:CANCELLED\r\nSEQUENCE:1\r\n"), method="CANCEL"))
    basis = preview_import(ctx, cancel).basis
    assert basis is not None and [row["uid"] for row in basis.cancelled] == ["interview-2@program.example"]
    apply_import(ctx, cancel)
    again = preview_import(ctx, invite).basis
    assert again is not None and not [key for key in again.existing if key[0] == "interview-2@program.example"]


def test_an_event_that_left_its_file_is_still_found_gone(ctx: Context, tmp_path: Path) -> None:
    """A guard: the file's own source's rows are read whatever their UIDs."""
    days = _days(3)
    path = _write(tmp_path, "hospital.ics", _calendar(*(
        _event(f"round-{i}@hospital.example", f"Grand rounds {i}", day) for i, day in enumerate(days))))
    assert apply_import(ctx, path).created == 3
    _write(tmp_path, "hospital.ics", _calendar(*(
        _event(f"round-{i}@hospital.example", f"Grand rounds {i}", day) for i, day in enumerate(days[:2]))))
    basis = preview_import(ctx, path, prune=True).basis
    assert basis is not None and [r["uid"] for r in basis.gone] == ["round-2@hospital.example"]
    done = apply_import(ctx, path, prune=True)
    assert [r["uid"] for r in done.removed] == ["round-2@hospital.example"], done.removed

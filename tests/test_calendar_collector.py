"""collector_paused: the cyclic collector is off while a calendar file is read or imported, and only then."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import imgcoach.calendar.importing as importing
from imgcoach.calendar.importing import apply_import
from imgcoach.calendar.reader import read_ics_bytes
from imgcoach.core.collector import collector_paused
from imgcoach.core.context import Context

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
       b"DTSTAMP:20260101T000000Z\r\nDTSTART:20260201T090000Z\r\nDTEND:20260201T100000Z\r\nSUMMARY:A\r\n"
       b"END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_back_after_an_error(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer one turns it back on
            pass
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    gc.enable()


def test_read_and_import_leave_it_on(collector_on: None, demo_ctx: Context, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = read_ics_bytes(ICS, file="t.ics", now=NOW, default_tz="UTC")
    assert [e.uid for e in result.events] == ["a@t"] and gc.isenabled()
    seen: list[bool] = []
    build = importing._Plan.build

    def spy(*args: object, **kwargs: object) -> importing._Plan:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing._Plan, "build", spy)
    path = tmp_path / "t.ics"
    path.write_bytes(ICS)
    assert apply_import(demo_ctx, path).created == 1
    assert seen == [False] and gc.isenabled()

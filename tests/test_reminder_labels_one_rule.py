"""`reminders list` names each reminder as the app does: one rule, reminders.reminder_label.

Its kind column printed the stored "letter_request_open" and "outreach_follow_up" while the Outbox, the timeline
and Next up said "Ask for a letter" and "Outreach follow up", and `rotations show` a third spelling ("letter request
open"); an approved e-mail to a supervisor read as the reminder itself. `--json` keeps `kind` and adds `label`.
"""

from __future__ import annotations

import re

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_reminders_list_and_rotations_show_name_reminders_as_the_app(demo_ctx: Context, cli_clock: FixedClock,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.reminders import approve_draft, list_reminders, outbox_view, reminder_label

    awaiting = sorted(outbox_view(demo_ctx).awaiting)
    rotation_rows = [r for r in list_reminders(demo_ctx) if r.id in awaiting and r.rotation_id is not None]
    approve_draft(demo_ctx, rotation_rows[0].id)  # an approved e-mail to a supervisor, besides the reminders
    rows = {r.id: r for r in list_reminders(demo_ctx)}
    db = ("--db", demo_ctx.db.url)

    data = run_cli(capsys, "reminders", "list", "--json", *db).json()
    assert {d["id"]: d["kind"] for d in data} == {i: r.kind for i, r in rows.items()}, "kind is kept for scripts"
    assert {d["id"]: d["label"] for d in data} == {i: reminder_label(r.kind, r.template_key) for i, r in rows.items()}
    assert any(d["label"].startswith("Approved: ") for d in data)

    text = run_cli(capsys, "reminders", "list", *db).out
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", "\n".join(text.splitlines()[3:])), text  # no stored kind
    for line in text.splitlines()[3:]:
        rid = int(line.split()[0])
        assert f"  {reminder_label(rows[rid].kind, rows[rid].template_key)}  " in line, line

    shown = run_cli(capsys, "rotations", "show", "2", *db).out
    assert "  Ask for feedback: " in shown and "mid rotation feedback" not in shown, shown

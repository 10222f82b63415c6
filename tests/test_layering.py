"""The layer rule, executable: core, storage, the feature packages, the CLI and the daemon never load Textual."""

from __future__ import annotations

import subprocess
import sys

HEADLESS_MODULES = [
    "imgcoach.reminders.rules", "imgcoach.plan.rules.conflicts", "imgcoach.plan.rules.validation", "imgcoach.plan.rules.load",
    "imgcoach.storage.db", "imgcoach.storage.models", "imgcoach.core.context", "imgcoach.demo",
    "imgcoach.plan.rotations", "imgcoach.plan.plan", "imgcoach.plan.people",
    "imgcoach.cli.main", "imgcoach.cli.rotation_cmds", "imgcoach.cli.reminder_cmds",
    "imgcoach.reminders.daemon", "imgcoach.matching", "imgcoach.composition",
    "imgcoach.reminders.sync", "imgcoach.reminders.outbox", "imgcoach.reminders.outgoing", "imgcoach.reminders.digest",
    "imgcoach.reminders.daemon.worker", "imgcoach.calendar.importing", "imgcoach.calendar.exporting",
    "imgcoach.matching.programs", "imgcoach.matching.runs", "imgcoach.coach.actions", "imgcoach.coach.outreach_actions",
]


def test_headless_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {HEADLESS_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') or m.startswith('imgcoach.tui'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"UI modules loaded by headless code: {proc.stdout.strip()[:300]}"


def test_app_module_does_not_import_the_database_stack() -> None:
    """The first frame must not wait for sqlmodel/SQLAlchemy (about 0.6 s to import)."""
    code = (
        "import sys\n"
        "import imgcoach.tui.app\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'alembic'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""

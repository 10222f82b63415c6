"""The mid-rotation feedback reminder says whom asking for feedback reminds of the applicant's work: the person it is
addressed to.

It said "it reminds your supervisor of your work" whatever the rotation recorded, while the same e-mail's draft was
written to the attending when no supervisor is recorded (core.rotation_addressee): the applicant read of a
supervisor the rotation does not have. The words now name the person the draft goes to (supervisor or attending);
with nobody recorded, "your supervisor" as before. The text and the HTML part alike (templates/ is a link to
imgcoach/templates: one set of files). The tests' clock: 25 Nov 2026.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import list_reminders, user_renderer
from imgcoach.reminders.compose import compose
from imgcoach.reminders.outgoing import load_outgoing
from imgcoach.reminders.packet import WHERE_THIS_MACHINE
from tests.cli_helpers import run_cli


def _feedback_mail(capsys: pytest.CaptureFixture[str], ctx: Context, *people: tuple[str, str]) -> tuple[str, str]:
    """An externship under way (midpoint 11 Dec) with `people` (name, role): its feedback e-mail, text and HTML."""
    db = ("--db", ctx.db.url)
    added = run_cli(capsys, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine",
                    "--institution", "St Luke Clinic", "--state", "TX", "--start", "2026-11-02", "--end",
                    "2026-12-25", "--hours", "50", *db)
    assert added.code == 0, added
    for name, role in people:
        assert run_cli(capsys, "contacts", "add", "--name", name, "--role", role, "--rotation", "1", "--email",
                       "x@example.org", *db).code == 0
    feedback = next(r.id for r in list_reminders(ctx) if r.kind == "mid_rotation_feedback" and r.status == "pending")
    assert feedback is not None
    composed = compose(load_outgoing(ctx, [feedback], where=WHERE_THIS_MACHINE)[feedback], user_renderer())
    assert composed.html is not None
    return composed.text, composed.html


def test_with_only_an_attending_it_names_the_attending(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                       cli_clock: FixedClock) -> None:
    text, html = _feedback_mail(capsys, ctx, ("Dr Jane Smith", "attending"))
    for part in (text, html):
        assert "it reminds Dr Jane Smith of your work before you ask for a letter" in " ".join(part.split()), part
        assert "your supervisor" not in part, part


def test_a_supervisor_is_named_and_nobody_is_your_supervisor(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                             cli_clock: FixedClock) -> None:
    """The supervisor (before the attending) is named; with nobody recorded, "your supervisor" as before."""
    text, html = _feedback_mail(capsys, ctx, ("Dr Jane Smith", "attending"), ("Dr Sam Sup", "supervisor"))
    assert "it reminds Dr Sam Sup of your work" in " ".join(text.split()), text
    assert "it reminds Dr Sam Sup of your work" in " ".join(html.split()), html


def test_with_nobody_recorded_it_says_your_supervisor(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                      cli_clock: FixedClock) -> None:
    """A guard: nobody to name."""
    text, _ = _feedback_mail(capsys, ctx)
    assert "it reminds your supervisor of your work" in " ".join(text.split()), text

"""`imgcoach stories --tag` says what the tag leaves out, reads the tag as `cases add` does, and refuses what it
cannot filter on.

Found walking the demo: `stories --tag teamwork` said "(no story yet: note a case tagged 'system differences' ...)"
and "(no story yet: write down feedback ...)" beside three system stories and a feedback week the demo records;
`--tag " Feedback"` matched nothing, so every question, the feedback one too, said "no story yet"; `--tag
"teamwork,ethical dilemma"` filtered on the first tag without a word; and `--tag ","` ended in an internal error.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

SYSTEMS = '"What differences did you notice between systems?"'
FEEDBACK = '"How do you handle feedback?"'


def _under(text: str, question: str) -> str:
    """The first line under a question."""
    lines = text.splitlines()
    return lines[lines.index(question) + 1]


def test_a_filtered_question_says_how_many_stories_it_leaves_out(demo_ctx: Context,
                                                                 capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    every = run_cli(capsys, "stories", "--db", demo_ctx.db.url).out
    assert _under(every, SYSTEMS).startswith("  - ") and _under(every, FEEDBACK).startswith("  - Feedback in the week")
    teamwork = run_cli(capsys, "stories", "--tag", "teamwork", "--db", demo_ctx.db.url)
    assert teamwork.code == 0
    assert _under(teamwork.out, SYSTEMS) == "  (none tagged 'teamwork'; 3 stories without --tag)"
    assert _under(teamwork.out, FEEDBACK) == "  (none tagged 'teamwork'; 1 story without --tag)"
    assert "no story yet" not in teamwork.out


def test_with_no_story_at_all_the_hint_says_how_to_add_one(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    empty = run_cli(capsys, "stories", "--tag", "teamwork", "--db", ctx.db.url)
    assert empty.code == 0
    assert _under(empty.out, SYSTEMS).startswith("  (no story yet: note a case tagged 'system differences'")


def test_the_feedback_tag_is_read_like_any_other(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    plain = run_cli(capsys, "stories", "--tag", "feedback", "--db", demo_ctx.db.url)
    spaced = run_cli(capsys, "stories", "--tag", " Feedback", "--db", demo_ctx.db.url)
    assert spaced.code == 0 and spaced.out == plain.out
    assert _under(spaced.out, FEEDBACK).startswith("  - Feedback in the week of ")
    as_json = run_cli(capsys, "stories", "--json", "--tag", "FEEDBACK", "--db", demo_ctx.db.url).json()
    titles = [s["title"] for s in as_json[FEEDBACK.strip('"')]]
    assert len(titles) == 1 and titles[0].startswith("Feedback in the week of ")


@pytest.mark.parametrize(("typed", "problem"), [
    (",", "give one tag"), ("teamwork,ethical dilemma", "give one tag"), ("nonsense", "unknown tag"),
], ids=["no_tag", "two_tags", "unknown"])
def test_what_it_cannot_filter_on_is_refused(demo_ctx: Context, capsys: pytest.CaptureFixture[str], typed: str,
                                             problem: str, cli_clock: FixedClock) -> None:
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "stories", "--tag", typed, "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip() == (f"imgcoach: error: --tag: {problem} (one of: challenging patient, ethical "
                                   f"dilemma, teamwork, system differences, guideline in practice, or feedback) "
                                   f"(got {typed!r})")
    assert database_state(demo_ctx.db.url) == before

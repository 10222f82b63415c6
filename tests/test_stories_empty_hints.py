"""An empty interview question says how its stories are made: by the tags that answer it, or from the log.

Found by a new applicant reading `imgcoach stories` on a fresh profile: "How do you handle feedback?" said
"(no story yet: log a case with a matching tag)", but no case tag answers it (its stories come from a log week
with the feedback and what was changed after it), so the advice could not be followed.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import add_log_entry, record_feedback
from imgcoach.coach.stories import QUESTIONS, TAG_QUESTIONS, render_stories, stories
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli


def _hint(text: str, question: str) -> str:
    lines = text.splitlines()
    return lines[lines.index(f'"{question}"') + 1]


def test_each_empty_question_names_what_answers_it() -> None:
    text = render_stories(stories([], [], []))
    feedback = _hint(text, QUESTIONS["feedback"])
    assert "case" not in feedback and "imgcoach log feedback" in feedback and "--changed" in feedback
    for key, question in QUESTIONS.items():
        if key == "feedback":
            continue
        tags = [t for t, keys in TAG_QUESTIONS.items() if key in keys]
        hint = _hint(text, question)
        assert tags and all(f"'{t}'" in hint for t in tags), (question, hint)


def test_feedback_without_the_change_is_not_yet_a_story(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                         db_url: str) -> None:
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=date(2026, 11, 2),
                            end_date=date(2026, 11, 20))
    assert rotation.id is not None
    add_log_entry(ctx, rotation.id, date(2026, 11, 9), 40)
    record_feedback(ctx, rotation.id, date(2026, 11, 9), "Presentations too long")
    shown = run_cli(capsys, "stories", "--db", db_url)
    assert shown.code == 0
    assert "--changed" in _hint(shown.out, QUESTIONS["feedback"])

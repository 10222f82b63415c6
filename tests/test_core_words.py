"""Counts written as a person writes them (core.words.counted): "1 reminder(s)" read like a form to fill in."""

from __future__ import annotations

import pytest

from imgcoach.core.words import counted


@pytest.mark.parametrize(("n", "noun", "many", "expected"), [
    (1, "letter request", "", "1 letter request"),
    (0, "draft", "", "0 drafts"),
    (2, "reminder", "", "2 reminders"),
    (1234, "program", "", "1,234 programs"),
    (0.5, "month", "", "0.5 months"),
    (1.0, "month", "", "1 month"),
    (3, "reminder is", "reminders are", "3 reminders are"),
])
def test_counted(n: float, noun: str, many: str, expected: str) -> None:
    assert counted(n, noun, many) == expected


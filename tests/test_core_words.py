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



def test_no_count_is_written_with_an_s_in_brackets() -> None:
    """Every count a person reads goes through `counted`: a string literal in the package that writes "(s)"
    after a word is the old form coming back (docstrings and the expressions inside f-strings aside)."""
    import io
    import re
    import tokenize
    from pathlib import Path

    import imgcoach

    root = Path(imgcoach.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type != tokenize.STRING or token.string.endswith(('"""', "\'\'\'")):
                    continue
                text = re.sub(r"\{[^{}]*\}", "", token.string)  # an f-string's expressions: code, not words
                if re.search(r"[a-z]\(s\)", text) and not re.search(r"\b(field|key)\(s\)", text):
                    found.append(f"{path.relative_to(root)}:{token.start[0]}: {token.string}")
    for path in sorted(root.rglob("*.j2")):
        for n, line in enumerate(io.StringIO(path.read_text(encoding="utf-8")), start=1):
            if re.search(r"[a-z]\(s\)", line):
                found.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)

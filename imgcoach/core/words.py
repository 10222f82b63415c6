"""Counts in words: "1 letter", "3 letters", "0.5 months"; text cut to a width says it was cut.

Why: "1 reminder(s)" and "3 problem(s)" read like a form to fill in, not a sentence; every screen, message
and e-mail writes a count the same way through this one function.
"""

from __future__ import annotations


def counted(n: float, noun: str, many: str = "") -> str:
    """`n` and `noun`, plural unless `n` is exactly 1 (`many`: an irregular plural; default noun + "s").
    Whole numbers are grouped by thousands ("1,234 programs"); fractions as they are ("0.5 months")."""
    figure = f"{n:,}" if isinstance(n, int) else f"{n:g}"
    return f"{figure} {noun if n == 1 else (many or noun + 's')}"


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut: "Continuity clinic under superv"
    read as the whole entry."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"

"""Moving a test's injected clock for one step and back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context


@contextmanager
def clock_at(ctx: Context, at: datetime) -> Iterator[None]:
    """Run the body with ``ctx``'s FixedClock at ``at``, then put it back: for a step a rule allows only at
    another moment (a case is logged once its rotation has begun) in a test that lives before that moment."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock), "clock_at moves a FixedClock"
    before = clock.now()
    clock.set(at)
    try:
        yield
    finally:
        clock.set(before)

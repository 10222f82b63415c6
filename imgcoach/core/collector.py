"""The cyclic garbage collector paused while many objects that are not garbage pile up at once.

A 10,000-event file becomes about two million objects, none of them in a cycle; every full pass of the collector
while they pile up walks all of them again: 10-15 % of an import (issue 13), a fifth of the 5-year plan's export
(151 collections, issue 17). What they leave is freed by reference counting; the collector resumes afterwards.
The app's first load imports the database stack (SQLAlchemy, SQLModel, the table models), classes and functions
that live as long as the process: about a tenth of that import's CPU was the collector's passes (issue 15).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for reading and writing a calendar file, or the app's first load, not
    for longer. Nested uses, and a caller that had the collector off already, leave it as they found it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pause_collector() -> Callable[[], None]:
    """No cyclic garbage collection until the function returned is called: for a pause that ends at an event, not at
    the end of a block (the app's start, until its first frame is written). Calling it again does nothing; a
    collector that was off already is left off."""
    if not gc.isenabled():
        return lambda: None
    gc.disable()
    paused = True

    def resume() -> None:
        nonlocal paused
        if paused:
            paused = False
            gc.enable()

    return resume

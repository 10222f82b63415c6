"""core.record.Record behaves as the frozen slotted dataclass it replaces where this code uses one (issue 17: it
costs a tenth to define): each check is made on a Record and on the same class as a dataclass, side by side."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import date
from typing import Generic, TypeVar

import pytest

from imgcoach.core.record import Record

T = TypeVar("T")


class Sitting(Record):
    exam: str
    on: date
    score: int | None = None
    parts: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class SittingDC:
    exam: str
    on: date
    score: int | None = None
    parts: tuple[str, ...] = ()


class Ref(Record, Generic[T]):
    value: T
    note: str = ""


def test_it_is_built_compared_hashed_and_shown_as_the_dataclass() -> None:
    day = date(2026, 5, 4)
    for args, kwargs in [(("step2ck", day), {}), (("step2ck", day, 250), {}), (("oet",), {"on": day, "parts": ("L",)}),
                         ((), {"exam": "step1", "on": day, "score": None})]:
        record, plain = Sitting(*args, **kwargs), SittingDC(*args, **kwargs)
        assert repr(record) == repr(plain).replace("SittingDC", "Sitting")
        assert [getattr(record, f.name) for f in dataclasses.fields(SittingDC)] == list(dataclasses.astuple(plain))
        assert record == Sitting(*args, **kwargs) and hash(record) == hash(Sitting(*args, **kwargs))
        assert hash(record) == hash(plain)  # both: the hash of the values in field order
    assert Sitting("a", day) != Sitting("a", day, 1) and Sitting("a", day) != SittingDC("a", day)
    assert len({Sitting("a", day), Sitting("a", day), Sitting("b", day)}) == 2
    assert Sitting.__match_args__ == SittingDC.__match_args__ == ("exam", "on", "score", "parts")
    assert not hasattr(Sitting("a", day), "__dict__"), "slotted, as the dataclass was"


def test_it_refuses_what_the_dataclass_refuses() -> None:
    record = Sitting("a", date(2026, 1, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.score = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del record.score  # type: ignore[misc]
    for args, kwargs in [((), {}), (("a",), {}), (("a", date(2026, 1, 1), 1, (), 5), {}),
                         (("a", date(2026, 1, 1)), {"exam": "b"}), (("a", date(2026, 1, 1)), {"grade": 1})]:
        with pytest.raises(TypeError):
            Sitting(*args, **kwargs)
        with pytest.raises(TypeError):
            SittingDC(*args, **kwargs)
    with pytest.raises(TypeError):
        type("Bad", (Record,), {"__annotations__": {"a": "int", "b": "str"}, "a": 1})  # a default, then none
    with pytest.raises(ValueError):
        type("Shared", (Record,), {"__annotations__": {"a": "list[int]"}, "a": []})


def test_it_is_copied_and_pickled_with_its_values() -> None:
    record = Sitting("oet", date(2026, 2, 3), None, ("L 350", "R 360"))
    for again in (copy.copy(record), copy.deepcopy(record), pickle.loads(pickle.dumps(record))):
        assert again == record and type(again) is Sitting
    generic = Ref[int](3, note="x")
    assert (generic.value, generic.note) == (3, "x") and pickle.loads(pickle.dumps(generic)) == generic
    assert repr(generic) == "Ref(value=3, note='x')"

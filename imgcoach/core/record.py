"""Frozen value records at a tenth of a dataclass's cost to define (issue 17: the first `shortlist` after a write).

`@dataclass(frozen=True, slots=True)` compiles its __init__, __repr__, __eq__, __hash__, __setattr__ and
__delattr__ from generated source when the class is defined, and builds a slotted class a second time: about
half a millisecond to a millisecond for each, paid at the import of every module that defines one, so a dozen
vocabulary and rule records cost a quick command several ms before it did anything. A Record is defined by
the same annotations and behaves as such a dataclass does where this code uses them (positional or keyword
construction with defaults, equality and hash over the fields in order, the same repr, no assignment after
construction, copy and pickle), with methods written once here. Not a dataclass: dataclasses.replace, fields
and asdict do not take it (a record any code copies with replace stays a dataclass). Type checkers read it as
a frozen dataclass (dataclass_transform).
"""

from __future__ import annotations

from typing import Any, ClassVar, dataclass_transform


class _RecordType(type):
    """Makes each Record subclass slotted, from its annotations, with their defaults kept aside (a slot cannot
    share its name with a class attribute)."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> _RecordType:
        own = tuple(field for field, annotation in namespace.get("__annotations__", {}).items()
                    if "ClassVar" not in str(annotation))
        if own and any(getattr(base, "__record_fields__", ()) for base in bases):
            raise TypeError(f"{name}: a record's fields are all its own (no record base with fields)")
        defaults: dict[str, Any] = {}
        for field in own:
            if field in namespace:
                value = namespace.pop(field)
                if isinstance(value, list | dict | set):
                    raise ValueError(f"{name}.{field}: a mutable default would be shared by every record")
                defaults[field] = value
            elif defaults:
                raise TypeError(f"{name}: field {field!r} without a default follows one with a default")
        namespace["__slots__"] = own
        namespace["__match_args__"] = own
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        cls.__record_fields__ = own  # type: ignore[attr-defined]
        cls.__record_defaults__ = defaults  # type: ignore[attr-defined]
        return cls


def _values(record: Record) -> tuple[Any, ...]:
    return tuple(getattr(record, field) for field in record.__record_fields__)


@dataclass_transform(eq_default=True, frozen_default=True)
class Record(metaclass=_RecordType):
    """A frozen value record: subclass it with annotated fields (defaults after the fields without one)."""

    __slots__ = ()
    __record_fields__: ClassVar[tuple[str, ...]] = ()
    __record_defaults__: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        fields, defaults = cls.__record_fields__, cls.__record_defaults__
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments but {len(args)} were given")
        assign = object.__setattr__
        for field, value in zip(fields, args, strict=False):
            assign(self, field, value)
        for field in fields[len(args):]:
            if field in kwargs:
                assign(self, field, kwargs.pop(field))
            elif field in defaults:
                assign(self, field, defaults[field])
            else:
                raise TypeError(f"{cls.__name__}() missing required argument: {field!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__}() got unexpected or repeated arguments: {', '.join(sorted(kwargs))}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{field}={getattr(self, field)!r}" for field in self.__record_fields__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def __hash__(self) -> int:
        return hash(_values(self))

    def __setattr__(self, name: str, value: Any) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), _values(self)  # copy, deepcopy and pickle build it again from its values

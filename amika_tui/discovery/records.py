"""Frozen value records for discovery: declared like dataclasses, without ``dataclasses``.

`amika-tui extract` has to start about as fast as the interpreter itself. Importing
``dataclasses`` (which imports ``inspect``, ``ast``, ``dis`` and ``tokenize``) and
generating the methods of a dozen classes cost about 15 ms, more than reading and
parsing a whole home. A record's methods are shared functions instead of generated
code; type checkers see a dataclass (``dataclass_transform``).

    @record
    class Hit:
        provider: str
        value: str = field(repr=False)
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorator: decorator


__all__ = ["Field", "field", "fields", "mutable_record", "record", "replace"]

_MISSING: Any = object()


class Field:
    """One declared field: its name, default and whether repr and ``==`` show it."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(
        self,
        default: Any = _MISSING,
        default_factory: Callable[[], Any] | None = None,
        repr: bool = True,
        compare: bool = True,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """Declare a field with a default, or one kept out of ``repr`` or ``==``."""
    return Field(default, default_factory, repr, compare)


def fields(cls_or_record: object) -> tuple[Field, ...]:
    """The fields of a record class or instance, in declaration order."""
    found: tuple[Field, ...] = getattr(cls_or_record, "__record_fields__", ())
    return found


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    declared = type(self).__record_fields__
    if len(args) > len(declared):
        raise TypeError(f"{type(self).__name__}() takes {len(declared)} arguments")
    for index, f in enumerate(declared):
        if index < len(args):
            if f.name in kwargs:
                raise TypeError(f"{type(self).__name__}() got two values for {f.name!r}")
            value = args[index]
        elif f.name in kwargs:
            value = kwargs.pop(f.name)
        elif f.default is not _MISSING:
            value = f.default
        elif f.default_factory is not None:
            value = f.default_factory()
        else:
            raise TypeError(f"{type(self).__name__}() is missing {f.name!r}")
        object.__setattr__(self, f.name, value)
    if kwargs:
        raise TypeError(f"{type(self).__name__}() got unexpected {sorted(kwargs)}")


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{f.name}={getattr(self, f.name)!r}" for f in type(self).__record_fields__ if f.repr
    )
    return f"{type(self).__qualname__}({shown})"


def _key(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in type(self).__record_fields__ if f.compare)


def _eq(self: Any, other: object) -> bool:
    if type(other) is not type(self):
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self: Any) -> int:
    return hash(_key(self))


def _frozen(self: Any, name: str, value: object = None) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of frozen {type(self).__name__}")


def _build(cls: type[T], frozen: bool) -> type[T]:
    namespace = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    declared = []
    for name in vars(cls).get("__annotations__", {}):
        default = namespace.pop(name, _MISSING)
        f = default if isinstance(default, Field) else Field(default)
        f.name = name
        declared.append(f)
    namespace.update(
        __slots__=tuple(f.name for f in declared),
        __record_fields__=tuple(declared),
        __match_args__=tuple(f.name for f in declared),
        __init__=_init,
        __repr__=_repr,
        __eq__=_eq,
        __hash__=_hash if frozen else None,
    )
    if frozen:
        namespace.update(__setattr__=_frozen, __delattr__=_frozen)
    built = type(cls.__name__, cls.__bases__, namespace)
    built.__qualname__ = cls.__qualname__
    return built


@dataclass_transform(field_specifiers=(field, Field), frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen record: ``__init__``, ``__repr__``, ``==``, hashing, slots."""
    return _build(cls, frozen=True)


@dataclass_transform(field_specifiers=(field, Field))
def mutable_record(cls: type[T]) -> type[T]:
    """Like :func:`record`, but its fields can be assigned (and it is not hashable)."""
    return _build(cls, frozen=False)


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record ``obj`` with ``changes`` applied."""
    values = {f.name: changes.pop(f.name, getattr(obj, f.name)) for f in fields(obj)}
    if changes:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(changes)}")
    return type(obj)(**values)

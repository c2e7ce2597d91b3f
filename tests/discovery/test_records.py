"""Discovery's records behave like frozen dataclasses: what the report's users rely on."""

from __future__ import annotations

import pytest

from amika_tui.discovery.records import field, fields, mutable_record, record, replace


@record
class Token:
    """A value with a secret."""

    name: str
    value: str = field(repr=False)
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False)

    @property
    def shout(self) -> str:
        return self.name.upper()


@mutable_record
class Bag:
    items: list[str] = field(default_factory=list)


def test_a_record_is_a_frozen_value() -> None:
    token = Token("a", "sk-FAKE-secret", note="x")
    assert repr(token) == "Token(name='a', tags=(), note='x')"
    assert token == Token(name="a", value="sk-FAKE-secret", note="other")
    assert token != Token("a", "sk-FAKE-other")
    assert len({token, Token("a", "sk-FAKE-secret")}) == 1
    assert token.shout == "A" and Token.__doc__ == "A value with a secret."
    with pytest.raises(AttributeError):
        token.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        token.extra = 1  # type: ignore[attr-defined]
    assert replace(token, name="b") == Token("b", "sk-FAKE-secret")
    assert [f.name for f in fields(Token)] == ["name", "value", "tags", "note"]


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="missing 'value'"):
        Token("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="two values"):
        Token("a", "v", name="b")  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected"):
        Token("a", "v", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="no field"):
        replace(Token("a", "v"), colour="red")


def test_mutable_records_get_fresh_defaults() -> None:
    first, second = Bag(), Bag()
    first.items.append("x")
    assert (first.items, second.items) == (["x"], [])
    first.items = ["y"]
    assert first == Bag(["y"])
    with pytest.raises(TypeError):
        hash(first)

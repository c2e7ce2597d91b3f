"""Decode JSON the way Go's ``json.Unmarshal(data, &any)`` does, errors included.

Decoding is ``json.loads`` with Go's rules on top. Upstream prints Go's own
syntax-error text ("invalid character 'x' looking for beginning of value",
"unexpected end of JSON input"), so when ``json.loads`` refuses a document a port
of ``encoding/json``'s scanner state machine words the error. Values match Go's types:
every number is a float (``float64``), invalid UTF-8 and lone surrogates become
U+FFFD, and a number too large for a float64 is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from amika_tui.discovery.gocompat import go_quote

__all__ = ["GoJSONError", "go_unmarshal"]

_MAX_DEPTH = 10000
_INF = float("inf")
_SURROGATES = re.compile("[\ud800-\udfff]")


class GoJSONError(Exception):
    """A JSON document Go would refuse: ``message`` is Go's text, ``offset`` a byte offset."""

    def __init__(self, message: str, offset: int, *, syntax: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.syntax = syntax

    def __str__(self) -> str:
        return self.message

    def location(self, data: bytes) -> str:
        """Human location of the error: ``line 3, column 7``."""
        at = max(0, self.offset - 1) if self.syntax else self.offset
        at = min(at, len(data))
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        return f"line {line}, column {column}"


def _quote_char(c: int) -> str:
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"


_PARSE_OBJECT_KEY, _PARSE_OBJECT_VALUE, _PARSE_ARRAY_VALUE = range(3)


class _Scanner:
    """Port of Go's ``encoding/json`` scanner, enough to reproduce ``checkValid``."""

    def __init__(self) -> None:
        self.step: Callable[[int], None] = self.begin_value
        self.stack: list[int] = []
        self.end_top = False
        self.err: GoJSONError | None = None
        self.bytes = 0

    def error(self, c: int, context: str) -> None:
        self.step = self.stop
        self.err = GoJSONError(f"invalid character {_quote_char(c)} {context}", self.bytes)

    def stop(self, c: int) -> None:
        pass

    @staticmethod
    def is_space(c: int) -> bool:
        return c in (0x20, 0x09, 0x0D, 0x0A)

    def push(self, c: int, state: int) -> None:
        self.stack.append(state)
        if len(self.stack) > _MAX_DEPTH:
            self.error(c, "exceeded max depth")

    def begin_value_or_empty(self, c: int) -> None:
        if self.is_space(c):
            return
        if c == ord("]"):
            self.end_value(c)
            return
        self.begin_value(c)

    def begin_value(self, c: int) -> None:
        if self.is_space(c):
            return
        ch = chr(c)
        if ch == "{":
            self.step = self.begin_string_or_empty
            self.push(c, _PARSE_OBJECT_KEY)
        elif ch == "[":
            self.step = self.begin_value_or_empty
            self.push(c, _PARSE_ARRAY_VALUE)
        elif ch == '"':
            self.step = self.in_string
        elif ch == "-":
            self.step = self.neg
        elif ch == "0":
            self.step = self.zero
        elif ch == "t":
            self.step = self.literal("true", 1)
        elif ch == "f":
            self.step = self.literal("false", 1)
        elif ch == "n":
            self.step = self.literal("null", 1)
        elif "1" <= ch <= "9":
            self.step = self.one
        else:
            self.error(c, "looking for beginning of value")

    def begin_string_or_empty(self, c: int) -> None:
        if self.is_space(c):
            return
        if c == ord("}"):
            self.stack[-1] = _PARSE_OBJECT_VALUE
            self.end_value(c)
            return
        self.begin_string(c)

    def begin_string(self, c: int) -> None:
        if self.is_space(c):
            return
        if c == ord('"'):
            self.step = self.in_string
            return
        self.error(c, "looking for beginning of object key string")

    def end_value(self, c: int) -> None:
        if not self.stack:
            self.step = self.end_top_state
            self.end_top = True
            self.end_top_state(c)
            return
        if self.is_space(c):
            self.step = self.end_value
            return
        ps = self.stack[-1]
        if ps == _PARSE_OBJECT_KEY:
            if c == ord(":"):
                self.stack[-1] = _PARSE_OBJECT_VALUE
                self.step = self.begin_value
                return
            self.error(c, "after object key")
        elif ps == _PARSE_OBJECT_VALUE:
            if c == ord(","):
                self.stack[-1] = _PARSE_OBJECT_KEY
                self.step = self.begin_string
                return
            if c == ord("}"):
                self.pop()
                return
            self.error(c, "after object key:value pair")
        else:
            if c == ord(","):
                self.step = self.begin_value
                return
            if c == ord("]"):
                self.pop()
                return
            self.error(c, "after array element")

    def pop(self) -> None:
        self.stack.pop()
        if not self.stack:
            self.step = self.end_top_state
            self.end_top = True
        else:
            self.step = self.end_value

    def end_top_state(self, c: int) -> None:
        if not self.is_space(c):
            self.error(c, "after top-level value")

    def in_string(self, c: int) -> None:
        if c == ord('"'):
            self.step = self.end_value
        elif c == ord("\\"):
            self.step = self.in_string_esc
        elif c < 0x20:
            self.error(c, "in string literal")

    def in_string_esc(self, c: int) -> None:
        if chr(c) in 'bfnrt\\/"':
            self.step = self.in_string
        elif c == ord("u"):
            self.step = self.esc_u(0)
        else:
            self.error(c, "in string escape code")

    def esc_u(self, seen: int) -> Callable[[int], None]:
        def state(c: int) -> None:
            if chr(c) in "0123456789abcdefABCDEF":
                self.step = self.in_string if seen == 3 else self.esc_u(seen + 1)
            else:
                self.error(c, "in \\u hexadecimal character escape")

        return state

    def neg(self, c: int) -> None:
        if c == ord("0"):
            self.step = self.zero
        elif ord("1") <= c <= ord("9"):
            self.step = self.one
        else:
            self.error(c, "in numeric literal")

    def one(self, c: int) -> None:
        if ord("0") <= c <= ord("9"):
            return
        self.zero(c)

    def zero(self, c: int) -> None:
        if c == ord("."):
            self.step = self.dot
        elif c in (ord("e"), ord("E")):
            self.step = self.exp
        else:
            self.end_value(c)

    def dot(self, c: int) -> None:
        if ord("0") <= c <= ord("9"):
            self.step = self.dot0
        else:
            self.error(c, "after decimal point in numeric literal")

    def dot0(self, c: int) -> None:
        if ord("0") <= c <= ord("9"):
            return
        if c in (ord("e"), ord("E")):
            self.step = self.exp
            return
        self.end_value(c)

    def exp(self, c: int) -> None:
        if c in (ord("+"), ord("-")):
            self.step = self.exp_sign
            return
        self.exp_sign(c)

    def exp_sign(self, c: int) -> None:
        if ord("0") <= c <= ord("9"):
            self.step = self.exp0
        else:
            self.error(c, "in exponent of numeric literal")

    def exp0(self, c: int) -> None:
        if ord("0") <= c <= ord("9"):
            return
        self.end_value(c)

    def literal(self, word: str, index: int) -> Callable[[int], None]:
        def state(c: int) -> None:
            if c == ord(word[index]):
                last = index == len(word) - 1
                self.step = self.end_value if last else self.literal(word, index + 1)
            else:
                self.error(c, f"in literal {word} (expecting '{word[index]}')")

        return state

    def eof(self) -> GoJSONError | None:
        if self.err is not None:
            return self.err
        if self.end_top:
            return None
        self.step(0x20)
        if self.end_top:
            return None
        if self.err is None:
            self.err = GoJSONError("unexpected end of JSON input", self.bytes)
        return self.err


def _check_valid(data: bytes) -> None:
    scanner = _Scanner()
    for c in data:
        scanner.bytes += 1
        scanner.step(c)
        if scanner.err is not None:
            raise scanner.err
    err = scanner.eof()
    if err is not None:
        raise err


def _fix_strings(value: Any) -> Any:
    """Lone surrogates (from ``\\ud800`` escapes or undecodable bytes) become U+FFFD, like Go.

    Iterative: a document may nest 10,000 levels deep.
    """
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    pending = [value]
    while pending:
        container = pending.pop()
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, item in items:
                if isinstance(item, str):
                    item = _SURROGATES.sub("\ufffd", item)
                elif isinstance(item, dict | list):
                    pending.append(item)
                container[_SURROGATES.sub("\ufffd", key)] = item
        elif isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = _SURROGATES.sub("\ufffd", item)
                elif isinstance(item, dict | list):
                    pending.append(item)
    return value


_TOKEN = re.compile(  # one token after optional whitespace
    r"[ \t\n\r]*(?:([{}\[\],:])|(\")|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(true|false|null))"
)
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_NO_KEY = object()


def _decode_deep(
    text: str, parse_int: Callable[[str], Any], parse_float: Callable[[str], float]
) -> Any:
    """Decode a document Go's scanner has already accepted, without recursion.

    Only for documents nested deeper than Python's recursion limit allows
    ``json.loads`` to go; Go accepts up to 10,000 levels.
    """
    stack: list[tuple[dict[str, Any] | list[Any], list[Any]]] = []
    root: Any = None
    pos = 0
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:  # cannot happen after _check_valid
            raise GoJSONError("unexpected end of JSON input", len(text), syntax=False)
        pos = match.end()
        punct, quote, num, literal = match.groups()
        value: Any
        if punct in ("{", "["):
            container: dict[str, Any] | list[Any] = {} if punct == "{" else []
            stack.append((container, [_NO_KEY]))
            continue
        if punct in (",", ":"):
            continue
        if punct is not None:  # } or ]
            value = stack.pop()[0]
        elif quote is not None:
            value, pos = scanstring(text, pos, True)
            if stack and isinstance(stack[-1][0], dict) and stack[-1][1][0] is _NO_KEY:
                stack[-1][1][0] = value
                continue
        elif num is not None:
            value = parse_float(num) if "." in num or "e" in num or "E" in num else parse_int(num)
        else:
            value = _LITERALS[literal]
        if not stack:
            root = value
            break
        top, key = stack[-1]
        if isinstance(top, dict):
            top[key[0]] = value
            key[0] = _NO_KEY
        else:
            top.append(value)
    return root


class _NotGoJSON(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's extension, which Go refuses."""


def _reject_constant(name: str) -> Any:
    raise _NotGoJSON(name)


def _number_shape_table() -> bytes:
    table = bytearray(b" " * 256)
    for digit in b"0123456789":
        table[digit] = ord("0")
    table[ord("e")] = table[ord("E")] = ord("e")
    table[ord("+")] = ord("+")
    return bytes(table)


_NUMBER_SHAPE = _number_shape_table()


def _may_overflow(data: bytes) -> bool:
    """True when ``data`` may hold a number too big for a float64 (a 3-digit positive
    exponent or 309 digits in a row). Strings can match too: that only costs time."""
    shape = data.translate(_NUMBER_SHAPE)
    return b"0e000" in shape or b"0e+000" in shape or b"0" * 309 in shape


#: A ``\\uD800``-``\\uDFFF`` escape (a lone surrogate unless paired).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def go_unmarshal(data: bytes) -> Any:
    """Decode ``data`` like Go's ``json.Unmarshal`` into ``any``.

    The fast path is ``json.loads`` (refusing NaN/Infinity as Go does); Go's
    scanner, ported byte by byte, runs only when that fails, to word the error
    exactly, or when the nesting is too deep for ``json.loads``. Integers stay
    ``int`` (Go makes every number a float64: callers convert with ``float``).

    Raises:
        GoJSONError: with Go's message when Go would return an error.
    """
    try:
        text = data.decode("utf-8")
        fix = b"\\u" in data and _SURROGATE_ESCAPE.search(data) is not None
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        fix = True
    too_big: list[str] = []

    def number(literal: str) -> float:
        f = float(literal)
        if f in (_INF, -_INF) and not too_big:
            too_big.append(literal)
        return f

    careful = _may_overflow(data)
    parse_int: Callable[[str], Any] = number if careful else int
    parse_float: Callable[[str], float] = number if careful else float
    try:
        value = json.loads(
            text, parse_int=parse_int, parse_float=parse_float, parse_constant=_reject_constant
        )
    except (ValueError, RecursionError):
        _check_valid(data)  # raises with Go's words unless Python was the one refusing
        value = _decode_deep(text, parse_int, parse_float)
    if too_big:
        raise GoJSONError(
            f"json: cannot unmarshal number {too_big[0]} into Go value of type float64",
            data.find(too_big[0].encode()),
            syntax=False,
        )
    return _fix_strings(value) if fix else value

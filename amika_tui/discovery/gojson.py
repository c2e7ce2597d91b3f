"""Decode JSON the way Go's ``json.Unmarshal(data, &any)`` does, errors included.

Upstream prints Go's own syntax-error text ("invalid character 'x' looking for
beginning of value", "unexpected end of JSON input"), so validation is a port of
``encoding/json``'s scanner state machine. Decoding then matches Go's types:
every number is a float (``float64``), invalid UTF-8 and lone surrogates become
U+FFFD, and a number too large for a float64 is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from amika_tui.discovery.gocompat import go_quote

__all__ = ["GoJSONError", "go_unmarshal"]

_MAX_DEPTH = 10000
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
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_fix_strings(k): _fix_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fix_strings(v) for v in value]
    return value


def go_unmarshal(data: bytes) -> Any:
    """Decode ``data`` like Go's ``json.Unmarshal`` into ``any``.

    Raises:
        GoJSONError: with Go's message when Go would return an error.
    """
    _check_valid(data)
    too_big: list[str] = []

    def number(text: str) -> float:
        f = float(text)
        if f in (float("inf"), float("-inf")) and not too_big:
            too_big.append(text)
        return f

    text = data.decode("utf-8", "surrogateescape")
    try:
        value = json.loads(text, parse_int=number, parse_float=number)
    except RecursionError:
        raise GoJSONError("exceeded max depth", len(data), syntax=False) from None
    if too_big:
        raise GoJSONError(
            f"json: cannot unmarshal number {too_big[0]} into Go value of type float64",
            data.find(too_big[0].encode()),
            syntax=False,
        )
    return _fix_strings(value)

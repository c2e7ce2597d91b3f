"""Go's ``encoding/json`` scanner, ported byte by byte: only to word an error as Go does.

`json.loads` decodes (see :mod:`amika_tui.discovery.gojson`); when it refuses a
document, this state machine finds the byte Go refuses and the words Go uses
("invalid character 'x' looking for beginning of value"), and it enforces Go's
nesting limit of 10,000 levels.
"""

from __future__ import annotations

from collections.abc import Callable

from amika_tui.discovery.gocompat import go_quote
from amika_tui.discovery.gojson import GoJSONError

__all__ = ["check_valid"]

_MAX_DEPTH = 10000


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


def check_valid(data: bytes) -> None:
    """Go's ``checkValid``: raise Go's error for the first byte it refuses."""
    scanner = _Scanner()
    for c in data:
        scanner.bytes += 1
        scanner.step(c)
        if scanner.err is not None:
            raise scanner.err
    err = scanner.eof()
    if err is not None:
        raise err

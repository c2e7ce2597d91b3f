"""Decode JSON the way Go's ``json.Unmarshal(data, &any)`` does, errors included.

Decoding is ``json.loads`` with Go's rules on top. Upstream prints Go's own
syntax-error text ("invalid character 'x' looking for beginning of value",
"unexpected end of JSON input"), so when ``json.loads`` refuses a document a port
of ``encoding/json``'s scanner state machine words the error. Values match Go's types:
every number is a float (``float64``), invalid UTF-8 and lone surrogates become
U+FFFD, and a number too large for a float64 is an error.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["GoJSONError", "go_unmarshal"]

_INF = float("inf")
_SURROGATES = "[\ud800-\udfff]"
# Patterns stay strings (compiled, then cached, by `re` on first use): compiling them all
# at import would cost `amika-tui extract` more than parsing a typical file.


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


def _fix_strings(value: Any) -> Any:
    """Lone surrogates (from ``\\ud800`` escapes or undecodable bytes) become U+FFFD, like Go.

    Iterative: a document may nest 10,000 levels deep.
    """
    if isinstance(value, str):
        return re.sub(_SURROGATES, "\ufffd", value)
    pending = [value]
    while pending:
        container = pending.pop()
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, item in items:
                if isinstance(item, str):
                    item = re.sub(_SURROGATES, "\ufffd", item)
                elif isinstance(item, dict | list):
                    pending.append(item)
                container[re.sub(_SURROGATES, "\ufffd", key)] = item
        elif isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = re.sub(_SURROGATES, "\ufffd", item)
                elif isinstance(item, dict | list):
                    pending.append(item)
    return value


_TOKEN = (  # one token after optional whitespace
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
    token = re.compile(_TOKEN)
    stack: list[tuple[dict[str, Any] | list[Any], list[Any]]] = []
    root: Any = None
    pos = 0
    while True:
        match = token.match(text, pos)
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
    """Bytes -> their role in a number: digits ``0``, exponents ``e``, signs and points
    kept, JSON separators a space, anything else (letters, quotes) ``x``."""
    table = bytearray(b"x" * 256)
    for digit in b"0123456789":
        table[digit] = ord("0")
    table[ord("e")] = table[ord("E")] = ord("e")
    for kept in b"+-.":
        table[kept] = kept
    for separator in b" \t\n\r:,[":
        table[separator] = ord(" ")
    return bytes(table)


_NUMBER_SHAPE = _number_shape_table()


def _may_overflow(data: bytes) -> bool:
    """True when ``data`` may hold a number too big for a float64: 309 digits in a row, or
    a 3-digit positive exponent on a token that starts after a separator (so hex ids
    such as ``"3e1200ab"`` in strings do not count). A false alarm only costs time."""
    shape = data.translate(_NUMBER_SHAPE)
    if b"0" * 309 in shape:
        return True
    for exponent in (b"e000", b"e+000"):
        at = shape.find(exponent)
        while at != -1:
            start = at
            while start > 0 and shape[start - 1] in b"0.-":
                start -= 1
            if start < at and (start == 0 or shape[start - 1] == ord(" ")):
                return True
            at = shape.find(exponent, at + 1)
    return False


#: A ``\\uD800``-``\\uDFFF`` escape (a lone surrogate unless paired).
_SURROGATE_ESCAPE = rb"\\u[dD][89a-fA-F]"


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
        fix = b"\\u" in data and re.search(_SURROGATE_ESCAPE, data) is not None
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        fix = True
    too_big: list[str] = []

    def number(literal: str) -> float:
        f = float(literal)
        if f in (_INF, -_INF) and not too_big:
            too_big.append(literal)
        return f

    def integer(literal: str) -> Any:
        f = number(literal)
        return f if too_big else int(literal)

    careful = _may_overflow(data)
    parse_int: Callable[[str], Any] = integer if careful else int
    parse_float: Callable[[str], float] = number if careful else float
    # Decoding allocates a container per JSON object or array; a 2 MB ~/.claude.json
    # would set off a dozen full garbage collections over objects that are all alive.
    collecting = gc.isenabled()
    gc.disable()
    try:
        value = json.loads(
            text, parse_int=parse_int, parse_float=parse_float, parse_constant=_reject_constant
        )
    except (ValueError, RecursionError):
        from amika_tui.discovery.goscanner import check_valid

        check_valid(data)  # raises with Go's words unless Python was the one refusing
        value = _decode_deep(text, parse_int, parse_float)
    finally:
        if collecting:
            gc.enable()
    if too_big:
        raise GoJSONError(
            f"json: cannot unmarshal number {too_big[0]} into Go value of type float64",
            data.find(too_big[0].encode()),
            syntax=False,
        )
    return _fix_strings(value) if fix else value

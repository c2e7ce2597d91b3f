"""A JSON array read element by element as its bytes arrive.

`read_array` turns each element into what the caller wants as soon as it is complete,
so a 100,000-element listing never has its whole body, its text and every element's dict
in memory together: only the parsed results and one network chunk.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import AsyncIterable, Callable
from typing import Any, TypeVar

__all__ = ["InvalidJSON", "NotAnArray", "read_array"]

_T = TypeVar("_T")
_WHITESPACE = " \t\n\r"
_NUMBER = "0123456789+-.eE"
_INVALID = object()


class InvalidJSON(ValueError):
    """The bytes are not UTF-8 JSON (the message says where, never what)."""


class NotAnArray(Exception):
    """The document is valid JSON but not an array; `value` is what it is."""

    def __init__(self, value: Any) -> None:
        super().__init__("not a JSON array")
        self.value = value


async def read_array(chunks: AsyncIterable[bytes], element: Callable[[Any], _T]) -> list[_T]:
    """``[element(e) for e in json.loads(b"".join(chunks))]``, parsed as the chunks come.

    Raises:
        InvalidJSON: The bytes are not valid UTF-8 JSON.
        NotAnArray: They are valid JSON, but not an array.
        Whatever `element` raises.
    """
    decoder = json.JSONDecoder()
    text = codecs.getincrementaldecoder("utf-8-sig")()
    parser = _ArrayParser(decoder, element)
    try:
        async for chunk in chunks:
            parser.feed(text.decode(chunk))
        parser.feed(text.decode(b"", final=True), final=True)
    except UnicodeDecodeError:
        pass  # raised below, without the undecodable bytes
    else:
        return parser.finish()
    raise InvalidJSON("the body is not UTF-8")


class _ArrayParser:
    """The state between chunks: the unparsed tail and where in the array it is."""

    def __init__(self, decoder: json.JSONDecoder, element: Callable[[Any], Any]) -> None:
        self._decoder = decoder
        self._element = element
        self._buffer = ""
        self._state = "start"  # start → first → (value → after)* → done; or "other"
        self._retry_at = 0  # an incomplete element is tried again once the tail doubles
        self.items: list[Any] = []

    def feed(self, text: str, *, final: bool = False) -> None:
        """Parse what `text` completes; `final`: no more text comes."""
        self._buffer += text
        if self._state == "other" or (len(self._buffer) < self._retry_at and not final):
            return
        self._retry_at = 0
        buffer, pos, end = self._buffer, 0, len(self._buffer)
        while True:
            while pos < end and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos == end:
                break
            char = buffer[pos]
            if self._state == "start":
                if char != "[":
                    self._state = "other"  # parsed whole at the end
                    return
                self._state, pos = "first", pos + 1
            elif self._state in ("first", "value"):
                if char == "]" and self._state == "first":
                    self._state, pos = "done", pos + 1
                    continue
                try:
                    value, stop = self._decoder.raw_decode(buffer, pos)
                except json.JSONDecodeError:
                    stop = -1  # incomplete, or broken (then `finish` tells)
                # a number that ends with the text, or stops short of an exponent or a
                # fraction, may go on in the next chunk ("1" + "2", "1e" + "5")
                cut_short = stop == end or buffer[stop] in _NUMBER
                if stop == -1 or (cut_short and not final):
                    if not final:
                        self._retry_at = 2 * (end - pos)
                    break
                pos = stop
                self.items.append(self._element(value))
                self._state = "after"
            elif self._state == "after":
                if char == ",":
                    self._state = "value"
                elif char == "]":
                    self._state = "done"
                else:
                    raise InvalidJSON("expected ',' or ']' after an element")
                pos += 1
            else:  # done: only whitespace may follow
                raise InvalidJSON("extra data after the array")
        self._buffer = buffer[pos:]

    def finish(self) -> list[Any]:
        """The elements; call after the final `feed`."""
        if self._state == "other":
            try:
                value = json.loads(self._buffer)
            except ValueError:
                value = _INVALID
            if value is _INVALID:
                raise InvalidJSON("not a JSON document")
            raise NotAnArray(value)
        if self._state != "done":
            raise InvalidJSON("the array is broken or not complete")
        return self.items

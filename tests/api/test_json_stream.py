"""`read_array`: a JSON array parsed element by element as its bytes arrive gives what
`json.loads` gives, however the bytes are cut, and refuses what `json.loads` refuses."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from amika_tui.api.json_stream import InvalidJSON, NotAnArray, read_array

DOCUMENT = json.dumps(
    [
        {"id": "a", "name": "ÉTÉ_€_😀", "n": 12345, "nested": {"x": [1, 2, {"y": None}]}},
        -0.5e3,
        'a string with \\" , ] } escapes',
        [],
        {},
        True,
        None,
        9876543210,
    ],
    ensure_ascii=False,
    indent=1,
).encode("utf-8")


async def _pieces(data: bytes, *cuts: int) -> AsyncIterator[bytes]:
    start = 0
    for cut in (*cuts, len(data)):
        yield data[start:cut]
        start = cut


async def _read(data: bytes, *cuts: int) -> list[object]:
    return await read_array(_pieces(data, *cuts), lambda element: element)


async def test_every_cut_gives_what_json_loads_gives() -> None:
    # a multi-byte character, a number and a string each split at every byte
    expected = json.loads(DOCUMENT)
    for cut in range(1, len(DOCUMENT)):
        assert await _read(DOCUMENT, cut) == expected, cut


async def test_one_byte_at_a_time() -> None:
    assert await _read(DOCUMENT, *range(1, len(DOCUMENT))) == json.loads(DOCUMENT)


async def test_each_element_is_converted_as_it_completes() -> None:
    seen: list[object] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'[{"n": 1}, {"n": '
        assert seen == [1]  # the first element was done before the rest arrived
        yield b"2}]"

    def element(item: object) -> object:
        assert isinstance(item, dict)
        seen.append(item["n"])
        return item["n"]

    assert await read_array(chunks(), element) == [1, 2]


@pytest.mark.parametrize("body", [b"[]", b"  [ ]  ", b"\xef\xbb\xbf[]"])
async def test_empty_arrays(body: bytes) -> None:
    assert await _read(body) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[",
        b"[1,",
        b"[1,]",
        b"[1 2]",
        b"[1]]",
        b"[1] x",
        b'[{"a": 1]',
        b"[nul]",
        b'["\xff"]',
        b"not json at all",
        b'{"a": ',
    ],
)
async def test_what_json_loads_refuses_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(InvalidJSON):
        await _read(body)
    if len(body) > 2:
        with pytest.raises(InvalidJSON):
            await _read(body, 2)


@pytest.mark.parametrize("body", [b'{"secrets": []}', b'"text"', b"42", b"null"])
async def test_a_document_that_is_not_an_array_is_returned_whole(body: bytes) -> None:
    with pytest.raises(NotAnArray) as raised:
        await _read(body, 1)
    assert raised.value.value == json.loads(body)


async def test_an_element_too_long_for_one_chunk_still_parses() -> None:
    big = {"text": "x" * 300_000}
    body = json.dumps([big, big]).encode()
    cuts = range(1000, len(body), 1000)
    assert await _read(body, *cuts) == [big, big]

"""Go behaviours that show in upstream's output: JSON errors, time parsing, names, quoting."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amika_tui.discovery.gocompat import go_join, go_quote, go_trim_space, go_upper
from amika_tui.discovery.gojson import GoJSONError, go_unmarshal
from amika_tui.discovery.gotime import GoTimeError, parse_rfc3339_ns
from amika_tui.discovery.output import canonical_provider, env_lines, env_names, shell_quote


@pytest.mark.parametrize(
    ("data", "message", "where"),
    [
        (b"", "unexpected end of JSON input", "line 1, column 1"),
        (
            b'{\n  "a": 1,\n  }',
            "invalid character '}' looking for beginning of object key string",
            "line 3, column 3",
        ),
        (b'{"a" 1}', "invalid character '1' after object key", "line 1, column 6"),
        (b'{"a":1 "b"}', "invalid character '\"' after object key:value pair", "line 1, column 8"),
        (b"[1 2]", "invalid character '2' after array element", "line 1, column 4"),
        (b"{} x", "invalid character 'x' after top-level value", "line 1, column 4"),
        (b"'a'", "invalid character '\\'' looking for beginning of value", "line 1, column 1"),
        (b'"\x01"', "invalid character '\\x01' in string literal", "line 1, column 2"),
        (b'"\\q"', "invalid character 'q' in string escape code", "line 1, column 3"),
        (
            b'"\\u12x4"',
            "invalid character 'x' in \\u hexadecimal character escape",
            "line 1, column 6",
        ),
        (b"-a", "invalid character 'a' in numeric literal", "line 1, column 2"),
        (
            b"1.e5",
            "invalid character 'e' after decimal point in numeric literal",
            "line 1, column 3",
        ),
        (b"1e", "invalid character ' ' in exponent of numeric literal", "line 1, column 2"),
        (b"nulL", "invalid character 'L' in literal null (expecting 'l')", "line 1, column 4"),
        (b"fals", "invalid character ' ' in literal false (expecting 'e')", "line 1, column 4"),
        (
            b"\xef\xbb\xbf{}",
            "invalid character '\u00ef' looking for beginning of value",
            "line 1, column 1",
        ),
        (b"NaN", "invalid character 'N' looking for beginning of value", "line 1, column 1"),
    ],
)
def test_json_syntax_errors_use_gos_words(data: bytes, message: str, where: str) -> None:
    with pytest.raises(GoJSONError) as info:
        go_unmarshal(data)
    assert (str(info.value), info.value.location(data)) == (message, where)


def test_json_values_decode_like_go() -> None:
    value = go_unmarshal(b'{"n": 12, "s": "\\ud800x\xff", "a": [true, null], "d": 1, "d": 2}')
    assert value == {"n": 12.0, "s": "\ufffdx\ufffd", "a": [True, None], "d": 2.0}


def test_json_nesting_limit() -> None:
    with pytest.raises(GoJSONError, match="exceeded max depth"):
        go_unmarshal(b"[" * 10001)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2030-01-01T00:00:00Z", 1893456000 * 10**9),
        ("2030-01-01T02:00:00+02:00", 1893456000 * 10**9),
        ("2030-01-01T00:00:00.25Z", 1893456000 * 10**9 + 250_000_000),
        ("2030-01-01T00:00:00,5Z", 1893456000 * 10**9 + 500_000_000),
        ("2030-01-01T0:00:00Z", 1893456000 * 10**9),
        ("1970-01-01T00:00:00Z", 0),
    ],
)
def test_rfc3339_accepts_what_go_accepts(value: str, expected: int) -> None:
    assert parse_rfc3339_ns(value) == expected


LAYOUT = '"2006-01-02T15:04:05Z07:00"'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", f'parsing time "soon" as {LAYOUT}: cannot parse "soon" as "2006"'),
        ("2030/01/01", f'parsing time "2030/01/01" as {LAYOUT}: cannot parse "/01/01" as "-"'),
        (
            "2030-1-01T00:00:00Z",
            f'parsing time "2030-1-01T00:00:00Z" as {LAYOUT}: '
            'cannot parse "1-01T00:00:00Z" as "01"',
        ),
        (
            "2030-01-01 00:00:00Z",
            f'parsing time "2030-01-01 00:00:00Z" as {LAYOUT}: cannot parse " 00:00:00Z" as "T"',
        ),
        (
            "2030-01-01T00:00:00",
            f'parsing time "2030-01-01T00:00:00" as {LAYOUT}: cannot parse "" as "Z07:00"',
        ),
        ("2030-13-01T00:00:00Z", 'parsing time "2030-13-01T00:00:00Z": month out of range'),
        ("2030-02-29T00:00:00Z", 'parsing time "2030-02-29T00:00:00Z": day out of range'),
        ("2030-01-01T24:00:00Z", 'parsing time "2030-01-01T24:00:00Z": hour out of range'),
        ("2030-01-01T00:60:00Z", 'parsing time "2030-01-01T00:60:00Z": minute out of range'),
        ("2030-01-01T00:00:00Zjunk", 'parsing time "2030-01-01T00:00:00Zjunk": extra text: "junk"'),
        (
            "2030-01-01T00:00:00+25:00",
            'parsing time "2030-01-01T00:00:00+25:00": time zone offset hour out of range',
        ),
        ("é", f'parsing time "\\xc3\\xa9" as {LAYOUT}: cannot parse "\\xc3\\xa9" as "2006"'),
    ],
)
def test_rfc3339_errors_use_gos_words(value: str, message: str) -> None:
    with pytest.raises(GoTimeError) as info:
        parse_rfc3339_ns(value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Anthropic", "anthropic"),
        (" CLAUDE ", "anthropic"),
        ("codex", "openai"),
        ("OpenAI", "openai"),
        ("open_ai", "open-ai"),
        ("Google Vertex", "google-vertex"),
        ("my.provider/x", "my-provider-x"),
        ("__lead_trail__", "lead-trail"),
        ("a--b", "a-b"),
        ("a__b", "a--b"),  # one pass only; upstream's second pass makes it "a-b"
        ("a---b", "a--b"),
        ("---", ""),
        ("", ""),
    ],
)
def test_canonical_provider_names(name: str, canonical: str) -> None:
    assert canonical_provider(name) == canonical


def test_env_names_and_lines() -> None:
    assert env_names("anthropic") == ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    assert env_names("openai") == ("OPENAI_API_KEY", "CODEX_API_KEY")
    assert env_names("google-vertex") == ("GOOGLE_VERTEX_API_KEY",)
    assert shell_quote("a'b") == "'a'\\''b'"
    assert shell_quote("") == "''"
    assert env_lines({"B": "x", "A": "it's", "C": ""}) == ["A='it'\\''s'", "B='x'"]
    assert env_lines({"A": "1"}, export=True) == ["export A='1'"]


def test_go_string_helpers() -> None:
    assert go_quote('/h/"x"\\\n\x1b\u00a0é\U0001f600') == '"/h/\\"x\\"\\\\\\n\\x1b\\u00a0é😀"'
    assert go_quote("/h/\udcff") == '"/h/\\xff"'
    assert go_trim_space("\x1c a \u3000\n") == "\x1c a"
    assert go_upper("straße") == "STRAßE"
    assert go_join("/h/", "./.claude.json") == "/h/.claude.json"
    assert go_join("rel//h", "..", "x") == "rel/x"
    assert go_join("", "a") == "a"


_JSONISH = st.text(alphabet='{}[],:"\\ \t\n0123456789.eE+-truefalsnNaIiy\u00e9\ufeff', max_size=30)


@settings(max_examples=400, deadline=None)
@given(_JSONISH.map(lambda s: s.encode()) | st.binary(max_size=12))
def test_fast_path_refuses_exactly_what_gos_scanner_refuses(data: bytes) -> None:
    # json.loads decodes; Go's scanner (ported) only words errors. They must agree on
    # what is refused, with Go's words, for any input.
    from amika_tui.discovery.goscanner import check_valid

    try:
        check_valid(data)
        go_error = None
    except GoJSONError as err:
        go_error = str(err)
    try:
        go_unmarshal(data)
        ours = None
    except GoJSONError as err:
        ours = str(err)
    if go_error is None:
        assert ours is None or ours.startswith("json: cannot unmarshal number")
    else:
        assert ours == go_error


_TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # Go has no lone surrogates
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_VALUES, st.booleans())
def test_valid_documents_decode_to_the_same_values(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert go_unmarshal(text.encode()) == json.loads(text)

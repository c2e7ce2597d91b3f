""".env parsing: the CLI's verbatim rules, python-dotenv's rules, every problem, file guards."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amika_tui.sync.envfile import (
    MAX_FILE_BYTES,
    EnvEntry,
    EnvFileError,
    ParseMode,
    ProblemCode,
    Severity,
    format_env,
    is_valid_env_name,
    parse_env_text,
    read_env_file,
)

AMIKA = ParseMode.AMIKA
DOTENV = ParseMode.DOTENV


def codes(text: str, mode: ParseMode = AMIKA) -> list[tuple[int | None, ProblemCode]]:
    return [(p.line, p.code) for p in parse_env_text(text, mode).problems]


# --------------------------------------------------------------------------- amika mode


class TestAmikaMode:
    def test_values_are_taken_verbatim(self) -> None:
        text = (
            "PLAIN=abc\n"
            'QUOTED="with quotes"\n'
            "SINGLE='single'\n"
            "EQUALS=a=b==c\n"
            "HASH=abc#def\n"
            "COMMENTISH=abc # not a comment\n"
            "SPACES=  padded  \n"
            "EXPANDED=${HOME}/x\n"
        )
        assert parse_env_text(text, AMIKA).as_dict() == {
            "PLAIN": "abc",
            "QUOTED": '"with quotes"',
            "SINGLE": "'single'",
            "EQUALS": "a=b==c",
            "HASH": "abc#def",
            "COMMENTISH": "abc # not a comment",
            "SPACES": "  padded  ",
            "EXPANDED": "${HOME}/x",
        }

    def test_key_is_trimmed_and_split_on_the_first_equals(self) -> None:
        result = parse_env_text("  \tNAME  =value=more\n", AMIKA)
        assert result.entries == (EnvEntry("NAME", "value=more", 1),)

    def test_blank_lines_and_comments_are_skipped(self) -> None:
        text = "\n   \n# comment\n   # indented comment = with equals\nA=1\n\t\n"
        result = parse_env_text(text, AMIKA)
        assert result.entries == (EnvEntry("A", "1", 5),)
        assert result.problems == ()

    def test_every_bad_line_is_reported_with_its_line_number(self) -> None:
        text = "A=1\nno equals here\n=value without key\n   =also empty\nB=2\n"
        result = parse_env_text(text, AMIKA)
        assert result.as_dict() == {"A": "1", "B": "2"}
        assert [(p.line, p.code, p.severity) for p in result.problems] == [
            (2, ProblemCode.SYNTAX, Severity.ERROR),
            (3, ProblemCode.EMPTY_KEY, Severity.ERROR),
            (4, ProblemCode.EMPTY_KEY, Severity.ERROR),
        ]

    def test_problem_messages_never_contain_values(self) -> None:
        text = "=sk-secret-value\nsk-secret-line-without-equals\nK='sk-secret-quoted'\n"
        for problem in parse_env_text(text, AMIKA).problems:
            assert "sk-secret" not in str(problem)

    def test_duplicates_are_flagged_and_the_last_wins_in_first_seen_order(self) -> None:
        result = parse_env_text("A=1\nB=2\nA=3\nA=4\n", AMIKA)
        assert [(e.key, e.value, e.line) for e in result.entries] == [("A", "4", 4), ("B", "2", 2)]
        dupes = [p for p in result.problems if p.code is ProblemCode.DUPLICATE]
        assert [(p.line, p.severity, p.key) for p in dupes] == [
            (3, Severity.WARNING, "A"),
            (4, Severity.WARNING, "A"),
        ]
        assert "line 1" in dupes[0].message

    @pytest.mark.parametrize(
        "name", ["1ABC", "MY KEY", "export FOO", "DASH-ED", "dot.ted", "ÄPFEL"]
    )
    def test_invalid_names_are_errors_but_still_entries(self, name: str) -> None:
        result = parse_env_text(f"{name}=v\n", AMIKA)
        assert result.as_dict() == {name: "v"}
        assert (1, ProblemCode.INVALID_NAME) in codes(f"{name}=v\n")
        assert Severity.ERROR in {p.severity for p in result.problems}

    def test_export_prefix_gets_a_hint(self) -> None:
        assert (1, ProblemCode.EXPORT_PREFIX) in codes("export FOO=1\n")

    @pytest.mark.parametrize("value", ['"x"', "'x'", ' "spaced" '])
    def test_quoted_values_get_a_hint_about_dotenv_mode(self, value: str) -> None:
        result = parse_env_text(f"K={value}\n", AMIKA)
        hint = next(p for p in result.problems if p.code is ProblemCode.QUOTED_VALUE)
        assert hint.severity is Severity.HINT and "dotenv" in hint.message
        assert result.as_dict() == {"K": value}

    def test_inline_comment_and_surrounding_space_get_hints(self) -> None:
        assert codes("A=x # y\nB= v\n") == [
            (1, ProblemCode.INLINE_COMMENT),
            (2, ProblemCode.SURROUNDING_SPACE),
        ]

    def test_empty_values_are_kept_with_a_warning(self) -> None:
        result = parse_env_text("EMPTY=\n", AMIKA)
        assert result.as_dict() == {"EMPTY": ""}
        assert [(p.code, p.severity) for p in result.problems] == [
            (ProblemCode.EMPTY_VALUE, Severity.WARNING)
        ]

    def test_crlf_drops_one_carriage_return_per_line(self) -> None:
        result = parse_env_text("A=1\r\nB=two\r\r\nC=3\r", AMIKA)
        assert result.as_dict() == {"A": "1", "B": "two\r", "C": "3"}
        assert (None, ProblemCode.CRLF) in codes("A=1\r\nB=two\r\r\nC=3\r")
        assert (2, ProblemCode.CARRIAGE_RETURN) in codes("A=1\r\nB=two\r\r\nC=3\r")

    def test_a_lone_carriage_return_does_not_end_a_line(self) -> None:
        # Go's scanner splits on \n only; an old-Mac file is one long line.
        assert parse_env_text("A=1\rB=2\n", AMIKA).as_dict() == {"A": "1\rB=2"}

    def test_bom_is_removed_with_a_warning(self) -> None:
        result = parse_env_text("\ufeffFIRST=1\n", AMIKA)
        assert result.as_dict() == {"FIRST": "1"}
        assert [(p.line, p.code, p.severity) for p in result.problems] == [
            (1, ProblemCode.BOM, Severity.WARNING)
        ]

    def test_missing_final_newline_still_reads_the_last_line(self) -> None:
        assert parse_env_text("A=1\nB=2", AMIKA).as_dict() == {"A": "1", "B": "2"}

    def test_go_whitespace_rules_for_trimming(self) -> None:
        # U+00A0 is white space to Go; U+001F is not (Python's str.strip would remove it).
        result = parse_env_text("\xa0KEY\xa0=1\n\x1fODD=2\n", AMIKA)
        assert result.as_dict() == {"KEY": "1", "\x1fODD": "2"}

    def test_lines_longer_than_the_cli_scanner_limit_are_errors(self) -> None:
        fits = "A=" + "x" * (64 * 1024 - 3)  # plus its newline: exactly 64 KiB
        too_long = "B=" + "x" * (64 * 1024 - 2)
        result = parse_env_text(f"{fits}\n{too_long}\nC=1\n", AMIKA)
        assert set(result.as_dict()) == {"A", "C"}
        assert codes(f"{fits}\n{too_long}\nC=1\n") == [(2, ProblemCode.LINE_TOO_LONG)]

    def test_mode_accepts_plain_strings(self) -> None:
        assert parse_env_text("A=1", "amika").mode is AMIKA


# --------------------------------------------------------------------------- dotenv mode


class TestDotenvMode:
    def test_quotes_export_and_inline_comments_follow_python_dotenv(self) -> None:
        text = (
            "export EXPORTED=1\n"
            'DOUBLE="a \\"b\\" \\n c"\n'
            "SINGLE='it\\'s'\n"
            "COMMENTED=value # comment\n"
            "HASH=abc#def\n"
            "EQUALS=a=b\n"
            "EMPTY=\n"
            "SPACED = padded  \n"
            "NOEXPAND=${HOME}\n"
        )
        assert parse_env_text(text, DOTENV).as_dict() == {
            "EXPORTED": "1",
            "DOUBLE": 'a "b" \n c',
            "SINGLE": "it's",
            "COMMENTED": "value",
            "HASH": "abc#def",
            "EQUALS": "a=b",
            "EMPTY": "",
            "SPACED": "padded",
            "NOEXPAND": "${HOME}",
        }

    def test_multi_line_values_carry_the_line_they_start_on(self) -> None:
        result = parse_env_text('\n\nA="one\ntwo"\nB=3\n', DOTENV)
        assert [(e.key, e.value, e.line) for e in result.entries] == [
            ("A", "one\ntwo", 3),
            ("B", "3", 5),
        ]

    def test_bad_lines_are_errors_and_parsing_continues(self) -> None:
        result = parse_env_text('A=1\nB="never closed\nC=3\n', DOTENV)
        assert result.as_dict() == {"A": "1", "C": "3"}
        assert codes('A=1\nB="never closed\nC=3\n', DOTENV) == [(2, ProblemCode.SYNTAX)]
        result = parse_env_text("A=1\nB 'x\nC=3\n", DOTENV)
        assert result.as_dict() == {"A": "1", "C": "3"}
        assert codes("A=1\nB 'x\nC=3\n", DOTENV) == [(2, ProblemCode.SYNTAX)]

    def test_a_key_without_equals_is_skipped_with_a_warning(self) -> None:
        result = parse_env_text("LONELY\nA=1\n", DOTENV)
        assert result.as_dict() == {"A": "1"}
        assert codes("LONELY\nA=1\n", DOTENV) == [(1, ProblemCode.NO_VALUE)]

    def test_a_value_pasted_without_a_name_is_not_quoted_back(self) -> None:
        for mode in ParseMode:
            result = parse_env_text("sk-ant-api03-pasted-alone-7c1b\nA=1\n", mode)
            assert result.as_dict() == {"A": "1"}
            [problem] = result.problems
            assert problem.line == 1
            for text in (str(problem), repr(problem), problem.message):
                assert "7c1b" not in text

    def test_duplicates_invalid_names_crlf_and_bom(self) -> None:
        text = "\ufeffA=1\r\n'MY KEY'=2\r\nA=3\r\n"
        result = parse_env_text(text, DOTENV)
        assert result.as_dict() == {"A": "3", "MY KEY": "2"}
        assert codes(text, DOTENV) == [
            (None, ProblemCode.CRLF),
            (1, ProblemCode.BOM),
            (2, ProblemCode.INVALID_NAME),
            (3, ProblemCode.DUPLICATE),
        ]

    def test_no_quote_hint_in_dotenv_mode(self) -> None:
        assert codes("A='x'\n", DOTENV) == []


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "valid"),
    [("A", True), ("_a1", True), ("A_B_9", True), ("", False), ("9A", False), ("A-B", False)],
)
def test_valid_env_names(name: str, valid: bool) -> None:
    assert is_valid_env_name(name) is valid


# --------------------------------------------------------------------------- file guards


class TestReadEnvFile:
    def test_reads_a_file_with_crlf_without_newline_translation(self, tmp_path: Path) -> None:
        path = tmp_path / ".env"
        path.write_bytes(b"A=1\r\nB=2\r\r\n")
        assert read_env_file(path).as_dict() == {"A": "1", "B": "2\r"}
        assert read_env_file(path, "dotenv").as_dict() == {"A": "1", "B": "2"}

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(EnvFileError, match="does not exist"):
            read_env_file(tmp_path / "nope.env")

    def test_directory(self, tmp_path: Path) -> None:
        with pytest.raises(EnvFileError, match="is a directory"):
            read_env_file(tmp_path)

    def test_larger_than_one_mebibyte(self, tmp_path: Path) -> None:
        path = tmp_path / "big.env"
        path.write_bytes(b"A=" + b"x" * MAX_FILE_BYTES)
        with pytest.raises(EnvFileError, match="larger than 1 MiB"):
            read_env_file(path)

    def test_exactly_one_mebibyte_is_fine(self, tmp_path: Path) -> None:
        path = tmp_path / "edge.env"
        line = b"K=" + b"v" * 1000 + b"\n"
        body = line * (MAX_FILE_BYTES // len(line))
        path.write_bytes(body + b"#" * (MAX_FILE_BYTES - len(body)))
        assert read_env_file(path).as_dict()["K"] == "v" * 1000

    def test_binary_file(self, tmp_path: Path) -> None:
        path = tmp_path / "bin.env"
        path.write_bytes(b"A=1\n\x00\x01\x02")
        with pytest.raises(EnvFileError, match=r"binary file \(NUL byte at offset 4\)"):
            read_env_file(path)

    def test_not_utf8_names_the_byte_offset(self, tmp_path: Path) -> None:
        path = tmp_path / "latin1.env"
        path.write_bytes(b"A=1\nB=caf\xe9\n")
        with pytest.raises(EnvFileError, match=r"not valid UTF-8: bad byte at offset 9 \(line 2\)"):
            read_env_file(path)

    def test_error_messages_never_contain_content(self, tmp_path: Path) -> None:
        path = tmp_path / "secret.env"
        path.write_bytes(b"TOKEN=sk-secret\xff\n")
        with pytest.raises(EnvFileError) as info:
            read_env_file(path)
        assert "sk-secret" not in str(info.value)


# --------------------------------------------------------------------------- properties

_env_text = st.text(
    alphabet=st.sampled_from(list("AB_z9 =#'\"\\\t\r\n\ufeff\xa0$x{}")) | st.characters(),
    max_size=200,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=_env_text, mode=st.sampled_from(list(ParseMode)))
def test_parser_never_raises_and_lines_are_in_range(text: str, mode: ParseMode) -> None:
    result = parse_env_text(text, mode)
    last_line = text.count("\n") + text.count("\r") + 1
    for problem in result.problems:
        assert problem.line is None or 1 <= problem.line <= last_line
    for entry in result.entries:
        assert 1 <= entry.line <= last_line


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=_env_text, mode=st.sampled_from(list(ParseMode)))
def test_what_the_parser_accepts_round_trips(text: str, mode: ParseMode) -> None:
    first = parse_env_text(text, mode)
    again = parse_env_text(format_env(first.entries, mode), mode)
    assert again.as_dict() == first.as_dict()
    assert [e.key for e in again.entries] == [e.key for e in first.entries]
    assert not [p for p in again.problems if p.code is ProblemCode.SYNTAX]


@given(
    entries=st.dictionaries(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
        st.text(max_size=30),
        max_size=8,
    ),
    mode=st.sampled_from(list(ParseMode)),
)
def test_any_valid_name_and_value_survives_format_then_parse(
    entries: dict[str, str], mode: ParseMode
) -> None:
    if mode is ParseMode.AMIKA:
        entries = {k: v for k, v in entries.items() if "\n" not in v}
    written = [EnvEntry(k, v, i + 1) for i, (k, v) in enumerate(entries.items())]
    assert parse_env_text(format_env(written, mode), mode).as_dict() == entries

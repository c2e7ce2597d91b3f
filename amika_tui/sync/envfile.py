"""Parsing ``.env`` files into entries and a complete list of problems.

Two modes:

- ``amika`` (default): the official CLI's ``--from-file`` rules, verbatim. Lines are split on
  ``\\n`` only (one trailing ``\\r`` per line is dropped, as Go's ``bufio.ScanLines`` does);
  blank lines and lines whose first non-space character is ``#`` are skipped; every other line
  needs a ``=`` with a non-empty key before it; the key is the text before the first ``=``
  trimmed of white space (Go's definition), the value everything after it, untouched.
- ``dotenv``: python-dotenv's parser (quotes, ``export``, inline comments, multi-line values),
  without ``${VAR}`` interpolation.

The parse never stops at the first bad line: the result carries every entry that could be read
and every problem with its line number and severity; the caller decides what to do.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from dotenv.parser import parse_stream

__all__ = [
    "MAX_FILE_BYTES",
    "EnvEntry",
    "EnvFileError",
    "EnvParseResult",
    "EnvProblem",
    "ParseMode",
    "ProblemCode",
    "Severity",
    "format_env",
    "is_valid_env_name",
    "parse_env_bytes",
    "parse_env_text",
    "read_env_file",
]

MAX_FILE_BYTES = 1024 * 1024
"""Files larger than this (1 MiB) are refused."""

# Go's bufio.Scanner refuses a line that does not fit its 64 KiB buffer (newline included).
_GO_MAX_LINE_BYTES = 64 * 1024

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Go's unicode.IsSpace, which strings.TrimSpace uses. Python's str.strip() differs (it also
# strips U+001C..U+001F), so the CLI's trimming is spelled out.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BOM = "\ufeff"


class ParseMode(StrEnum):
    """Which rules to read a ``.env`` file with."""

    AMIKA = "amika"
    DOTENV = "dotenv"


class Severity(StrEnum):
    """How serious a problem is: errors lose a line, warnings and hints do not."""

    ERROR = "error"
    WARNING = "warning"
    HINT = "hint"


class ProblemCode(StrEnum):
    """Machine-readable kind of a problem, for filtering and tests."""

    SYNTAX = "syntax"
    EMPTY_KEY = "empty_key"
    LINE_TOO_LONG = "line_too_long"
    NO_VALUE = "no_value"
    INVALID_NAME = "invalid_name"
    DUPLICATE = "duplicate"
    EMPTY_VALUE = "empty_value"
    QUOTED_VALUE = "quoted_value"
    INLINE_COMMENT = "inline_comment"
    EXPORT_PREFIX = "export_prefix"
    SURROUNDING_SPACE = "surrounding_space"
    CARRIAGE_RETURN = "carriage_return"
    BOM = "bom"
    CRLF = "crlf"


@dataclass(frozen=True, slots=True)
class EnvEntry:
    """One key and its value, from the line it was read on (1-based)."""

    key: str
    value: str = field(repr=False)
    line: int


@dataclass(frozen=True, slots=True)
class EnvProblem:
    """A problem found while parsing; ``line`` is ``None`` for the file as a whole."""

    line: int | None
    severity: Severity
    code: ProblemCode
    message: str
    key: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class EnvParseResult:
    """Entries (one per key, the last definition wins, in order of first appearance) and
    every problem, sorted by line."""

    mode: ParseMode
    entries: tuple[EnvEntry, ...]
    problems: tuple[EnvProblem, ...]

    @property
    def unreadable(self) -> tuple[EnvProblem, ...]:
        """Errors that lost a line: nothing could be read from it, so its key is unknown.

        An invalid name is not one of them: its entry is kept, and the plan marks it invalid.
        """
        return tuple(
            p
            for p in self.problems
            if p.severity is Severity.ERROR and p.code is not ProblemCode.INVALID_NAME
        )

    def as_dict(self) -> dict[str, str]:
        """The entries as a plain mapping of key to value."""
        return {e.key: e.value for e in self.entries}


class EnvFileError(Exception):
    """The file cannot be read as a ``.env`` file at all (missing, a directory, too big,
    binary or not UTF-8). The message says which, and never contains file content."""


def is_valid_env_name(name: str) -> bool:
    """True when ``name`` is a valid environment variable name ``[A-Za-z_][A-Za-z0-9_]*``."""
    return _ENV_NAME.fullmatch(name) is not None


# --------------------------------------------------------------------------- parsing


def parse_env_text(text: str, mode: ParseMode | str = ParseMode.AMIKA) -> EnvParseResult:
    """Parse ``.env`` text; never raises on any text."""
    mode = ParseMode(mode)
    problems: list[EnvProblem] = []
    if text.startswith(_BOM):
        text = text[len(_BOM) :]
        problems.append(
            EnvProblem(
                1,
                Severity.WARNING,
                ProblemCode.BOM,
                "the file starts with a UTF-8 byte order mark; it was removed"
                + (
                    " (the amika CLI would make it part of the first key)"
                    if mode is ParseMode.AMIKA
                    else ""
                ),
            )
        )
    if "\r\n" in text:
        problems.append(
            EnvProblem(
                None,
                Severity.HINT,
                ProblemCode.CRLF,
                "the file has Windows (CRLF) line endings; the carriage returns are dropped",
            )
        )
    raw = _parse_amika(text, problems) if mode is ParseMode.AMIKA else _parse_dotenv(text, problems)
    entries = _resolve(raw, mode, problems)
    problems.sort(key=lambda p: p.line if p.line is not None else 0)
    return EnvParseResult(mode=mode, entries=entries, problems=tuple(problems))


def _parse_amika(text: str, problems: list[EnvProblem]) -> list[EnvEntry]:
    entries: list[EnvEntry] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with a newline: no extra empty line
    for number, line in enumerate(lines, start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if len(line.encode("utf-8", "surrogatepass")) + 1 > _GO_MAX_LINE_BYTES:
            problems.append(
                EnvProblem(
                    number,
                    Severity.ERROR,
                    ProblemCode.LINE_TOO_LONG,
                    "the line is longer than 64 KiB; the amika CLI cannot read it",
                )
            )
            continue
        trimmed = line.strip(_GO_SPACE)
        if trimmed == "" or trimmed.startswith("#"):
            continue
        index = line.find("=")
        if index < 0:
            problems.append(
                EnvProblem(
                    number,
                    Severity.ERROR,
                    ProblemCode.SYNTAX,
                    "expected KEY=VALUE: no '=' on this line",
                )
            )
            continue
        key = line[:index].strip(_GO_SPACE)
        if index == 0 or key == "":
            problems.append(
                EnvProblem(
                    number,
                    Severity.ERROR,
                    ProblemCode.EMPTY_KEY,
                    "expected KEY=VALUE: the key before '=' is empty",
                )
            )
            continue
        entries.append(EnvEntry(key, line[index + 1 :], number))
    return entries


_NEWLINE = re.compile(r"\r\n|\n|\r")


def _parse_dotenv(text: str, problems: list[EnvProblem]) -> list[EnvEntry]:
    entries: list[EnvEntry] = []
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        # The binding's line is where its leading blank lines start; point at the content.
        leading = original[: len(original) - len(original.lstrip())]
        number = binding.original.line + len(_NEWLINE.findall(leading))
        if binding.error:
            problems.append(
                EnvProblem(
                    number,
                    Severity.ERROR,
                    ProblemCode.SYNTAX,
                    "python-dotenv cannot parse this line (unterminated quote or stray text?)",
                )
            )
        elif binding.key is None:
            continue  # blank line or comment
        elif binding.value is None:
            # The text is not quoted back: a line without '=' is as likely a pasted value
            # as a name.
            problems.append(
                EnvProblem(
                    number,
                    Severity.WARNING,
                    ProblemCode.NO_VALUE,
                    "no '=' on this line, so there is no value; it is skipped",
                )
            )
        else:
            entries.append(EnvEntry(binding.key, binding.value, number))
    return entries


def _resolve(
    raw: list[EnvEntry], mode: ParseMode, problems: list[EnvProblem]
) -> tuple[EnvEntry, ...]:
    """Flag per-entry problems and collapse duplicates (the last definition wins)."""
    winners: dict[str, EnvEntry] = {}
    first_line: dict[str, int] = {}
    for entry in raw:
        key = entry.key
        if key in winners:
            problems.append(
                EnvProblem(
                    entry.line,
                    Severity.WARNING,
                    ProblemCode.DUPLICATE,
                    f"{key} is already defined on line {first_line[key]}; the last definition wins",
                    key,
                )
            )
        else:
            first_line[key] = entry.line
        winners[key] = entry
        problems.extend(_entry_problems(entry, mode))
    return tuple(winners.values())  # dicts keep first-insertion order, as the CLI does


def _entry_problems(entry: EnvEntry, mode: ParseMode) -> Iterable[EnvProblem]:
    key, value, line = entry.key, entry.value, entry.line
    if not is_valid_env_name(key):
        yield EnvProblem(
            line,
            Severity.ERROR,
            ProblemCode.INVALID_NAME,
            f"{key!r} is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
            key,
        )
        if mode is ParseMode.AMIKA and key.startswith("export") and key[6:7].isspace():
            yield EnvProblem(
                line,
                Severity.HINT,
                ProblemCode.EXPORT_PREFIX,
                "the amika CLI keeps 'export ' as part of the key; dotenv mode would drop it",
                key,
            )
    if value == "":
        yield EnvProblem(
            line, Severity.WARNING, ProblemCode.EMPTY_VALUE, f"{key} has an empty value", key
        )
    if mode is not ParseMode.AMIKA:
        return
    stripped = value.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        yield EnvProblem(
            line,
            Severity.HINT,
            ProblemCode.QUOTED_VALUE,
            f"the value of {key} looks quoted; the amika CLI keeps the quotes, "
            "dotenv mode would strip them",
            key,
        )
    elif " #" in value or "\t#" in value:
        yield EnvProblem(
            line,
            Severity.HINT,
            ProblemCode.INLINE_COMMENT,
            f"the value of {key} contains ' #'; the amika CLI keeps it as part of the value, "
            "dotenv mode would treat it as a comment",
            key,
        )
    if value != stripped:
        yield EnvProblem(
            line,
            Severity.HINT,
            ProblemCode.SURROUNDING_SPACE,
            f"the value of {key} starts or ends with white space, which is kept verbatim",
            key,
        )
    if "\r" in value:
        yield EnvProblem(
            line,
            Severity.WARNING,
            ProblemCode.CARRIAGE_RETURN,
            f"the value of {key} contains a carriage return",
            key,
        )


# --------------------------------------------------------------------------- files


def read_env_file(path: str | Path, mode: ParseMode | str = ParseMode.AMIKA) -> EnvParseResult:
    """Read and parse a ``.env`` file.

    Raises:
        EnvFileError: the file is missing, a directory, larger than 1 MiB, binary (NUL bytes)
            or not valid UTF-8 (the message names the byte offset).
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise EnvFileError(f"{path} is a directory, not a .env file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise EnvFileError(
                f"{path} is {size:,} bytes; .env files larger than 1 MiB are refused"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise EnvFileError(f"{path} does not exist") from None
    except PermissionError:
        raise EnvFileError(f"{path} cannot be read: permission denied") from None
    except IsADirectoryError:
        raise EnvFileError(f"{path} is a directory, not a .env file") from None
    except OSError as exc:
        raise EnvFileError(f"{path} cannot be read: {exc.strerror or type(exc).__name__}") from None
    return parse_env_bytes(data, str(path), mode)  # checks the size again: it may have grown


def parse_env_bytes(
    data: bytes, source: str, mode: ParseMode | str = ParseMode.AMIKA
) -> EnvParseResult:
    """Parse ``.env`` content read from ``source`` (a path, or e.g. ``<stdin>``).

    Raises:
        EnvFileError: the content is larger than 1 MiB, binary (NUL bytes) or not valid
            UTF-8 (the message names ``source`` and the byte offset, never the content).
    """
    if len(data) > MAX_FILE_BYTES:
        raise EnvFileError(f"{source} is larger than 1 MiB; .env files that big are refused")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EnvFileError(
            f"{source} looks like a binary file (NUL byte at offset {nul}), not a .env file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EnvFileError(
            f"{source} is not valid UTF-8: bad byte at offset {exc.start} (line {line})"
        ) from None
    return parse_env_text(text, mode)


# --------------------------------------------------------------------------- formatting


_DOTENV_BARE_KEY = re.compile(r"[^=#\s'\ufeff][^=#\s]*")


def format_env(entries: Iterable[EnvEntry], mode: ParseMode | str = ParseMode.AMIKA) -> str:
    """Write entries back as ``.env`` text that parses to the same keys and values.

    Raises:
        ValueError: an entry cannot be written in this mode (e.g. a newline in an amika value).
    """
    mode = ParseMode(mode)
    if mode is ParseMode.DOTENV:
        return "".join(_format_dotenv(entry) for entry in entries)
    text = "".join(_format_amika(entry) for entry in entries)
    # Reading removes one leading byte order mark, so a first key that starts with one needs
    # a sacrificial one in front.
    return _BOM + text if text.startswith(_BOM) else text


def _format_amika(entry: EnvEntry) -> str:
    key, value = entry.key, entry.value
    if "\n" in value or "\n" in key or "=" in key:
        raise ValueError(f"line {entry.line}: {key!r} cannot be written in amika mode")
    if key != key.strip(_GO_SPACE) or key == "" or key.startswith("#"):
        raise ValueError(f"line {entry.line}: {key!r} cannot be written in amika mode")
    # One trailing \r per line is dropped on reading, so a value ending in \r needs CRLF.
    return f"{key}={value}\r\n" if value.endswith("\r") else f"{key}={value}\n"


def _format_dotenv(entry: EnvEntry) -> str:
    key = entry.key
    if _DOTENV_BARE_KEY.fullmatch(key):
        written_key = key
    elif key and "'" not in key:
        written_key = f"'{key}'"
    else:
        raise ValueError(f"line {entry.line}: {key!r} cannot be written in dotenv mode")
    value = entry.value.replace("\\", "\\\\").replace("'", "\\'")
    return f"{written_key}='{value}'\n"

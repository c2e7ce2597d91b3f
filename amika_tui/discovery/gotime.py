"""Go's ``time.Parse(time.RFC3339, s)``: what it accepts and the errors it prints.

Go's general parser is more lenient than RFC 3339 (one-digit hours, a comma
before fractional seconds, offsets up to +24:00) and its error text shows in
upstream's output, so this walks the layout ``2006-01-02T15:04:05Z07:00`` the
way ``time.parse`` does and returns the instant as Unix nanoseconds (an integer:
years 0000-9999 are all valid in Go).
"""

from __future__ import annotations

import time

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["RFC3339", "GoTimeError", "format_ns", "ns_to_datetime", "parse_rfc3339_ns"]

RFC3339 = "2006-01-02T15:04:05Z07:00"


class GoTimeError(ValueError):
    """``*time.ParseError``; ``str()`` is Go's message."""


def _quote(s: str) -> str:
    # time.quote: non-ASCII and control bytes become \xNN, '"' and '\' are escaped.
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ord(ch) < 0x20:
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogateescape"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


class _Bad(Exception):
    pass


def _is_digit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(s, 0):
        raise _Bad
    if not _is_digit(s, 1):
        if fixed:
            raise _Bad
        return int(s[0]), s[1:]
    return int(s[:2]), s[2:]


def _days_in(month: int, year: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_rfc3339_ns(value: str) -> int:
    """Parse like Go and return Unix time in nanoseconds.

    Raises:
        GoTimeError: with the message Go's ``time.Parse`` would give.
    """

    def fail(layout_elem: str, value_elem: str) -> GoTimeError:
        return GoTimeError(
            f"parsing time {_quote(value)} as {_quote(RFC3339)}: "
            f"cannot parse {_quote(value_elem)} as {_quote(layout_elem)}"
        )

    def range_fail(what: str) -> GoTimeError:
        return GoTimeError(f"parsing time {_quote(value)}: {what} out of range")

    rest = value
    fields: dict[str, int] = {}
    nsec = 0
    offset = 0
    chunks = [
        ("", "2006"),
        ("-", "01"),
        ("-", "02"),
        ("T", "15"),
        (":", "04"),
        (":", "05"),
        ("", "Z07:00"),
    ]
    for prefix, std in chunks:
        if prefix:
            if not rest or rest[0] != prefix:
                raise fail(prefix, rest)
            rest = rest[1:]
        hold = rest
        range_err = ""
        try:
            if std == "2006":
                if len(rest) < 4 or not _is_digit(rest, 0):
                    raise _Bad
                digits, rest = rest[:4], rest[4:]
                if not digits.isascii() or not digits.isdigit():
                    raise _Bad
                fields["year"] = int(digits)
            elif std == "01":
                fields["month"], rest = _getnum(rest, True)
                if not 1 <= fields["month"] <= 12:
                    range_err = "month"
            elif std == "02":
                fields["day"], rest = _getnum(rest, True)
            elif std == "15":
                fields["hour"], rest = _getnum(rest, False)
                if fields["hour"] >= 24:
                    range_err = "hour"
            elif std == "04":
                fields["minute"], rest = _getnum(rest, True)
                if fields["minute"] >= 60:
                    range_err = "minute"
            elif std == "05":
                fields["second"], rest = _getnum(rest, True)
                if fields["second"] >= 60:
                    range_err = "second"
                elif len(rest) >= 2 and rest[0] in ".," and _is_digit(rest, 1):
                    n = 2
                    while _is_digit(rest, n):
                        n += 1
                    frac = rest[1 : min(n, 10)]
                    nsec = int(frac) * 10 ** (9 - len(frac))
                    rest = rest[n:]
            elif rest[:1] == "Z":
                rest = rest[1:]
            else:
                if len(rest) < 6 or rest[3] != ":":
                    raise _Bad
                sign, hh, mm, rest = rest[0], rest[1:3], rest[4:6], rest[6:]
                hr, _ = _getnum(hh, True)
                bad = False
                try:
                    mi, _ = _getnum(mm, True)
                except _Bad:
                    mi, bad = 0, True
                if hr > 24:
                    range_err = "time zone offset hour"
                if mi > 60:
                    range_err = "time zone offset minute"
                if bad or sign not in "+-":
                    raise _Bad
                offset = (hr * 60 + mi) * 60 * (1 if sign == "+" else -1)
        except _Bad:
            if range_err:
                raise range_fail(range_err) from None
            raise fail(std, hold) from None
        if range_err:
            raise range_fail(range_err)
    if rest:
        raise GoTimeError(f"parsing time {_quote(value)}: extra text: {_quote(rest)}")
    year, month, day = fields["year"], fields["month"], fields["day"]
    if day < 1 or day > _days_in(month, year):
        raise range_fail("day")
    days = _days_from_civil(year, month, day)
    seconds = days * 86400 + fields["hour"] * 3600 + fields["minute"] * 60 + fields["second"]
    return (seconds - offset) * 1_000_000_000 + nsec


#: Seconds of 0001-01-01 and of 9999-12-31T23:59:59, UTC: the range ``datetime`` covers.
_FIRST, _LAST = -62135596800, 253402300799


def ns_to_datetime(ns: int) -> datetime | None:
    """Unix nanoseconds as an aware UTC datetime (None outside years 1-9999)."""
    from datetime import UTC, datetime, timedelta  # only reports that show an expiry need it

    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)
    except OverflowError:
        return None


def format_ns(ns: int) -> str:
    """``2026-01-02T03:04:05Z`` (or the raw millisecond count outside years 1-9999)."""
    seconds = ns // 1_000_000_000
    if not _FIRST <= seconds <= _LAST:
        return f"{ns // 1_000_000} ms since the epoch"
    t = time.gmtime(seconds)
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}Z"
    )

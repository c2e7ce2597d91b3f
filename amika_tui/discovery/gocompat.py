"""Small re-creations of Go standard library behaviour that shows in upstream's output.

`amika auth extract` is written in Go; its error messages quote paths with
``strconv.Quote``, trim with ``strings.TrimSpace`` (Unicode spaces, but not the
ASCII separators 0x1c-0x1f that Python's ``str.strip`` also removes), join paths
with ``filepath.Join`` (which cleans them) and spell OS errors the Go way.
"""

from __future__ import annotations

import errno
import os

__all__ = [
    "go_clean",
    "go_join",
    "go_lower",
    "go_os_error",
    "go_quote",
    "go_trim_space",
    "go_upper",
]

#: ``unicode.IsSpace``: Python's whitespace minus the ASCII separators 0x1c-0x1f.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)

_SIMPLE_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x0B: "\\v",
}


def go_trim_space(s: str) -> str:
    """``strings.TrimSpace``."""
    return s.strip(_GO_SPACE)


def _simple_case(s: str, upper: bool) -> str:
    out = []
    for ch in s:
        mapped = ch.upper() if upper else ch.lower()
        # Go maps rune by rune (simple case mapping); full mappings such as
        # "ß" -> "SS" leave the rune alone.
        if len(mapped) != 1:
            mapped = "i" if ch == "\u0130" and not upper else ch
        out.append(mapped)
    return "".join(out)


def go_lower(s: str) -> str:
    """``strings.ToLower``."""
    return _simple_case(s, upper=False)


def go_upper(s: str) -> str:
    """``strings.ToUpper``."""
    return _simple_case(s, upper=True)


#: Graphic characters new in Unicode 15.0 (the tables of Go 1.21 and later), as inclusive
#: ranges: Python 3.11 knows Unicode 14.0 only, so ``strconv.Quote`` would print these
#: where a category look-up here says "unassigned". Checked against Go 1.25's
#: ``strconv.IsPrint`` over every code point.
_UNICODE_15_GRAPHIC = (
    (0x0CF3, 0x0CF3), (0x0ECE, 0x0ECE), (0x10EFD, 0x10EFF), (0x1123F, 0x11241),
    (0x11B00, 0x11B09), (0x11F00, 0x11F10), (0x11F12, 0x11F3A), (0x11F3E, 0x11F59),
    (0x1342F, 0x1342F), (0x13440, 0x13455), (0x1B132, 0x1B132), (0x1B155, 0x1B155),
    (0x1D2C0, 0x1D2D3), (0x1DF25, 0x1DF2A), (0x1E030, 0x1E06D), (0x1E08F, 0x1E08F),
    (0x1E4D0, 0x1E4F9), (0x1F6DC, 0x1F6DC), (0x1F774, 0x1F776), (0x1F77B, 0x1F77F),
    (0x1F7D9, 0x1F7D9), (0x1FA75, 0x1FA77), (0x1FA87, 0x1FA88), (0x1FAAD, 0x1FAAF),
    (0x1FABB, 0x1FABD), (0x1FABF, 0x1FABF), (0x1FACE, 0x1FACF), (0x1FADA, 0x1FADB),
    (0x1FAE8, 0x1FAE8), (0x1FAF7, 0x1FAF8), (0x2B739, 0x2B739), (0x31350, 0x323AF),
)  # fmt: skip
_UNICODE_15_STARTS = [start for start, _ in _UNICODE_15_GRAPHIC]


def _is_go_printable(ch: str) -> bool:
    """``strconv.IsPrint`` of Go 1.25 (Unicode 15.0): letters, marks, numbers,
    punctuation, symbols and the ASCII space."""
    import bisect  # only text with non-ASCII characters gets here
    import unicodedata

    if ch == " " or unicodedata.category(ch)[0] in "LMNPS":
        return True
    if int(unicodedata.unidata_version.split(".")[0]) >= 15:
        return False
    code = ord(ch)
    index = bisect.bisect_right(_UNICODE_15_STARTS, code) - 1
    return index >= 0 and code <= _UNICODE_15_GRAPHIC[index][1]


def go_quote(s: str) -> str:
    """``strconv.Quote`` (undecodable path bytes, kept as surrogate escapes, become ``\\xNN``)."""
    data = s.encode("utf-8", "surrogateescape")
    out = ['"']
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            ch = chr(b)
            i += 1
            if ch in '"\\':
                out.append("\\" + ch)
            elif b in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[b])
            elif b < 0x20 or b == 0x7F:
                out.append(f"\\x{b:02x}")
            else:
                out.append(ch)
            continue
        width = 2 if b >= 0xC0 else 1
        if b >= 0xE0:
            width = 3
        if b >= 0xF0:
            width = 4
        chunk = data[i : i + width]
        try:
            ch = chunk.decode("utf-8")
        except UnicodeDecodeError:
            out.append(f"\\x{b:02x}")
            i += 1
            continue
        i += width
        if _is_go_printable(ch):
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_clean(path: str) -> str:
    """``filepath.Clean`` on POSIX."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    joined = "/".join(parts)
    if rooted:
        return "/" + joined
    return joined or "."


def go_join(*elems: str) -> str:
    """``filepath.Join``: empty elements are ignored and the result is cleaned."""
    kept = [e for e in elems if e]
    if not kept:
        return ""
    return go_clean("/".join(kept))


def _errno_text(err: OSError) -> str:
    if err.errno is not None:
        text = os.strerror(err.errno)
        if err.errno == errno.ENOENT:
            return "no such file or directory"
        return text[:1].lower() + text[1:]
    return str(err)


def go_os_error(op: str, path: str, err: OSError) -> str:
    """A ``*fs.PathError`` message: ``open /p: permission denied``."""
    return f"{op} {path}: {_errno_text(err)}"

"""Small re-creations of Go standard library behaviour that shows in upstream's output.

`amika auth extract` is written in Go; its error messages quote paths with
``strconv.Quote``, trim with ``strings.TrimSpace`` (Unicode spaces, but not the
ASCII separators 0x1c-0x1f that Python's ``str.strip`` also removes), join paths
with ``filepath.Join`` (which cleans them) and spell OS errors the Go way.
"""

from __future__ import annotations

import errno
import os
import unicodedata

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


def _is_go_printable(ch: str) -> bool:
    if ch == " ":
        return True
    return unicodedata.category(ch)[0] in "LMNPS"


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

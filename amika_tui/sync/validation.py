"""What the API would refuse in a generic secret, found before anything is sent.

One function, `secret_problem`, decides it for every way of pushing (the import dialog's
plan, `amika-tui push`, typed secrets), so a row the server would answer with a 400 is shown
as invalid, with the reason, instead of failing in the middle of a push.

The limits are the reference server's (``amika_tui/server/validation.py``; the client does
not import the server, so they are written down again here). The hosted API publishes no
limits; upstream's docs say an empty value is allowed, and both servers accept one.
"""

from __future__ import annotations

import string
import unicodedata

__all__ = [
    "MAX_NAME_CHARS",
    "MAX_VALUE_BYTES",
    "name_problem",
    "secret_problem",
    "typed_name_problem",
]

MAX_NAME_CHARS = 256
"""Longest name the server stores."""
MAX_VALUE_BYTES = 64 * 1024
"""Largest value (UTF-8) the server stores."""


_NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_")


def secret_problem(name: str, value: str) -> str | None:
    """Why a generic secret ``name`` = ``value`` cannot be pushed, or None when it can.

    The sentence names the problem and never contains the value. Names must be environment
    variable names (secrets are injected into sandboxes as variables), which also rules out
    the control characters the server refuses.
    """
    return name_problem(name) or value_problem(value)


def value_problem(value: str) -> str | None:
    """Why ``value`` cannot be a generic secret's value, or None when it can (never quotes
    the value)."""
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        # A value read from a non-UTF-8 environment carries lone surrogates (surrogateescape).
        return "the value is not valid UTF-8 text"
    if size > MAX_VALUE_BYTES:
        return f"the value is larger than the server's limit of {MAX_VALUE_BYTES // 1024} KiB"
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a generic secret's name, or None when it can (the name part
    of `secret_problem`; the sentence quotes at most the offending character)."""
    if name == "":
        return "the name is empty"
    why = _character_problem(name)
    if why is not None:
        return f"not a valid environment variable name: {why}"
    if len(name) > MAX_NAME_CHARS:
        return f"the name is longer than {MAX_NAME_CHARS} characters"
    return None


def typed_name_problem(name: str) -> str | None:
    """Why no name beginning with ``name`` can be valid, or None while one still can (an
    empty name included): what a name field refuses to take as it is typed."""
    if len(name) > MAX_NAME_CHARS:
        return f"a name has at most {MAX_NAME_CHARS} characters"
    if name and name[0] in string.digits:
        return "a name cannot start with a digit"
    bad = _bad_character(name)
    if bad is None:
        return None
    return f"{_describe(bad)} is not allowed in a name (letters, digits and _ only)"


def _character_problem(name: str) -> str | None:
    """What keeps ``name`` from being ``[A-Za-z_][A-Za-z0-9_]*`` (None when nothing does)."""
    if name and name[0] in string.digits:
        return "it starts with a digit"
    bad = _bad_character(name)
    if bad is None:
        return None
    return f"{_describe(bad)} is not allowed (letters, digits and _ only)"


def _bad_character(name: str) -> str | None:
    """The first character of ``name`` that no secret name may hold."""
    return next((c for c in name if c not in _NAME_CHARACTERS), None)


def _describe(character: str) -> str:
    """A character named so that it can be read in a sentence: ``'-'``, a space, U+0007."""
    names = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
    if character in names:
        return names[character]
    if not character.isprintable() or unicodedata.category(character).startswith("Z"):
        return f"the character U+{ord(character):04X}"
    return repr(character)

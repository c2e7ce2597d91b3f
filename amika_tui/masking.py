"""Masking of secret values for display (no dependencies, so every layer can import it).

- `mask_on_screen`: what the terminal UI shows, everywhere. A fixed width, so neither the
  value's length nor more than a short prefix shows.
- `mask`: the official CLI's exact mask (first and last 4 characters, the length kept). Only
  where byte parity with the CLI is the point (`amika-tui extract --json`).
- `mask_fixed`: `amika-tui push`'s plan table (first and last 4, a fixed width).
"""

from __future__ import annotations

__all__ = ["SCREEN_MASK_WIDTH", "mask", "mask_fixed", "mask_on_screen"]

_SHORT = 12
_KEEP = 4
_FIXED_STARS = 8
_PREFIX_FROM = 16
"""Values at least this long show their first `_KEEP` characters on screen (a quarter at
most); shorter ones show none."""
SCREEN_MASK_WIDTH = 12
"""Characters `mask_on_screen` returns for any non-empty value."""


def mask(value: str) -> str:
    """Mask ``value`` for display.

    Values of 12 characters or fewer become all ``*`` (same length); longer ones keep
    their first 4 and last 4 characters with ``*`` in between, as the CLI does.
    """
    if len(value) <= _SHORT:
        return "*" * len(value)
    return value[:_KEEP] + "*" * (len(value) - 2 * _KEEP) + value[-_KEEP:]


def mask_fixed(value: str) -> str:
    """``mask(value)`` at a fixed width, so the value's length does not show.

    The same characters stay visible as with `mask` (the first and last 4 of a value longer
    than 12), with always 8 ``*`` between them; a shorter value is 8 ``*``, an empty one
    ``(empty)``. A kept character that is not printable (a line break, an escape) becomes
    ``*`` too, so the result is one line that is safe to write to a terminal.
    """
    if value == "":
        return "(empty)"
    if len(value) <= _SHORT:
        return "*" * _FIXED_STARS
    ends = (value[:_KEEP], value[-_KEEP:])
    head, tail = ("".join(c if c.isprintable() else "*" for c in part) for part in ends)
    return head + "*" * _FIXED_STARS + tail


def mask_on_screen(value: str) -> str:
    """The mask the terminal UI shows for ``value``: always `SCREEN_MASK_WIDTH` characters.

    A value of 16 characters or more keeps its first 4 (enough to tell ``sk-ant-…`` from
    ``ghp_…``) followed by 8 ``*``; a shorter one is 12 ``*``; an empty one ``(empty)``. So
    the length never shows, and no more than a quarter of a value. A kept character that is
    white space or not printable (a line break, an escape) becomes a space: the result is
    one line that is safe to write to a terminal.
    """
    if value == "":
        return "(empty)"
    if len(value) < _PREFIX_FROM:
        return "*" * SCREEN_MASK_WIDTH
    head = "".join(c if c.isprintable() and not c.isspace() else " " for c in value[:_KEEP])
    return head + "*" * (SCREEN_MASK_WIDTH - _KEEP)

"""Masking of secret values for display: the one rule used everywhere (no dependencies,
so every layer can import it)."""

from __future__ import annotations

__all__ = ["mask", "mask_fixed"]

_SHORT = 12
_KEEP = 4
_FIXED_STARS = 8


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

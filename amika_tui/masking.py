"""Masking of secret values for display: the one rule used everywhere (no dependencies,
so every layer can import it)."""

from __future__ import annotations

__all__ = ["mask"]

_SHORT = 12
_KEEP = 4


def mask(value: str) -> str:
    """Mask ``value`` for display.

    Values of 12 characters or fewer become all ``*`` (same length); longer ones keep
    their first 4 and last 4 characters with ``*`` in between, as the CLI does.
    """
    if len(value) <= _SHORT:
        return "*" * len(value)
    return value[:_KEEP] + "*" * (len(value) - 2 * _KEEP) + value[-_KEEP:]

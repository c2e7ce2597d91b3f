"""Small text helpers shared by the tables."""

from __future__ import annotations

__all__ = ["ellipsis"]


def ellipsis(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with a final ``…`` when longer."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…" if width > 0 else ""

"""Small text helpers shared by the tables (widths in terminal cells, not characters:
a CJK character takes two)."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size, set_cell_size

__all__ = ["ellipsis", "fit"]


def ellipsis(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` cells with a final ``…`` when wider."""
    text = text.replace("\n", " ")
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for character in text:
        used += get_character_cell_size(character)
        if used > width - 1:
            break
        kept.append(character)
    return "".join(kept) + "…"  # one cell short when a wide character did not fit


def fit(text: str, width: int) -> str:
    """``text`` cut with `ellipsis` and padded with spaces to exactly ``width`` cells."""
    return set_cell_size(ellipsis(text, width), width)

"""`ReviewTable`: the rows of generic-secret plans under review, each ticked or not.

One widget for every review of a `SecretPlan`: the import dialog's preview (one plan) and
the review of the Secrets screen's staged edits (one plan per scope, with a Scope column).
A row shows a tick, the key, the value masked until revealed (``v``; ``V`` every row;
masked again after the app's delay), the action (create / update / scope conflict with
its choice / invalid) and a note. What the user chose lives in a `SecretReview`
(`amika_tui.sync.review`); the table is a `VirtualTable`, so a 5,000-line file costs one
screenful to draw, and a change one row's measuring.

A screen showing one binds the row keys with `review_bindings` and gets their actions
from `ReviewKeys`; it listens for `ReviewTable.Changed` (ticks, choices, reveals) and
`ReviewTable.CursorMoved` to keep its summary and the cursor row's `detail` current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.strip import Strip

from amika_tui.sync.plan import RowKind, SecretPlan, SecretPlanRow
from amika_tui.sync.review import RowId, SecretReview
from amika_tui.ui.text import ellipsis
from amika_tui.ui.widgets.revealable import Reveal
from amika_tui.ui.widgets.virtual_table import VirtualTable

__all__ = ["ReviewKeys", "ReviewTable", "review_bindings", "row_cells", "row_detail"]

KEY_CELL = 40
"""Keys are cut to this many cells in the table; the line under it shows the whole."""
_CHECK = 3
"""Cells of the tick column (``[x]``, ``[ ]``, `` - ``)."""
_PADDING = 1
"""Blank cells each side of every cell."""
_ALL = None
"""The `Reveal` key meaning every row, whatever rows a re-plan gives."""
_COLUMN_META = tuple(Style.from_meta({"column": column}) for column in range(6))


def row_cells(row: SecretPlanRow, shown_value: str) -> tuple[str, str, str, str, str]:
    """(check, key, value, action, note) for one row, the value as shown (masked or not)."""
    check = " - " if row.kind is RowKind.INVALID else "[x]" if row.will_push else "[ ]"
    if row.kind is RowKind.SCOPE_CONFLICT:
        action = f"conflict → {row.action_text}"
    else:
        action = row.action_text
    note = row.reason or ""
    if row.line:
        note = f"line {row.line}" + (f": {note}" if note else "")
    value = shown_value.replace("\n", "⏎")
    if not value.isprintable():  # a revealed tab or escape must not reach the terminal
        value = "".join(c if c.isprintable() else " " for c in value)
    return check, ellipsis(row.key, KEY_CELL), value, action, note


def row_detail(row: SecretPlanRow) -> str:
    """The cursor row whole: its key, line and note (the table cuts long ones off), and
    the keys for that row."""
    keys = ["space select"] if row.kind is not RowKind.INVALID else []
    if row.kind is RowKind.SCOPE_CONFLICT:
        keys.append("c conflict choice")
    keys.append("v reveal")
    note = row_cells(row, "")[4]
    return (
        f"{row.key}: {note}  ({' · '.join(keys)})" if note else f"{row.key}  ({' · '.join(keys)})"
    )


def review_bindings(prefix: str) -> list[BindingType]:
    """The row keys of a screen showing a `ReviewTable` (actions from `ReviewKeys`);
    binding ids start with ``prefix``."""
    return [
        Binding(
            "space",
            "toggle_row",
            "Toggle row",
            id=f"{prefix}-toggle-row",
            tooltip="Tick / untick the row (a conflict: its next choice)",
        ),
        Binding(
            "a",
            "select_all(True)",
            "All",
            id=f"{prefix}-select-all",
            tooltip="Tick every row that can be pushed",
        ),
        Binding(
            "x", "select_all(False)", "None", id=f"{prefix}-select-none", tooltip="Untick every row"
        ),
        Binding(
            "v",
            "reveal_row",
            "Reveal",
            id=f"{prefix}-reveal",
            tooltip="Show / mask the row's value (masked again after 30 s)",
        ),
        Binding(
            "V",
            "reveal_all",
            "Reveal all",
            id=f"{prefix}-reveal-all",
            tooltip="Show / mask every value (masked again after 30 s)",
        ),
        Binding(
            "c",
            "cycle_conflict",
            "Conflict choice",
            show=False,
            id=f"{prefix}-conflict",
            tooltip="A conflict: skip, update the other scope's, or create one here too",
        ),
    ]


class ReviewTable(VirtualTable):
    """The rows of the plans under review (`show`), values masked until revealed.

    | Key | Action |
    | :- | :- |
    | up/down, page up/down, home/end | Move the cursor |
    | left/right | Scroll sideways (long notes) |
    | enter, a click on the tick or on the cursor row | Tick / untick (`toggle_row`) |
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "toggle_row", show=False)]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "review-table--header",
        "review-table--cursor",
        "review-table--even-row",
        "review-table--odd-row",
    }

    class Changed(VirtualTable.TableMessage):
        """Ticks, conflict choices or what is revealed changed (handler:
        ``on_review_table_changed``)."""

    class CursorMoved(VirtualTable.TableMessage):
        """The cursor moved (handler: ``on_review_table_cursor_moved``)."""

    def __init__(self, *, show_scope: bool = False, id: str | None = None) -> None:
        """Args:
        show_scope: Add a Scope column (rows of plans into more than one scope).
        id: The widget's id.
        """
        super().__init__(id=id)
        self.review = SecretReview()
        """The plans shown, and what the user chose on them."""
        self.revealed: Reveal[RowId | None] = Reveal(self, self._reveal_changed)
        """Rows shown in clear, by id; `_ALL` for "reveal all" (whatever the rows)."""
        self._show_scope = show_scope
        labels = ["", "Key", "Scope", "Value", "Action", "Note"]
        if not show_scope:
            labels.remove("Scope")
        self._labels = tuple(labels)
        self._widths = [_CHECK, *(cell_len(label) for label in labels[1:])]
        """Content cells of each column: the widest cell shown so far (a column widens
        for a wider cell, never narrows: the table does not jump while ticking)."""

    # --- rows ----------------------------------------------------------------------------

    def show(self, plans: Sequence[SecretPlan], *, keep_choices: bool = True) -> None:
        """Show ``plans`` (every pushable row ticked) with the choices made so far applied
        (by plan and key), or afresh."""
        self.review.replan(plans, keep_choices=keep_choices)
        self._changed(None)

    @property
    def row_count(self) -> int:
        return len(self.review)

    @property
    def current(self) -> SecretPlanRow | None:
        """The row under the cursor; None when there are no rows."""
        return self.review.row(self.cursor_row) if self.row_count else None

    def cells(self, position: int) -> tuple[str, ...]:
        """What the row at ``position`` shows, column by column (values as revealed)."""
        row_id, row = self.review.entry(position)
        shown = self.revealed.shown(_ALL if _ALL in self.revealed else row_id, row.value)
        check, key, value, action, note = row_cells(row, shown)
        if self._show_scope:
            return check, key, str(row.scope), value, action, note
        return check, key, value, action, note

    def detail(self) -> str:
        """The cursor row's `row_detail`; empty without rows."""
        row = self.current
        return row_detail(row) if row is not None else ""

    def _changed(self, positions: Iterable[int] | None) -> None:
        """Rows at ``positions`` (None: any) changed: widen what they need, redraw, say so."""
        changed = range(self.row_count) if positions is None else positions
        if self._widen(self.cells(position) for position in changed) or positions is None:
            self.rows_changed()
        else:
            self.refresh()
        self.post_message(self.Changed(self))

    def _widen(self, rows: Iterable[tuple[str, ...]]) -> bool:
        """Widen each column to its widest cell in ``rows``; True when one widened."""
        widened = False
        for column, cells in enumerate(zip(*rows, strict=True)):
            # A character takes at most two cells: most columns need no measuring.
            if column == 0 or 2 * max(map(len, cells)) <= self._widths[column]:
                continue
            widest = max(map(cell_len, cells))
            if widest > self._widths[column]:
                self._widths[column] = widest
                widened = True
        return widened

    def cursor_moved(self) -> None:
        self.post_message(self.CursorMoved(self))

    # --- what the keys do ----------------------------------------------------------------

    def toggle_row(self) -> None:
        """Tick or untick the row under the cursor (a conflict: its next choice); an
        invalid row says why it cannot be pushed."""
        if not self.row_count:
            return
        reason = self.review.toggle(self.cursor_row)
        if reason is not None:
            self.notify(reason, severity="warning")
            return
        self._changed([self.cursor_row])

    def action_toggle_row(self) -> None:
        """Tick or untick the row under the cursor."""
        self.toggle_row()

    def cycle_conflict(self) -> None:
        """For a scope conflict under the cursor: skip it, update the other scope's secret,
        or create one in this scope too (two will then exist)."""
        if self.row_count and self.review.cycle(self.cursor_row):
            self._changed([self.cursor_row])

    def select_all(self, selected: bool) -> None:
        """Tick every row that can be pushed, or none."""
        if self.review.plans:
            self.review.select_all(selected)
            self._changed(None)

    def reveal_row(self) -> None:
        """Show (or mask again) the value of the row under the cursor."""
        if not self.row_count:
            return
        if _ALL in self.revealed:  # everything shown: masking one masks them all
            self.revealed.hide_all()
            return
        self.revealed.toggle(self.review.row_id(self.cursor_row))

    def reveal_all(self) -> None:
        """Show every value (also after a re-plan), or mask them all when some are shown."""
        if not self.review.plans:
            return
        if self.revealed:
            self.revealed.hide_all()
        else:
            self.revealed.reveal(_ALL)

    def _reveal_changed(self, row_id: RowId | None) -> None:
        if row_id is _ALL:
            self._changed(None)
            return
        position = self.review.position(row_id)
        self._changed([] if position is None else [position])

    # --- mouse ---------------------------------------------------------------------------

    async def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to its row; on the tick, or on the row already under
        the cursor, it also ticks or unticks it."""
        offset = event.get_content_offset(self)
        row = None if offset is None else self.row_at(offset)
        if offset is None or row is None:
            return
        event.stop()
        again = row == self.cursor_row
        self.cursor_row = row
        on_tick = int(self.scroll_x) + offset.x < _CHECK + 2 * _PADDING
        if again or on_tick:
            self.toggle_row()

    # --- drawing -------------------------------------------------------------------------

    def content_width(self) -> int:
        return sum(self._widths) + 2 * _PADDING * len(self._widths)

    def _line(self, cells: Iterable[str], width: int, style: Style) -> Strip:
        pad = " " * _PADDING
        # A segment per cell, as DataTable draws them: the column in the style keeps the
        # compositor from merging them, so a screenshot places each cell on the grid.
        segments = [
            Segment(pad + set_cell_size(cell, cells_wide) + pad, style + _COLUMN_META[column])
            for column, (cell, cells_wide) in enumerate(zip(cells, self._widths, strict=True))
        ]
        return Strip(segments).adjust_cell_length(width, style)

    def render_header(self, width: int, base: Style) -> Strip:
        header = self.get_component_rich_style("review-table--header")
        return self._line(self._labels, width, header)

    def render_row(self, index: int, width: int, base: Style) -> Strip:
        stripe = "review-table--odd-row" if index % 2 else "review-table--even-row"
        style = self.get_component_rich_style(stripe)
        if index == self.cursor_row:
            style += self.get_component_rich_style("review-table--cursor")
        return self._line(self.cells(index), width, style)


class ReviewKeys:
    """The actions of the row keys (`review_bindings`) for a screen whose `table` is a
    `ReviewTable`."""

    @property
    def table(self) -> ReviewTable:
        """The screen's review table."""
        raise NotImplementedError

    def action_toggle_row(self) -> None:
        """Include or leave out the row under the cursor (a conflict: its next choice)."""
        self.table.toggle_row()

    def action_cycle_conflict(self) -> None:
        """For a scope conflict: skip it, update the other scope's secret, or create one in
        this scope too (two will then exist)."""
        self.table.cycle_conflict()

    def action_select_all(self, selected: bool) -> None:
        """Select every row that can be pushed, or none."""
        self.table.select_all(selected)

    def action_reveal_row(self) -> None:
        """Show (or mask again) the value of the row under the cursor."""
        self.table.reveal_row()

    def action_reveal_all(self) -> None:
        """Show every value, or mask them all when some are shown."""
        self.table.reveal_all()

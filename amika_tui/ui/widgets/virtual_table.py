"""`VirtualTable`: the base of the tables that stay fast at any number of rows.

A header line, then one line per row, and a cursor row. Only the lines in view are drawn
(Textual's line API): showing, changing or scrolling rows costs list work plus one
screenful of drawing, never a rebuild of thousands of widgets or cells. `SecretsTable`
(100,000 secrets) and `ReviewTable` (a 5,000-line `.env`) are built on it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["VirtualTable"]


class VirtualTable(ScrollView, can_focus=True):
    """A scrollable table drawn line by line; subclasses say what the lines are.

    A subclass gives `row_count`, `render_header` and `render_row`, and (when its rows are
    wider than the widget) `content_width`; it calls `rows_changed` when its rows change
    in number or width, and `refresh` when only their text changed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home,ctrl+home", "jump(0)", show=False),
        Binding("end,ctrl+end", "jump(-1)", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row."""

    class TableMessage(Message):
        """Base of the tables' messages: ``control`` is the table that sent it."""

        def __init__(self, table: VirtualTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> VirtualTable:
            return self.table

    # --- what subclasses give ------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the table has."""
        raise NotImplementedError

    def content_width(self) -> int:
        """Cells a row takes; 0 (the default): rows fit the widget, no horizontal scroll."""
        return 0

    def render_header(self, width: int, base: Style) -> Strip:
        """The header line, ``width`` cells wide."""
        raise NotImplementedError

    def render_row(self, index: int, width: int, base: Style) -> Strip:
        """Row ``index`` (in range), ``width`` cells wide."""
        raise NotImplementedError

    def cursor_moved(self) -> None:
        """Called after the cursor moved (to tell the screen what is under it)."""

    # --- rows ----------------------------------------------------------------------------

    def rows_changed(self) -> None:
        """The rows changed in number or width: size the scroll area again, keep the
        cursor in range, and redraw."""
        self._size_scroll_area()
        self.cursor_row = self.cursor_row
        self.refresh()

    def row_at(self, offset: Offset) -> int | None:
        """The row at ``offset`` in the content region; None on the header or past the
        last row."""
        row = int(self.scroll_y) + offset.y - 1
        return row if offset.y >= 1 and 0 <= row < self.row_count else None

    def on_resize(self, event: events.Resize) -> None:
        self._size_scroll_area()

    def _size_scroll_area(self) -> None:
        """What can be scrolled: every row's width, the header and one line per row."""
        self.virtual_size = Size(self.content_width(), self.row_count + 1)

    # --- cursor --------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, row: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.cursor_moved()

    def _scroll_cursor_into_view(self) -> None:
        body = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by ``delta`` rows."""
        self.cursor_row += delta

    def action_page(self, direction: int) -> None:
        """Move the cursor by a page."""
        self.cursor_row += direction * max(self.scrollable_content_region.height - 2, 1)

    def action_jump(self, row: int) -> None:
        """Go to the first (0) or last (-1) row."""
        self.cursor_row = row if row >= 0 else self.row_count - 1

    # --- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        full = max(width, self.content_width())
        if y == 0:
            strip = self.render_header(full, base)
        else:
            index = int(self.scroll_y) + y - 1
            if index >= self.row_count:
                return Strip.blank(width, base)
            strip = self.render_row(index, full, base)
        scroll_x = int(self.scroll_x)
        if scroll_x or full != width:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

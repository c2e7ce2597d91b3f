"""`SecretsTable`: a virtual table of generic secrets that stays fast at 100,000 rows.

Only the visible lines are rendered (`VirtualTable`), so filtering, sorting and
scrolling cost O(rows) list work plus one screenful of drawing — never a rebuild of
thousands of widgets or cells. The pure helpers (`sort_secrets`, `relative_time`; the
name filter lives in `amika_tui.sync.filtering` and is re-exported here) are tested
without an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from amika_tui.api import Scope, Secret
from amika_tui.masking import mask_on_screen
from amika_tui.sync.filtering import filter_secrets, match_span
from amika_tui.sync.staged import StagedChanges
from amika_tui.ui.text import fit
from amika_tui.ui.widgets.virtual_table import VirtualTable

__all__ = [
    "SecretsTable",
    "SortKey",
    "filter_secrets",
    "relative_time",
    "sort_secrets",
]


class SortKey(StrEnum):
    """Columns the table can be sorted by."""

    NAME = "name"
    SCOPE = "scope"
    DESCRIPTION = "description"
    UPDATED = "updated"
    CREATED_BY = "created_by"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its sort key, header label and width rule."""

    key: SortKey
    label: str
    width: int
    """Fixed width in cells, or 0 for a share of what is left."""


COLUMNS: tuple[Column, ...] = (
    Column(SortKey.NAME, "Name", 0),
    Column(SortKey.SCOPE, "Scope", 7),
    Column(SortKey.DESCRIPTION, "Description", 0),
    Column(SortKey.UPDATED, "Updated", 12),
    Column(SortKey.CREATED_BY, "Created by", 14),
)


def relative_time(moment: datetime, now: datetime) -> str:
    """``just now``, ``5 min ago``, ``3 h ago``, ``2 days ago``, else the date."""
    seconds = (now - moment).total_seconds()
    if seconds < 45:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    if days < 30:
        return f"{days} day{'s' if days != 1 else ''} ago"
    return moment.strftime("%Y-%m-%d")


def _sort_value(key: SortKey, me: str | None) -> Callable[[Secret], tuple[object, ...]]:
    if key is SortKey.NAME:
        return lambda s: (s.name.casefold(), s.name)
    if key is SortKey.SCOPE:
        return lambda s: (s.scope.value, s.name.casefold())
    if key is SortKey.DESCRIPTION:
        return lambda s: ((s.description or "").casefold(), s.name.casefold())
    if key is SortKey.UPDATED:
        return lambda s: (s.updated_at, s.name.casefold())
    return lambda s: (created_by(s, me), s.name.casefold())


def sort_secrets(
    secrets: list[Secret], key: SortKey, *, reverse: bool = False, me: str | None = None
) -> list[Secret]:
    """A sorted copy (ties broken by name)."""
    if key is SortKey.NAME:
        # Two stable passes rather than one on (casefold, name) tuples: at 100,000
        # secrets a pass's keys are ~7 MB, the tuples twice that (start-up's peak memory).
        ordered = sorted(secrets, key=attrgetter("name"), reverse=reverse)
        ordered.sort(key=lambda s: s.name.casefold(), reverse=reverse)
        return ordered
    return sorted(secrets, key=_sort_value(key, me), reverse=reverse)


def created_by(secret: Secret, me: str | None) -> str:
    """``you`` for the signed-in user's own secrets, else the creator's user id."""
    if secret.scope is Scope.USER or (me is not None and secret.user_id == me):
        return "you"
    return secret.user_id or "—"


class SecretsTable(VirtualTable):
    """Scrollable table of secrets with a cursor, a match highlight and sortable headers.

    | Key | Action |
    | :- | :- |
    | up/down, page up/down, home/end | Move the cursor |
    | enter | Activate the row (posts `RowActivated`) |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, tooltip="Previous secret"),
        Binding("down,j", "cursor(1)", "Down", show=False, tooltip="Next secret"),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False, tooltip="First secret"),
        Binding("end", "jump(-1)", "Last", show=False, tooltip="Last secret"),
        Binding(
            "enter",
            "activate",
            "Update",
            show=False,
            tooltip="Set a new value on the selected secret",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "secrets-table--header",
        "secrets-table--cursor",
        "secrets-table--match",
        "secrets-table--odd",
        "secrets-table--org",
        "secrets-table--staged",
    }

    activatable = True
    """False in a read-only session: enter is left to the screen (which explains why)."""

    class CursorMoved(VirtualTable.TableMessage):
        """The highlighted secret changed (handler: ``on_secrets_table_cursor_moved``)."""

        def __init__(self, table: SecretsTable, secret: Secret | None) -> None:
            super().__init__(table)
            self.secret = secret
            """The secret under the cursor, None when the table is empty."""

    class RowActivated(VirtualTable.TableMessage):
        """Enter or double click on a row (handler: ``on_secrets_table_row_activated``)."""

        def __init__(self, table: SecretsTable, secret: Secret) -> None:
            super().__init__(table)
            self.secret = secret
            """The activated secret."""

    class HeaderClicked(VirtualTable.TableMessage):
        """A column header was clicked (handler: ``on_secrets_table_header_clicked``)."""

        def __init__(self, table: SecretsTable, key: SortKey) -> None:
            super().__init__(table)
            self.key = key
            """Sort key of the clicked column."""

    def __init__(
        self,
        *,
        now: Callable[[], datetime],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._now = now
        self.rows: list[Secret] = []
        """The visible rows, in display order."""
        self.query_text = ""
        """The filter text whose matches are highlighted in the name column."""
        self.sort_key = SortKey.NAME
        self.sort_reverse = False
        self.me: str | None = None
        """The signed-in user's id when known (for the "created by" column)."""
        self.staged: StagedChanges | None = None
        """Staged edits: their rows are marked (new / changed) with the masked new value."""

    # --- data ----------------------------------------------------------------------------

    def show(
        self,
        rows: list[Secret],
        query: str,
        *,
        keep: Secret | None = None,
        keep_row: int | None = None,
    ) -> None:
        """Display ``rows``; keep the cursor on ``keep`` when it is still visible.

        A caller that knows where that secret now is passes ``keep_row`` instead (the
        search for ``keep`` walks the rows).
        """
        self.rows = rows
        self.query_text = query
        self.virtual_size = Size(0, len(rows) + 1)
        target = keep_row or 0
        if keep is not None and keep_row is None:
            for index, secret in enumerate(rows):
                if secret.id == keep.id:
                    target = index
                    break
        self.cursor_row = target
        self.refresh()

    @property
    def current(self) -> Secret | None:
        """The secret under the cursor."""
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows[self.cursor_row]
        return None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def cursor_moved(self) -> None:
        self.post_message(self.CursorMoved(self, self.current))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter (activate) only while rows can be opened for editing."""
        return self.activatable if action == "activate" else True

    def action_activate(self) -> None:
        """Open the row under the cursor."""
        if self.current is not None:
            self.post_message(self.RowActivated(self, self.current))

    async def on_click(self, event: events.Click) -> None:
        """Header: sort by that column. Row: move the cursor there; a double click opens it."""
        offset = event.get_content_offset(self)
        if offset is None:  # padding or scrollbar
            return
        if offset.y == 0:
            key = self._column_at(offset.x)
            if key is not None:
                self.post_message(self.HeaderClicked(self, key))
            return
        row = self.row_at(offset)
        if row is not None:
            self.cursor_row = row
            if event.chain >= 2:
                self.post_message(self.RowActivated(self, self.rows[row]))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Tooltip with exact times for the row under the pointer."""
        row = self.row_at(event.offset)
        if row is not None:
            secret = self.rows[row]
            self.tooltip = (
                f"{secret.name}\nupdated {secret.updated_at:%Y-%m-%d %H:%M:%S} UTC"
                f"\ncreated {secret.created_at:%Y-%m-%d %H:%M:%S} UTC"
            )
        else:
            self.tooltip = None

    # --- layout --------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        width = max(self.size.width, 20)
        fixed = sum(c.width for c in COLUMNS) + len(COLUMNS)  # one space after each column
        flexible = max(width - fixed, 10)
        name_width = max(flexible * 11 // 20, 6)
        description_width = max(flexible - name_width, 4)
        return [
            name_width if c.key is SortKey.NAME else description_width if c.width == 0 else c.width
            for c in COLUMNS
        ]

    def _column_at(self, x: int) -> SortKey | None:
        start = 0
        for column, width in zip(COLUMNS, self._widths(), strict=True):
            if start <= x < start + width + 1:
                return column.key
            start += width + 1
        return None

    # --- rendering -----------------------------------------------------------------------

    def render_header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("secrets-table--header")
        segments: list[Segment] = []
        for column, column_width in zip(COLUMNS, self._widths(), strict=True):
            label = column.label
            if column.key is self.sort_key:
                label += " ▼" if self.sort_reverse else " ▲"
            segments.append(Segment(fit(label, column_width) + " ", style))
        return Strip(segments).adjust_cell_length(width, style)

    def render_row(self, index: int, width: int, base: Style) -> Strip:
        secret = self.rows[index]
        style = base
        if index % 2:
            style += self.get_component_rich_style("secrets-table--odd")
        change = self.staged.get(secret.scope, secret.name) if self.staged else None
        if change is not None:  # before the cursor's style, so the cursor still shows
            style += self.get_component_rich_style("secrets-table--staged")
        if index == self.cursor_row and self.has_focus:
            style += self.get_component_rich_style("secrets-table--cursor")
        elif index == self.cursor_row:
            style += self.get_component_rich_style("secrets-table--cursor") + Style(dim=True)
        cells = [
            secret.name,
            secret.scope.value,
            secret.description or "",
            relative_time(secret.updated_at, self._now()),
            created_by(secret, self.me),
        ]
        if change is not None:
            cells[2] = f"→ {mask_on_screen(change.value)}"
            cells[3] = f"● {change.kind_text}"
        segments: list[Segment] = []
        for position, (text, column_width) in enumerate(zip(cells, self._widths(), strict=True)):
            cell = fit(text, column_width) + " "
            if position == 0 and self.query_text:
                segments.extend(self._highlight(cell, style))
            elif position == 1 and secret.scope is Scope.ORG:
                org = style + self.get_component_rich_style("secrets-table--org")
                segments.append(Segment(cell, org))
            else:
                segments.append(Segment(cell, style))
        return Strip(segments).adjust_cell_length(width, style)

    def _highlight(self, cell: str, style: Style) -> list[Segment]:
        span = match_span(cell, self.query_text)
        if span is None:
            return [Segment(cell, style)]
        start, end = span
        match = style + self.get_component_rich_style("secrets-table--match")
        return [
            Segment(cell[:start], style),
            Segment(cell[start:end], match),
            Segment(cell[end:], style),
        ]

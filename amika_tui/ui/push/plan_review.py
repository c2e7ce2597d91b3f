"""`PlanReviewScreen`: the import's review for plans that did not come from a file.

The staged edits of the Secrets screen are reviewed here: the same rows as the import
preview (`row_cells`: tick, key, masked value, create / update / scope conflict / invalid,
note), one plan per scope, rows deselectable and conflicts resolvable with the same keys.
It dismisses with the push items of what stays ticked (None: back, nothing pushed); the
caller hands them to `start_push(..., review=False)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import ConflictResolution, RowKind, SecretPlan, SecretPlanRow
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.dialogs.import_env import row_cells, row_detail
from amika_tui.ui.widgets.revealable import Reveal

__all__ = ["PlanReviewScreen"]

_RowId = tuple[int, str]
"""(index of the plan, key): a row of the review."""


class PlanReviewScreen(ModalScreen[list[PushItem] | None]):
    """Review ``plans`` (values masked) and push what stays ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,y", "confirm", "Push", id="plan-push", tooltip="Push the ticked rows"),
        Binding("escape,n", "cancel", "Back", id="plan-back", tooltip="Back, without pushing"),
        Binding(
            "space",
            "toggle_row",
            "Toggle row",
            id="plan-toggle-row",
            tooltip="Tick / untick the row (a conflict: its next choice)",
        ),
        Binding(
            "c",
            "cycle_conflict",
            "Conflict choice",
            show=False,
            id="plan-conflict",
            tooltip="A conflict: skip, update the other scope's, or create one here too",
        ),
        Binding(
            "v",
            "reveal_row",
            "Reveal",
            id="plan-reveal",
            tooltip="Show / mask the row's value (masked again after 30 s)",
        ),
        HELP_BINDING,
    ]

    def __init__(self, plans: Sequence[SecretPlan], *, title: str) -> None:
        super().__init__(classes="push-review plan-review")
        self.plans = list(plans)
        """The plans as the user left them (ticks and conflict choices applied)."""
        self.review_title = title
        self.revealed: Reveal[_RowId] = Reveal(self, lambda _: self._show())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.review_title, classes="dialog-title")
            yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="plan-row-detail")
            yield Static("", id="plan-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Push (y)", id="plan-push-button", variant="primary")
                yield Button("Back (n)", id="plan-back-button")

    def on_mount(self) -> None:
        table = self.table
        table.add_column("", key="check", width=3)
        for label in ("Key", "Scope", "Value", "Action", "Note"):
            table.add_column(label, key=label.lower())
        self._show()
        table.focus()

    # --- rows ----------------------------------------------------------------------------

    def _rows(self) -> list[tuple[_RowId, SecretPlanRow]]:
        return [((i, row.key), row) for i, plan in enumerate(self.plans) for row in plan.rows]

    def _show(self) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear()
        rows = self._rows()
        for row_id, row in rows:
            check, key, value, action, note = row_cells(row, self.revealed.shown(row_id, row.value))
            cells = (check, key, str(row.scope), value, action, note)
            table.add_row(*(Text(cell) for cell in cells))
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self._show_row_detail()
        to_push = self.items()
        self.query_one("#plan-summary", Static).update(
            f"{'; '.join(plan.summary() for plan in self.plans)}  ·  {len(to_push)} ticked to push"
        )
        self.query_one("#plan-push-button", Button).disabled = not to_push

    @on(DataTable.RowHighlighted, "#plan-table")
    def _show_row_detail(self) -> None:
        current = self._current()
        detail = row_detail(current[1]) if current is not None else ""
        self.query_one("#plan-row-detail", Static).update(Text(detail))

    def _current(self) -> tuple[_RowId, SecretPlanRow] | None:
        rows = self._rows()
        index = self.table.cursor_row
        return rows[index] if 0 <= index < len(rows) else None

    def items(self) -> list[PushItem]:
        """What a push now would write: the ticked rows, plan by plan."""
        return [item for plan in self.plans for item in plan.items()]

    # --- actions -------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#plan-table")
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle_row()

    def action_toggle_row(self) -> None:
        """Include or leave out the row under the cursor (a conflict: its next choice)."""
        current = self._current()
        if current is None:
            return
        (index, key), row = current
        if row.kind is RowKind.INVALID:
            self.notify(row.reason or "This row cannot be pushed.", severity="warning")
            return
        if row.kind is RowKind.SCOPE_CONFLICT:
            self.action_cycle_conflict()
            return
        self.plans[index] = self.plans[index].with_selected(key, not row.selected)
        self._show()

    def action_cycle_conflict(self) -> None:
        """For a scope conflict: skip it, update the other scope's secret, or create one in
        this scope too (two will then exist)."""
        current = self._current()
        if current is None or current[1].kind is not RowKind.SCOPE_CONFLICT:
            return
        (index, key), row = current
        choice = (row.resolution or ConflictResolution.SKIP).next()
        self.plans[index] = self.plans[index].with_resolution(key, choice)
        self._show()

    def action_reveal_row(self) -> None:
        """Show (or mask again) the value of the row under the cursor."""
        current = self._current()
        if current is not None:
            self.revealed.toggle(current[0])

    @on(Button.Pressed, "#plan-push-button")
    def action_confirm(self) -> None:
        """Push the ticked rows."""
        items = self.items()
        if not items:
            self.notify("Nothing ticked to push.", severity="warning")
            return
        self.dismiss(items)

    @on(Button.Pressed, "#plan-back-button")
    def action_cancel(self) -> None:
        """Back, without pushing (everything stays staged)."""
        self.dismiss(None)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#plan-table", DataTable)

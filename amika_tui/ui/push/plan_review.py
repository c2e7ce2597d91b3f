"""`PlanReviewScreen`: the import's review for plans that did not come from a file.

The staged edits of the Secrets screen are reviewed here in the import preview's table
(`ReviewTable`, with a Scope column: one plan per scope), rows deselectable and conflicts
resolvable with the same keys. It dismisses with the push items of what stays ticked
(None: back, nothing pushed); the caller hands them to `start_push(..., review=False)`.
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
from textual.widgets import Button, Static

from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import SecretPlan
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.push.review_table import ReviewKeys, ReviewTable, review_bindings

__all__ = ["PlanReviewScreen"]


class PlanReviewScreen(ReviewKeys, ModalScreen[list[PushItem] | None]):
    """Review ``plans`` (values masked) and push what stays ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,y", "confirm", "Push", id="plan-push", tooltip="Push the ticked rows"),
        Binding("escape,n", "cancel", "Back", id="plan-back", tooltip="Back, without pushing"),
        *review_bindings("plan"),
        HELP_BINDING,
    ]

    def __init__(self, plans: Sequence[SecretPlan], *, title: str) -> None:
        super().__init__(classes="push-review plan-review")
        self._plans = list(plans)
        self.review_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.review_title, classes="dialog-title")
            yield ReviewTable(show_scope=True, id="plan-table")
            yield Static("", id="plan-row-detail")
            yield Static("", id="plan-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Push (y)", id="plan-push-button", variant="primary")
                yield Button("Back (n)", id="plan-back-button")

    def on_mount(self) -> None:
        self.table.show(self._plans)
        self.table.focus()

    @property
    def plans(self) -> tuple[SecretPlan, ...]:
        """The plans as the user left them (ticks and conflict choices applied)."""
        return self.table.review.plans

    def items(self) -> list[PushItem]:
        """What a push now would write: the ticked rows, plan by plan."""
        return self.table.review.items()

    @on(ReviewTable.Changed, "#plan-table")
    def _show_summary(self) -> None:
        self._show_row_detail()
        to_push = self.table.review.to_push
        self.query_one("#plan-summary", Static).update(
            f"{self.table.review.summary()}  ·  {to_push} ticked to push"
        )
        self.query_one("#plan-push-button", Button).disabled = not to_push

    @on(ReviewTable.CursorMoved, "#plan-table")
    def _show_row_detail(self) -> None:
        self.query_one("#plan-row-detail", Static).update(Text(self.table.detail()))

    # --- actions -------------------------------------------------------------------------

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
    def table(self) -> ReviewTable:
        """The rows under review."""
        return self.query_one("#plan-table", ReviewTable)

"""`PushReviewScreen`: what a push will write, masked, before anything is sent."""

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

from amika_tui.masking import mask_on_screen
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.ui.dialogs.help import HELP_BINDING

__all__ = ["PushReviewScreen", "describe_item"]


def describe_item(item: PushItem) -> tuple[str, str, str, str]:
    """(what, name, scope, action) for a review row; never the value."""
    what = f"{item.provider} credential" if item.provider else "secret"
    action = str(item.action)
    if item.action is PushAction.REPLACE:
        action = f"replace ({len(item.replaces_ids)} deleted first)"
    return what, item.name, str(item.scope), action


class PushReviewScreen(ModalScreen[bool]):
    """Lists the items (values masked) with notes; dismisses True to push, False to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,y", "confirm", "Push", id="confirm-push", tooltip="Push the listed items"),
        Binding("escape,n", "cancel", "Cancel", id="cancel-push", tooltip="Back, without pushing"),
        HELP_BINDING,
    ]

    def __init__(self, items: Sequence[PushItem], *, title: str, notes: Sequence[str] = ()) -> None:
        super().__init__(classes="push-review")
        self.items = list(items)
        self.review_title = title
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.review_title, classes="dialog-title")
            for note in self.notes:
                yield Static(note, classes="push-note")
            yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            yield Static(f"{len(self.items)} to push.", id="review-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Push (y)", id="review-push", variant="primary")
                yield Button("Cancel (n)", id="review-cancel")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Kind", "Name", "Scope", "Action", "Value")
        for item in self.items:
            cells = (*describe_item(item), mask_on_screen(item.value))
            table.add_row(*(Text(cell) for cell in cells))
        self.query_one("#review-push", Button).focus()

    @on(Button.Pressed, "#review-push")
    def action_confirm(self) -> None:
        """Push the listed items."""
        self.dismiss(True)

    @on(Button.Pressed, "#review-cancel")
    def action_cancel(self) -> None:
        """Close without pushing."""
        self.dismiss(False)

"""`ErrorModal`: a failure nobody foresaw, shown until the user closes it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ErrorModal"]

_MAX_DETAIL = 300


def describe_unexpected(error: BaseException) -> str:
    """``Type: message`` of an exception, cut to a few lines (a long one is elided)."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return detail if len(detail) <= _MAX_DETAIL else detail[: _MAX_DETAIL - 1] + "…"


class ErrorModal(ModalScreen[None]):
    """What failed and why; enter or escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="close-error"),
    ]

    def __init__(self, title: str, error: BaseException) -> None:
        super().__init__(classes="error-modal")
        self.title_text = title
        """What was being done ("Listing secrets failed")."""
        self.detail = describe_unexpected(error)
        """The exception's type and message."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.detail, id="error-detail", markup=False)
            yield Static(
                "This was not expected. amika-tui keeps running; what you typed is kept. "
                "If it happens again, please report these lines.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (enter)", id="error-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#error-close", Button).focus()

    @on(Button.Pressed, "#error-close")
    def action_close(self) -> None:
        """Close the report."""
        self.dismiss(None)

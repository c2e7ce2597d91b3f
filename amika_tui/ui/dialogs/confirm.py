"""`ConfirmModal`: a yes/no question (y / n / escape, or the buttons)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ConfirmModal", "discard_question"]


class ConfirmModal(ModalScreen[bool]):
    """Ask a question; dismisses with True (confirm) or False (cancel).

    Open with ``app.push_screen(ConfirmModal(...), callback)``.
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(
        self,
        question: str,
        *,
        title: str = "Confirm",
        confirm_label: str = "Yes",
        cancel_label: str = "No",
        danger: bool = False,
    ) -> None:
        super().__init__(classes="confirm-modal")
        self.question = question
        self.title_text = title
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.question, id="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"{self.confirm_label} (y)",
                    id="confirm-yes",
                    variant="error" if self.danger else "primary",
                )
                yield Button(f"{self.cancel_label} (n)", id="confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer like the keys do."""
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)


def discard_question(question: str, title: str) -> ConfirmModal:
    """The question a dialog asks before it throws away a value the user typed or pasted."""
    return ConfirmModal(
        question,
        title=title,
        confirm_label="Discard",
        cancel_label="Keep editing",
        danger=True,
    )

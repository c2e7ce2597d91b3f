"""`ScopeChoiceModal`: where should these go, user or org scope? (u / o / escape)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from amika_tui.api import Scope

__all__ = ["ScopeChoiceModal"]


class ScopeChoiceModal(ModalScreen[Scope | None]):
    """Ask for a scope; dismisses with the `Scope`, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "choose('user')", "User scope"),
        Binding("o", "choose('org')", "Org scope"),
        Binding("escape,n", "cancel", "Cancel"),
    ]

    def __init__(self, question: str, *, title: str = "Choose a scope") -> None:
        super().__init__(classes="scope-choice-modal")
        self.question = question
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.question, id="scope-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button("User: private to you (u)", id="scope-user", variant="primary")
                yield Button("Org: your whole organisation (o)", id="scope-org")
                yield Button("Cancel (esc)", id="scope-cancel")

    def on_mount(self) -> None:
        self.query_one("#scope-user", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "scope-cancel":
            self.dismiss(None)
        else:
            self.dismiss(Scope.ORG if event.button.id == "scope-org" else Scope.USER)

    def action_choose(self, scope: str) -> None:
        """Close with ``scope``."""
        self.dismiss(Scope(scope))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

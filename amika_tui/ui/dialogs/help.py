"""`HelpScreen` (``?``): every binding that applies where you are, grouped by where it lives."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

__all__ = ["HelpScreen", "binding_rows"]


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(where, key, description) for each active binding of ``screen``, app ones last."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        node = active.node
        where = "Global" if node is screen.app else _friendly(type(node).__name__)
        display = binding.key_display or screen.app.get_key_display(binding)
        if (display, binding.description) in seen:
            continue
        seen.add((display, binding.description))
        rows.append((where, display or key, binding.description))
    rows.sort(key=lambda row: (row[0] == "Global", row[0]))
    return rows


def _friendly(class_name: str) -> str:
    """``SecretsScreen`` → ``Secrets screen``."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", class_name)
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else class_name


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the screen it was opened from; escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", key_display="esc")]

    def __init__(self, origin: Screen[Any]) -> None:
        super().__init__(classes="help-screen")
        self.origin = origin
        """The screen whose bindings are listed."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(
                "Mouse: click the mode tabs in the header, the scope tabs, column headers "
                "(sort) and the keys in the footer. ctrl+p opens the command palette.",
                classes="dialog-hint",
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Action")
        for where, key, description in binding_rows(self.origin):
            table.add_row(Text(where), Text(key), Text(description))
        table.add_row("Global", "ctrl+p", "Command palette (every action, themes)")
        # The table scrolls itself: focused, the arrow keys, page keys and end reach every row.
        table.focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

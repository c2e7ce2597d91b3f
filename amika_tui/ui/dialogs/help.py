"""`HelpScreen` (``?``): every binding of the app, grouped by where it works, the screen or
dialog it was opened from first, with a filter box.

The rows come from the ``BINDINGS`` our own classes declare (`help_contexts`), so every
binding with a description is listed and nothing of Textual's internals is ("Focus Next",
"Scroll Left"); the few keys Textual itself provides that matter to a user are written out
in `_TEXTUAL_KEYS`. Building the rows reads class attributes only: the help opens at once
however many secrets are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

__all__ = [
    "HELP_BINDING",
    "HelpContext",
    "HelpScreen",
    "help_contexts",
    "help_rows",
    "help_text",
    "key_text",
]

HELP_BINDING = Binding("question_mark", "app.help", "Help", key_display="?")
"""The help key of a dialog (the app's own bindings do not reach into modal screens)."""

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "equals_sign": "=",
    "escape": "esc",
}

_TEXTUAL_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette (every action, themes)"),
    ("tab, shift+tab", "Next / previous field or table"),
    ("ctrl+c", "Copy the selected text, while text is selected (else: quit)"),
)


@dataclass(frozen=True, slots=True)
class HelpContext:
    """A group of the help screen: where the keys work, and the classes that bind them."""

    title: str
    owners: tuple[type[DOMNode], ...]
    """The screens, dialogs and widgets whose own ``BINDINGS`` are this group's keys."""
    extra: tuple[tuple[str, str], ...] = ()
    """(keys, description) the classes do not declare (Textual's own, or mouse hints)."""


@cache
def help_contexts() -> tuple[HelpContext, ...]:
    """Every context of the app, in the order the help lists them after the current one."""
    # Imported here: these modules import this one (for HELP_BINDING).
    from amika_tui.ui.app import AmikaApp
    from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
    from amika_tui.ui.dialogs.confirm import ConfirmModal
    from amika_tui.ui.dialogs.error import ErrorModal
    from amika_tui.ui.dialogs.import_env import ImportEnvDialog
    from amika_tui.ui.dialogs.scope_choice import ScopeChoiceModal
    from amika_tui.ui.dialogs.secret import SecretDialog, SecretNameInput
    from amika_tui.ui.push import PushReviewScreen, PushScreen
    from amika_tui.ui.push.plan_review import PlanReviewScreen
    from amika_tui.ui.screens.account import AccountScreen
    from amika_tui.ui.screens.extract import ExtractScreen
    from amika_tui.ui.screens.providers import ProvidersScreen
    from amika_tui.ui.screens.secrets import SecretsScreen
    from amika_tui.ui.widgets.masked_input import MaskedValueInput
    from amika_tui.ui.widgets.secrets_table import SecretsTable

    return (
        HelpContext(
            "Secrets (1)",
            (SecretsScreen, SecretsTable),
            (("click a header", "Sort by that column"),),
        ),
        HelpContext("New / update secret", (SecretDialog, SecretNameInput, MaskedValueInput)),
        HelpContext("Import .env", (ImportEnvDialog,)),
        HelpContext("Providers (2)", (ProvidersScreen,)),
        HelpContext("Add credential", (AddCredentialDialog,)),
        HelpContext("Extract (3)", (ExtractScreen,)),
        HelpContext("Account (4)", (AccountScreen,)),
        HelpContext("Review before a push", (PushReviewScreen,)),
        HelpContext("Review of the staged changes", (PlanReviewScreen,)),
        HelpContext("Push progress and result", (PushScreen,)),
        HelpContext("Questions and errors", (ConfirmModal, ScopeChoiceModal, ErrorModal)),
        HelpContext("Help", (HelpScreen,)),
        HelpContext("Everywhere", (AmikaApp,), _TEXTUAL_KEYS),
    )


def key_text(binding: Binding) -> str:
    """The binding's keys as the help and the README write them: ``e, enter``, ``?``."""
    keys = binding.key.split(",")
    if binding.key_display and len(keys) == 1:
        return binding.key_display
    return ", ".join(_KEY_NAMES.get(key, key) for key in keys)


def help_text(binding: Binding) -> str:
    """What the help says a binding does: its tooltip when it has one (the footer's short
    description would be too terse alone, e.g. ``All``), else its description."""
    return binding.tooltip or binding.description


def _own_rows(owner: type[DOMNode]) -> Iterable[tuple[str, str]]:
    """(keys, text) of the bindings ``owner`` itself declares, with a description."""
    for binding in owner.__dict__.get("BINDINGS", ()):
        if isinstance(binding, Binding) and binding.description:
            yield key_text(binding), help_text(binding)


def _context_rows(context: HelpContext) -> list[tuple[str, str]]:
    """The context's rows: bindings with one description merged (``q, ctrl+c, ctrl+q``)."""
    merged: dict[str, list[str]] = {}
    for owner in context.owners:
        for keys, description in _own_rows(owner):
            merged.setdefault(description, []).append(keys)
    rows = [(", ".join(dict.fromkeys(keys)), description) for description, keys in merged.items()]
    return rows + list(context.extra)


def _current(origin: Screen[Any] | None, contexts: Sequence[HelpContext]) -> int | None:
    """Index of the context of ``origin`` (its screen or dialog), None when it has none."""
    if origin is None:
        return None
    return next(
        (i for i, c in enumerate(contexts) if any(isinstance(origin, o) for o in c.owners)), None
    )


def help_rows(origin: Screen[Any] | None = None) -> list[tuple[str, str, str]]:
    """(context, keys, description) for every binding; ``origin``'s context first, then
    the keys that work everywhere, then the rest. A dialog's help key is listed once."""
    contexts = list(help_contexts())
    first = _current(origin, contexts)
    everywhere = contexts[-1]
    order = ([contexts[first]] if first is not None else []) + [everywhere]
    order += [c for c in contexts if c not in order]
    seen_everywhere = set(_context_rows(everywhere))
    rows = []
    for context in order:
        for keys, description in _context_rows(context):
            if context is not everywhere and (keys, description) in seen_everywhere:
                continue  # e.g. a dialog's own "? Help"
            rows.append((context.title, keys, description))
    return rows


def _matches(row: tuple[str, str, str], query: str) -> bool:
    return not query or any(query in cell.lower() for cell in row)


class HelpTable(DataTable[Text]):
    """The help's key table: on every resize its columns fit the width, and a
    description too long for one line wraps onto the next instead of being cut."""

    def __init__(self, key_width: int, refill: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.key_width = key_width
        """The widest key or group title, plus the indent of a key."""
        self.refill = refill
        """Shows the rows again once the columns are rebuilt."""
        self.fitted_width = 0
        """The width the columns were last fitted to (0: not yet)."""

    def on_resize(self, event: Resize) -> None:
        if event.size.width == self.fitted_width:
            return
        padding = 4 * self.cell_padding + self.styles.scrollbar_size_vertical
        self.clear(columns=True)
        self.add_column("Key", width=self.key_width)
        self.add_column("Action", width=max(12, event.size.width - self.key_width - padding))
        self.refill()
        self.fitted_width = event.size.width


class HelpScreen(ModalScreen[None]):
    """Lists every binding, the origin's first; type to filter, escape closes."""

    escape_leaves_input: ClassVar[bool] = False
    """Escape clears the filter, then closes, even while typing in it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear the filter, or close"),
        Binding("up", "scroll(-1)", "Scroll the list", show=False),
        Binding("down", "scroll(1)", "Scroll the list", show=False),
        Binding("pageup", "scroll(-10)", "Scroll the list by a page", show=False),
        Binding("pagedown", "scroll(10)", "Scroll the list by a page", show=False),
    ]

    def __init__(self, origin: Screen[Any] | None = None) -> None:
        super().__init__(classes="help-screen")
        self.origin = origin
        """The screen or dialog the help was opened from: its keys come first."""
        self.rows = help_rows(origin)
        """Every row, filtered or not (context, keys, description)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Input(placeholder="type to filter (a key, an action, a screen)", id="help-filter")
            key_width = max(max(len(w), len(k) + 2) for w, k, _ in self.rows)
            yield HelpTable(key_width, self._refill, id="help-table")
            yield Static(
                "Mouse: click the mode tabs in the header, the scope tabs, column headers "
                "(sort), buttons and the keys in the footer.",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#help-filter", Input).focus()

    def _refill(self) -> None:
        self._show(self.query_one("#help-filter", Input).value.strip().lower())

    @on(Input.Changed, "#help-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value.strip().lower())

    def _show(self, query: str) -> None:
        """The rows matching ``query``, each group under a title row of its own (the
        action column keeps the width, also at 80 columns)."""
        table = self.table
        table.clear()
        previous = None
        for row in self.rows:
            if not _matches(row, query):
                continue
            where, keys, description = row
            if where != previous:
                table.add_row(Text(where, style="bold underline"), Text(""))
                previous = where
            table.add_row(Text(f"  {keys}"), Text(description), height=None)
        if not table.row_count:
            table.add_row(Text(""), Text("Nothing matches the filter."))

    def action_scroll(self, rows: int) -> None:
        """Move through the list (the filter keeps the keyboard for typing)."""
        table = self.table
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + rows)))

    def action_close(self) -> None:
        """Clear the filter, or close the help when there is none."""
        search = self.query_one("#help-filter", Input)
        if search.value:
            search.value = ""
            return
        self.dismiss(None)

    @property
    def table(self) -> HelpTable:
        return self.query_one("#help-table", HelpTable)

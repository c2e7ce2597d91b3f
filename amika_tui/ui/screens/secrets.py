"""`SecretsScreen`: the generic secrets table (scope tabs, filter, sort, new/update, import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static, Tab, Tabs

from amika_tui.api import AmikaTransportError, Scope, Secret
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.secrets_table import (
    SecretsTable,
    SortKey,
    filter_secrets,
    relative_time,
    sort_secrets,
)
from amika_tui.ui.workers import WorkerFailure

if TYPE_CHECKING:
    pass

__all__ = ["NO_DELETE_EXPLANATION", "SecretsScreen"]

NO_DELETE_EXPLANATION = (
    "The Amika API has no delete for generic secrets: they can be created and "
    "updated, never deleted (the amika CLI cannot either). Provider credentials "
    "(Claude, Codex) can be deleted on the Providers screen (2)."
)
"""What pressing delete on a generic secret says."""

#: Filtering 10,000 names takes ~2 ms, so it runs on every keystroke; only far larger
#: lists are debounced (keystrokes typed quickly then cost one filter).
_DEBOUNCE_ABOVE = 50_000
_DEBOUNCE_SECONDS = 0.05

_SCOPE_TABS: tuple[tuple[str, Scope | None, str], ...] = (
    ("scope-all", None, "All"),
    ("scope-user", Scope.USER, "User"),
    ("scope-org", Scope.ORG, "Org"),
)
_SORT_ORDER = tuple(SortKey)


class ScopeTabs(Tabs, can_focus=False):
    """All / User / Org tabs with their counts: clicked with the mouse, switched with
    a / u / o."""

    def __init__(self, *, id: str | None = None) -> None:
        self._labelled = {
            scope: (Tab(label, id=tab_id), label) for tab_id, scope, label in _SCOPE_TABS
        }
        super().__init__(*(tab for tab, _ in self._labelled.values()), id=id)

    def show_counts(self, counts: dict[Scope | None, int]) -> None:
        """Label each tab with its count (also before `Tabs` has mounted its tabs, as
        when the screen resumes right after a sign-in)."""
        for scope, (tab, label) in self._labelled.items():
            tab.label = f"{label} ({counts[scope]})"


class SecretsScreen(AmikaAppAccess, ReadOnlyAware, AmikaScreen):
    """Lists generic secrets; every network call runs in a worker.

    In a read-only session New and Update are hidden and explain themselves; Import .env
    still opens (as a preview: its push is hidden the same way).
    """

    AUTO_FOCUS = "#secrets-table"
    WRITE_ACTIONS = frozenset({"new_secret", "edit_secret"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            id="filter",
            tooltip="Filter by name as you type (escape clears)",
        ),
        Binding("n", "new_secret", "New", id="new-secret", tooltip="New secret"),
        Binding(
            "e",
            "edit_secret",
            "Update",
            id="update-secret",
            tooltip="Set a new value on the selected secret",
        ),
        Binding("i", "import_env", "Import .env", id="import-env", tooltip="Import a .env file"),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="List the secrets again"),
        Binding("a", "scope('all')", "All", show=False, id="scope-all", tooltip="Scope tab: all"),
        Binding(
            "u", "scope('user')", "User", show=False, id="scope-user", tooltip="Scope tab: user"
        ),
        Binding("o", "scope('org')", "Org", show=False, id="scope-org", tooltip="Scope tab: org"),
        Binding("s", "cycle_sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding(
            "c",
            "copy_value",
            "Copy",
            id="copy-secret",
            tooltip="Copy: explains that a stored value cannot be copied",
        ),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="reverse-sort"),
        Binding(
            "delete,d",
            "delete_secret",
            "Delete",
            show=False,
            id="delete-secret",
            tooltip="Explains that the API cannot delete generic secrets",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        *read_only_bindings(
            {"n": "creating a secret", "e": "updating a secret", "enter": "updating a secret"}
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="secrets-screen")
        self.secrets: list[Secret] = []
        """Every secret as last listed (sorted by the current sort)."""
        self.scope: Scope | None = None
        """The scope tab shown (None = all)."""
        self.loaded = False
        """True once a listing succeeded."""
        self._epoch = -1
        self._filter_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="secrets-toolbar"):
            yield ScopeTabs(id="scope-tabs")
            yield Input(placeholder="/ filter by name", id="secrets-filter")
        with Vertical(id="secrets-body"):
            yield SecretsTable(now=self.amika_app.now, id="secrets-table")
            yield Static("", id="secrets-empty", classes="empty-state")
            yield Static("", id="secrets-offline", classes="offline-state")
        yield Static("", id="secrets-detail")

    def on_mount(self) -> None:
        self.table.activatable = not self.read_only
        self.table.focus()
        self._show_state()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._epoch != self.amika_app.credentials_epoch:
            self._epoch = self.amika_app.credentials_epoch
            self.secrets = []
            self.loaded = False
            self.apply_view()
            self.load_secrets()

    # --- loading -------------------------------------------------------------------------

    @work(exclusive=True, group="secrets-load", exit_on_error=False, description="Listing secrets")
    async def load_secrets(self) -> None:
        """List secrets from the API (a worker: the UI stays live)."""
        if self.amika_app.client is None:
            return
        self.table.loading = True
        self.offline_state.display = False
        # No `finally`: a listing cancelled because its screen is being removed (the app
        # quits) must not touch the table, which may be gone already.
        try:
            async with self.amika_app.api("Could not load secrets") as client:
                secrets = await client.list_secrets()
        except WorkerFailure as failure:
            self.table.loading = False
            if isinstance(failure.error, AmikaTransportError):
                self._show_offline()
            raise
        self.table.loading = False
        self.loaded = True
        me = self.amika_app.learn_identity(secrets)
        self.table.me = me
        self.secrets = sort_secrets(
            secrets, self.table.sort_key, reverse=self.table.sort_reverse, me=me
        )
        self.apply_view()

    def on_secrets_changed(self, message: SecretsChanged) -> None:
        """Something was pushed: list again."""
        self.load_secrets()

    def _show_offline(self) -> None:
        self.offline_state.update(
            "offline — cannot reach the Amika API.  Press r to retry."
            if not self.loaded
            else "offline — showing the last listing.  Press r to retry."
        )
        self.offline_state.display = True

    # --- view ----------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.filter_input.value.strip()

    def apply_view(self) -> None:
        """Re-filter the listed secrets and show them (runs on every filter keystroke)."""
        query = self.query_text
        matching = filter_secrets(self.secrets, None, query)
        counts = {
            None: len(matching),
            Scope.USER: sum(1 for s in matching if s.scope is Scope.USER),
        }
        counts[Scope.ORG] = counts[None] - counts[Scope.USER]
        self.scope_tabs.show_counts(counts)
        rows = matching if self.scope is None else [s for s in matching if s.scope is self.scope]
        self.table.show(rows, query, keep=self.table.current)
        self._show_state()

    def _show_state(self) -> None:
        empty = self.empty_state
        if not self.loaded or self.table.rows:
            empty.display = False
        else:
            if not self.secrets and self.read_only:
                empty.update("No secrets yet.\n\nThis session is read-only: nothing can be added.")
            elif not self.secrets:
                empty.update(
                    "No secrets yet.\n\nPress n to create one, or i to import a .env file."
                )
            elif not self.query_text and self.scope is not None:
                empty.update(f"No {self.scope}-scoped secrets.  Press a to show all.")
            else:
                empty.update("Nothing matches.  Press escape to clear the filter.")
            empty.display = True
        self.query_one("#secrets-body").set_class(empty.display, "-empty")
        self._show_detail(self.table.current)

    def _show_detail(self, secret: Secret | None) -> None:
        if secret is None:
            self.detail.update("")
            return
        now = self.amika_app.now()
        self.detail.update(
            f"{secret.name}  ·  {secret.scope.value}  ·  updated "
            f"{secret.updated_at:%Y-%m-%d %H:%M:%S} UTC ({relative_time(secret.updated_at, now)})"
            f"  ·  created {secret.created_at:%Y-%m-%d %H:%M:%S} UTC"
        )

    @on(SecretsTable.CursorMoved)
    def _cursor_moved(self, event: SecretsTable.CursorMoved) -> None:
        self._show_detail(event.secret)

    @on(Input.Changed, "#secrets-filter")
    def _filter_changed(self) -> None:
        if len(self.secrets) <= _DEBOUNCE_ABOVE:
            self.apply_view()
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(_DEBOUNCE_SECONDS, self.apply_view)

    @on(Input.Submitted, "#secrets-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @on(Tabs.TabActivated, "#scope-tabs")
    def _tab_clicked(self, event: Tabs.TabActivated) -> None:
        for tab_id, scope, _ in _SCOPE_TABS:
            if event.tab.id == tab_id and scope is not self.scope:
                self.scope = scope
                self.apply_view()

    @on(SecretsTable.HeaderClicked)
    def _header_clicked(self, event: SecretsTable.HeaderClicked) -> None:
        if event.key is self.table.sort_key:
            self._sort(event.key, not self.table.sort_reverse)
        else:
            self._sort(event.key, False)

    @on(SecretsTable.RowActivated)
    def _row_activated(self, event: SecretsTable.RowActivated) -> None:
        self._open_editor(event.secret)

    def _sort(self, key: SortKey, reverse: bool) -> None:
        self.table.sort_key, self.table.sort_reverse = key, reverse
        self.secrets = sort_secrets(self.secrets, key, reverse=reverse, me=self.table.me)
        self.apply_view()

    # --- actions -------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Type to filter by name."""
        self.filter_input.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter and go back to the table."""
        if self.filter_input.value:
            self.filter_input.value = ""
            self.apply_view()
        self.table.focus()

    def action_refresh(self) -> None:
        """List the secrets again."""
        if self.amika_app.client is None:
            self.amika_app.action_open_mode("account")
            return
        self.load_secrets()

    def action_scope(self, name: str) -> None:
        """Show all secrets, or only user / org ones."""
        tab_id = f"scope-{name}"
        self.scope_tabs.active = tab_id

    def action_cycle_sort(self) -> None:
        """Sort by the next column."""
        position = _SORT_ORDER.index(self.table.sort_key)
        self._sort(_SORT_ORDER[(position + 1) % len(_SORT_ORDER)], self.table.sort_reverse)

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self._sort(self.table.sort_key, not self.table.sort_reverse)

    def action_copy_value(self) -> None:
        """Copy the selected row's value when this screen holds one; a stored value it
        cannot (the API never returns it): say so."""
        held = self.held_value()
        if held is None:
            self.amika_app.explain_stored_copy()
            return
        value, label = held
        self.amika_app.copy_secret(value, label)

    def held_value(self) -> tuple[str, str] | None:
        """``(value, label)`` of a value the screen holds for the selected row, to copy.

        None: a listed secret is a name only (a change staged on the screen would be held
        here, with its new value).
        """
        return None

    def action_delete_secret(self) -> None:
        """Explain why generic secrets cannot be deleted."""
        self.notify(
            NO_DELETE_EXPLANATION, title="Generic secrets cannot be deleted", severity="warning"
        )

    def action_new_secret(self) -> None:
        """Create a secret (dialog shows the plan before sending)."""
        self._open_editor(None)

    def action_edit_secret(self) -> None:
        """Update the value of the secret under the cursor."""
        secret = self.table.current
        if secret is None:
            self.notify("Select a secret first.", severity="warning")
            return
        self._open_editor(secret)

    def _open_editor(self, secret: Secret | None) -> None:
        what = "updating a secret" if secret else "creating a secret"
        if self.refuse_if_read_only(what) or not self._can_write():
            return
        from amika_tui.ui.dialogs.secret import SecretDialog

        self.app.push_screen(SecretDialog(self.secrets, existing=secret, scope=self.scope))

    def action_import_env(self) -> None:
        """Import secrets from a .env file."""
        if not self._can_write():
            return
        from amika_tui.ui.dialogs.import_env import ImportEnvDialog

        self.app.push_screen(ImportEnvDialog(self.secrets))

    def _can_write(self) -> bool:
        if self.amika_app.client is None:
            self.amika_app.action_open_mode("account")
            return False
        if not self.loaded:
            self.notify("Secrets are not listed yet: press r to retry.", severity="warning")
            return False
        return True

    # --- widgets -------------------------------------------------------------------------

    @property
    def table(self) -> SecretsTable:
        return self.query_one("#secrets-table", SecretsTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#secrets-filter", Input)

    @property
    def scope_tabs(self) -> ScopeTabs:
        return self.query_one("#scope-tabs", ScopeTabs)

    @property
    def empty_state(self) -> Static:
        return self.query_one("#secrets-empty", Static)

    @property
    def offline_state(self) -> Static:
        return self.query_one("#secrets-offline", Static)

    @property
    def detail(self) -> Static:
        return self.query_one("#secrets-detail", Static)

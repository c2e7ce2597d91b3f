"""Provider credentials (Claude | Codex): list, add, delete.

One `ProviderCredentialsPane` serves every provider, parameterised by its `ProviderSpec`
(the way upstream's CLI uses one `providerConfig` for both). `ProvidersScreen` puts one
pane per provider into tabs and routes the bindings to the visible one.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from amika_tui.api import ProviderCredential
from amika_tui.discovery.provider_spec import PROVIDERS, ProviderSpec, type_label
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog, AddCredentialRequest
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.workers import ReportsWorkerFailures, WorkerFailure

__all__ = ["ProviderCredentialsPane", "ProvidersScreen"]

#: Column keys of the credentials table, in display order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("type", "Type"),
    ("scope", "Scope"),
    ("id", "ID"),
)


class ProviderCredentialsPane(AmikaAppAccess, ReportsWorkerFailures, Vertical):
    """The credentials of one provider: a table with a status line above it."""

    def __init__(self, spec: ProviderSpec) -> None:
        super().__init__(id=f"provider-pane-{spec.key}", classes="provider-pane")
        self.spec = spec
        """Which provider this pane shows."""
        self.credentials: list[ProviderCredential] = []
        """The credentials as last listed by the server."""
        self.loaded = False
        """True once a list request succeeded."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="provider-status")
        table: DataTable[str] = DataTable(
            id=f"provider-table-{self.spec.key}",
            classes="provider-table",
            cursor_type="row",
            zebra_stripes=True,
        )
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table

    def on_mount(self) -> None:
        self.reload()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """List the provider's credentials again."""
        if self.amika_app.client is None:
            self._status("Not signed in.")
            return
        self._status(f"Loading {self.spec.short_name} credentials…")
        self.query_one(DataTable).loading = not self.loaded
        self._load()

    @work(
        exclusive=True,
        group="provider-list",
        exit_on_error=False,
        description="Listing provider credentials",
    )
    async def _load(self) -> None:
        name = self.spec.short_name
        try:
            async with self.amika_app.api(f"Listing {name} credentials failed") as client:
                credentials = await client.list_provider_secrets(self.spec.api_path)
        except WorkerFailure:
            self.query_one(DataTable).loading = False
            self._status(f"Could not list {name} credentials — r to retry.")
            raise
        self.show(credentials)

    def show(self, credentials: list[ProviderCredential]) -> None:
        """Fill the table with ``credentials`` (sorted by scope, then name)."""
        self.loaded = True
        self.credentials = sorted(credentials, key=lambda c: (c.scope.value, c.name.lower()))
        table = self.query_one(DataTable)
        table.loading = False
        selected = self.selected
        table.clear()
        for item in self.credentials:
            table.add_row(item.name, type_label(item.type), item.scope.value, item.id, key=item.id)
        if selected is not None and selected.id in {c.id for c in self.credentials}:
            table.move_cursor(row=table.get_row_index(selected.id))
        screen = self.screen
        if (
            screen.focused is None
            and isinstance(screen, ProvidersScreen)
            and screen.active_pane is self
        ):
            # The table could not take focus while it showed the loading indicator.
            table.focus()
        count = len(self.credentials)
        if count == 0:
            self._status(
                f"No {self.spec.short_name} credentials in Amika yet. Press a to add one "
                "(found on this machine, from a file, or pasted)."
            )
        else:
            plural = "s" if count != 1 else ""
            self._status(f"{count} {self.spec.short_name} credential{plural}.")

    @property
    def selected(self) -> ProviderCredential | None:
        """The credential under the table cursor."""
        table = self.query_one(DataTable)
        if not self.credentials or table.row_count == 0:
            return None
        row = table.cursor_row
        if 0 <= row < len(self.credentials):
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            for item in self.credentials:
                if item.id == key:
                    return item
        return None

    def _status(self, text: str) -> None:
        self.query_one(".provider-status", Static).update(text)

    # --- actions -------------------------------------------------------------------------

    def add(self) -> None:
        """Open the add dialog; its result goes through the shared push flow."""
        self.app.push_screen(AddCredentialDialog(self.spec, list(self.credentials)), self._added)

    def _added(self, request: AddCredentialRequest | None) -> None:
        if request is None:
            return
        from amika_tui.ui.push import start_push

        item = request.plan.to_item()
        if item is None:  # the dialog only returns valid plans
            return
        start_push(
            self.app,
            [item],
            title=f"Add {self.spec.display_name} credential",
            notes=[f"Value from {request.source}.", request.plan.message],
            on_complete=lambda _report: self.reload(),
        )

    def delete(self) -> None:
        """Ask, naming the credential, then delete it."""
        item = self.selected
        if item is None:
            self.app.notify("Select a credential first.", title="Nothing selected")
            return
        question = (
            f"Delete the {self.spec.short_name} credential “{item.name}” "
            f"({type_label(item.type)}, {item.scope.value} scope, id {item.id})?\n"
            "Sandboxes using it lose access. There is no undo."
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(item)

        self.app.push_screen(
            ConfirmModal(question, title="Delete credential", confirm_label="Delete", danger=True),
            answered,
        )

    @work(
        exclusive=True,
        group="provider-delete",
        exit_on_error=False,
        description="Deleting a provider credential",
    )
    async def _delete(self, item: ProviderCredential) -> None:
        app = self.amika_app
        async with app.api(f"Deleting “{item.name}” failed") as client:
            await client.delete_provider_secret(self.spec.api_path, item.id)
        app.notify_success(f"Deleted “{item.name}”.", title="Credential deleted")
        app.post_message(SecretsChanged(f"deleted {self.spec.api_path} credential"))
        self.reload()


class ProvidersScreen(AmikaAppAccess, ReadOnlyAware, AmikaScreen):
    """Provider credentials, one tab per provider (mode ``providers``)."""

    WRITE_ACTIONS = frozenset({"add", "delete"})

    AUTO_FOCUS = f"#provider-table-{PROVIDERS[0].key}"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add credential", id="add-credential"),
        Binding("d,delete", "delete", "Delete", id="delete-credential"),
        Binding("r", "refresh", "Refresh", id="refresh-credentials"),
        Binding(
            "c",
            "copy_value",
            "Copy",
            id="copy-credential",
            tooltip="Copy: explains that a stored credential cannot be copied",
        ),
        Binding("left_square_bracket", "switch_tab(-1)", "Prev tab", show=False),
        Binding("right_square_bracket", "switch_tab(1)", "Next tab", show=False),
        *read_only_bindings({"a": "adding a credential", "d,delete": "deleting a credential"}),
    ]

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="provider-tabs"):
            for spec in PROVIDERS:
                with TabPane(spec.short_name, id=f"provider-tab-{spec.key}"):
                    yield ProviderCredentialsPane(spec)

    @property
    def active_pane(self) -> ProviderCredentialsPane:
        """The pane of the visible tab."""
        tabs = self.query_one("#provider-tabs", TabbedContent)
        key = (tabs.active or "").removeprefix("provider-tab-") or PROVIDERS[0].key
        return self.query_one(f"#provider-pane-{key}", ProviderCredentialsPane)

    def pane(self, key: str) -> ProviderCredentialsPane:
        """The pane of provider ``key`` ("claude", "codex")."""
        return self.query_one(f"#provider-pane-{key}", ProviderCredentialsPane)

    def action_add(self) -> None:
        """Add a credential to the visible provider."""
        self.active_pane.add()

    def action_delete(self) -> None:
        """Delete the selected credential (asks first)."""
        self.active_pane.delete()

    def action_copy_value(self) -> None:
        """A stored credential cannot be copied (the API never returns it): say so."""
        self.amika_app.explain_stored_copy()

    def action_refresh(self) -> None:
        """List the credentials again."""
        for pane in self.query(ProviderCredentialsPane):
            pane.reload()

    def action_switch_tab(self, step: int) -> None:
        """Show the previous/next provider."""
        tabs = self.query_one("#provider-tabs", TabbedContent)
        keys = [f"provider-tab-{spec.key}" for spec in PROVIDERS]
        index = keys.index(tabs.active) if tabs.active in keys else 0
        tabs.active = keys[(index + step) % len(keys)]

    def on_secrets_changed(self, message: SecretsChanged) -> None:
        """Something was written elsewhere (extract pane, push flow): list again."""
        self.action_refresh()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self.active_pane.query_one(DataTable).focus()

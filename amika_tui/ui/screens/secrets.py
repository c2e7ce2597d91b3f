"""`SecretsScreen`: the generic secrets table (scope tabs, filter, sort, staged new/update,
import).

``n`` and ``e`` stage their change (`amika_tui.sync.staged`, held by the app); staged rows
are marked, pinned above the filtered rows and counted in the bar above the footer; ``u``
/ ``U`` undo, ``ctrl+s`` reviews them (`PlanReviewScreen`) and pushes through the one push
flow. What was written leaves the staged set, what failed stays for a retry.
"""

from __future__ import annotations

import gc
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static, Tab, Tabs

from amika_tui.api import AmikaTransportError, Scope, Secret
from amika_tui.sync.executor import PushReport
from amika_tui.sync.filtering import ListingFilter
from amika_tui.sync.items import PushItem
from amika_tui.sync.staged import StagedChange
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.secrets_table import (
    SecretsTable,
    SortKey,
    relative_time,
    sort_secrets,
)
from amika_tui.ui.workers import WorkerFailure

__all__ = ["NO_DELETE_EXPLANATION", "SecretsScreen", "pin_staged"]

NO_DELETE_EXPLANATION = (
    "Nothing to stage: the Amika API has no delete for generic secrets, so they can be "
    "created and updated, never deleted (the amika CLI cannot either). Provider credentials "
    "(Claude, Codex) can be deleted on the Providers screen (2)."
)
"""What pressing delete on a generic secret says."""

_STAGED_ID = "staged:"
"""Id prefix of the placeholder rows of staged new secrets (no such id exists remotely)."""


def pin_staged(rows: list[Secret], staged: list[Secret]) -> list[Secret]:
    """``staged`` first, then ``rows`` without them: staged rows stay in sight whatever the
    filter, the scope tab or the sort (one set lookup per row, only while something is
    staged)."""
    if not staged:
        return rows
    pinned = {secret.id for secret in staged}
    return staged + [secret for secret in rows if secret.id not in pinned]


_SCOPE_TABS: tuple[tuple[str, Scope | None, str], ...] = (
    ("scope-all", None, "All"),
    ("scope-user", Scope.USER, "User"),
    ("scope-org", Scope.ORG, "Org"),
)
_SORT_ORDER = tuple(SortKey)


FREEZE_FROM = 10_000
"""Listings of at least this many secrets are kept out of the garbage collector's full
passes (`_freeze_long_lived`)."""
_frozen_listing = False


def _freeze_long_lived(listed: int) -> None:
    """Keep the cyclic garbage collector off what is alive now (a listing lives until the
    next one): at 100,000 secrets each full collection walked every one of them, ~500 ms
    in the filter loop. What the previous freeze kept that has died since is collected
    first, so nothing leaks from one listing to the next.

    Below `FREEZE_FROM` secrets nothing is frozen and the collector is left alone: that
    full collection walks the whole heap (~100 ms), which costs more than a small listing
    saves, on every listing from the first one on."""
    global _frozen_listing
    if _frozen_listing:
        gc.unfreeze()
        _frozen_listing = False
    elif listed < FREEZE_FROM:
        return
    gc.collect()
    if listed >= FREEZE_FROM:
        gc.freeze()
        _frozen_listing = True


class ScopeTabs(Tabs, can_focus=False):
    """All / User / Org tabs with their counts: clicked with the mouse, switched with
    [ / ] (or a / o)."""

    def __init__(self, *, id: str | None = None) -> None:
        self._labelled = {
            scope: (Tab(label, id=tab_id), label) for tab_id, scope, label in _SCOPE_TABS
        }
        super().__init__(*(tab for tab, _ in self._labelled.values()), id=id)

    def show_counts(self, counts: dict[Scope | None, int]) -> None:
        """Label each tab with its count (also before `Tabs` has mounted its tabs, as
        when the screen resumes right after a sign-in)."""
        for scope, (tab, label) in self._labelled.items():
            text = f"{label} ({counts[scope]})"
            if str(tab.label) != text:
                tab.label = text

    def _on_tab_relabelled(self, event: Tab.Relabelled) -> None:
        """A count changed: the underline follows the tab's new width at once. (`Tabs`
        animates it, which repaints the screen for a third of a second after every filter
        keystroke that changes a count.)"""
        event.stop()
        event.prevent_default()
        self._highlight_active(animate=False)


class SecretsScreen(AmikaAppAccess, ReadOnlyAware, AmikaScreen):
    """Lists generic secrets; every network call runs in a worker.

    In a read-only session New and Update are hidden and explain themselves; Import .env
    still opens (as a preview: its push is hidden the same way).
    """

    AUTO_FOCUS = "#secrets-table"
    WRITE_ACTIONS = frozenset({"new_secret", "edit_secret", "review_staged"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            id="filter",
            tooltip="Filter by name as you type (escape clears)",
        ),
        Binding("n", "new_secret", "New", id="new-secret", tooltip="Stage a new secret"),
        Binding(
            "e",
            "edit_secret",
            "Update",
            id="update-secret",
            tooltip="Stage a new value for the selected secret (or edit its staged change)",
        ),
        Binding(
            "ctrl+s",
            "review_staged",
            "Review staged",
            id="review-staged",
            tooltip="Review the staged changes (untick, resolve conflicts), then push them",
        ),
        Binding(
            "u",
            "undo_staged",
            "Undo",
            show=False,
            id="undo-staged",
            tooltip="Undo the staged change of the selected row",
        ),
        Binding(
            "U",
            "undo_all_staged",
            "Undo all",
            show=False,
            id="undo-all-staged",
            tooltip="Undo every staged change (asks when there is more than one)",
        ),
        Binding("i", "import_env", "Import .env", id="import-env", tooltip="Import a .env file"),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="List the secrets again"),
        Binding(
            "left_square_bracket",
            "cycle_scope(-1)",
            "Prev scope",
            show=False,
            id="scope-prev",
            tooltip="Scope tab: the previous one (All, User, Org)",
        ),
        Binding(
            "right_square_bracket",
            "cycle_scope(1)",
            "Next scope",
            show=False,
            id="scope-next",
            tooltip="Scope tab: the next one (All, User, Org)",
        ),
        Binding("a", "scope('all')", "All", show=False, id="scope-all", tooltip="Scope tab: all"),
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
            tooltip="Says there is nothing to stage: the API cannot delete generic secrets",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        # Without staged changes ctrl+s leaves the footer and says so instead.
        Binding("ctrl+s", "nothing_staged", "", show=False),
        *read_only_bindings(
            {
                "n": "creating a secret",
                "e": "updating a secret",
                "enter": "updating a secret",
                "ctrl+s": "pushing secrets",
            }
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="secrets-screen")
        self._listing = ListingFilter([])
        self.scope: Scope | None = None
        """The scope tab shown (None = all)."""
        self.loaded = False
        """True once a listing succeeded."""
        self._epoch = -1
        self._listed_by_key: tuple[list[Secret], dict[tuple[Scope, str], Secret]] = ([], {})

    @property
    def secrets(self) -> list[Secret]:
        """Every secret as last listed (sorted by the current sort)."""
        return self._listing.secrets

    @secrets.setter
    def secrets(self, secrets: list[Secret]) -> None:
        self._listing = ListingFilter(secrets)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="secrets-toolbar"):
            yield ScopeTabs(id="scope-tabs")
            yield Input(placeholder="/ filter by name", id="secrets-filter")
        with Vertical(id="secrets-body"):
            yield SecretsTable(now=self.amika_app.now, id="secrets-table")
            yield Static("", id="secrets-empty", classes="empty-state")
            yield Static("", id="secrets-offline", classes="offline-state")
        yield Static("", id="secrets-detail")
        yield Static("", id="secrets-staged")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The review key only while something is staged (else it explains itself)."""
        if action == "review_staged" and not self.amika_app.staged:
            return False
        if action == "nothing_staged":
            return not self.read_only and not self.amika_app.staged
        return super().check_action(action, parameters)

    def action_nothing_staged(self) -> None:
        """ctrl+s with nothing staged."""
        self.notify("Nothing is staged: n and e stage changes.", severity="warning")

    def on_mount(self) -> None:
        self.table.activatable = not self.read_only
        self.table.staged = self.amika_app.staged
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
        self.amika_app.staged.follow(secrets)
        self.secrets = sort_secrets(
            secrets, self.table.sort_key, reverse=self.table.sort_reverse, me=me
        )
        _freeze_long_lived(len(secrets))
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
        view = self._listing.view(query, self.scope)
        self.scope_tabs.show_counts(view.counts)
        staged = self._staged_rows()
        if staged:  # pinned rows shift the positions: find the kept row by identity
            self.table.show(pin_staged(view.rows, staged), query, keep=self.table.current)
        else:
            keep_row = view.row_of(self.table.current, self._listing)
            self.table.show(view.rows, query, keep_row=keep_row)
        self._show_state()

    def _staged_rows(self) -> list[Secret]:
        """A row per staged change: the listed secret it changes, or a placeholder for a
        new one (in the current sort order)."""
        staged = self.amika_app.staged
        if not staged:
            return []
        if self._listed_by_key[0] is not self.secrets:  # once per listing, not per keystroke
            self._listed_by_key = (self.secrets, {(s.scope, s.name): s for s in self.secrets})
        listed = self._listed_by_key[1]
        now = self.amika_app.now()
        rows = [
            listed.get(change.key)
            or Secret(
                id=f"{_STAGED_ID}{change.scope}/{change.name}",
                org_id=None,
                user_id=self.table.me,
                name=change.name,
                description=None,
                scope=change.scope,
                created_at=now,
                updated_at=now,
            )
            for change in staged
        ]
        return sort_secrets(
            rows, self.table.sort_key, reverse=self.table.sort_reverse, me=self.table.me
        )

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
        self._show_staged_count()

    def _show_staged_count(self) -> None:
        """The bar above the footer: ``3 staged · ctrl+s review · u undo · U undo all``."""
        bar = self.query_one("#secrets-staged", Static)
        count = len(self.amika_app.staged)
        bar.update(f"{count} staged · ctrl+s review · u undo · U undo all" if count else "")
        bar.display = bool(count)
        self.refresh_bindings()

    def _show_detail(self, secret: Secret | None) -> None:
        if secret is None:
            self.detail.update("")
            return
        change = self._staged_change(secret)
        if change is not None:
            what = "a new secret" if change.is_new else "a new value"
            self.detail.update(
                f"{secret.name}  ·  {secret.scope.value}  ·  staged: {what}, not pushed yet"
                "  ·  ctrl+s review · e edit · u undo"
            )
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
        self.apply_view()

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

    def action_cycle_scope(self, step: int) -> None:
        """The previous or next scope tab (All, User, Org)."""
        ids = [tab_id for tab_id, _, _ in _SCOPE_TABS]
        current = ids.index(self.scope_tabs.active) if self.scope_tabs.active in ids else 0
        self.scope_tabs.active = ids[(current + step) % len(ids)]

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
        """``(value, label)`` of the selected row's staged change, to copy; None for a
        listed secret (a name only: the API never returns its value)."""
        change = self._staged_change(self.table.current)
        if change is None:
            return None
        return change.value, f"the staged value of {change.name}"

    def action_delete_secret(self) -> None:
        """Say there is nothing to stage: generic secrets cannot be deleted."""
        self.notify(
            NO_DELETE_EXPLANATION, title="Generic secrets cannot be deleted", severity="warning"
        )

    def action_new_secret(self) -> None:
        """Stage a new secret (the dialog shows the plan as you type)."""
        self._open_editor(None)

    def action_edit_secret(self) -> None:
        """Stage a new value for the secret under the cursor (or edit its staged change)."""
        secret = self.table.current
        if secret is None:
            self.notify("Select a secret first.", severity="warning")
            return
        self._open_editor(secret)

    def _open_editor(self, secret: Secret | None) -> None:
        what = "updating a secret" if secret else "creating a secret"
        if self.refuse_if_read_only(what) or not self._can_write():
            return
        from amika_tui.ui.dialogs.secret import SecretDialog, StageRequest

        staged = self._staged_change(secret) if secret is not None else None
        existing = None if secret is None or secret.id.startswith(_STAGED_ID) else secret
        dialog = SecretDialog(self.secrets, existing=existing, scope=self.scope, staged=staged)

        def closed(request: StageRequest | None) -> None:
            if request is not None:
                self.stage(request.change, replacing=staged.key if staged else None)
                if request.review:
                    self.action_review_staged()

        self.app.push_screen(dialog, closed)

    # --- staged edits --------------------------------------------------------------------

    def _staged_change(self, secret: Secret | None) -> StagedChange | None:
        if secret is None:
            return None
        return self.amika_app.staged.get(secret.scope, secret.name)

    def stage(self, change: StagedChange, *, replacing: tuple[Scope, str] | None = None) -> None:
        """Stage ``change`` (replacing the staged change ``replacing``) and show it, with
        the cursor on its row."""
        self.amika_app.staged.stage(change, replacing=replacing)
        self.apply_view()
        for index, secret in enumerate(self.table.rows):
            if (secret.scope, secret.name) == change.key:
                self.table.cursor_row = index
                break

    def action_undo_staged(self) -> None:
        """Undo the staged change of the selected row."""
        secret = self.table.current
        change = self._staged_change(secret)
        if secret is None or change is None:
            self.notify("The selected row has no staged change to undo.", severity="warning")
            return
        self.amika_app.staged.unstage(*change.key)
        self.apply_view()
        self.notify(f"Undid the staged change of {change.name} ({change.scope}).", timeout=3)

    def action_undo_all_staged(self) -> None:
        """Undo every staged change (asks first when there is more than one)."""
        staged = self.amika_app.staged
        if not staged:
            self.notify("Nothing is staged.", severity="warning")
            return
        if len(staged) == 1:
            self._undo_all(True)
            return
        from amika_tui.ui.dialogs.confirm import ConfirmModal

        self.app.push_screen(
            ConfirmModal(
                f"Undo all {staged.summary()}: {staged.names()}? The values typed are lost.",
                title="Undo all staged changes?",
                confirm_label="Undo all",
                cancel_label="Keep",
                danger=True,
            ),
            self._undo_all,
        )

    def _undo_all(self, confirmed: bool | None) -> None:
        if confirmed:
            count = self.amika_app.staged.clear()
            self.apply_view()
            self.notify(f"Undid {count} staged change{'s' if count != 1 else ''}.", timeout=3)

    def action_review_staged(self) -> None:
        """Review the staged changes (the import's review), then push what stays ticked."""
        staged = self.amika_app.staged
        if not staged:
            self.action_nothing_staged()
            return
        if self.refuse_if_read_only("pushing secrets") or not self._can_write():
            return
        from amika_tui.ui.push.plan_review import PlanReviewScreen

        title = f"Review {staged.summary()}"
        self.app.push_screen(PlanReviewScreen(staged.plans(self.secrets), title=title), self._push)

    def _push(self, items: list[PushItem] | None) -> None:
        if not items:
            return
        from amika_tui.ui.push import start_push

        count = len(items)
        start_push(
            self.app,
            items,
            title=f"Pushing {count} staged change{'s' if count != 1 else ''}",
            review=False,
            on_complete=self._pushed,
        )

    def _pushed(self, report: PushReport) -> None:
        """What was written leaves the staged set; what failed stays, with its value."""
        self.amika_app.staged.settle(report)
        self.apply_view()
        if report.failed:
            # An answer lost after the write may hide a landed change: list again, so the
            # next review plans against what the server holds.
            self.load_secrets()

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

"""`ExtractScreen`: agent credentials on this machine, and pushing them into Amika.

Discovery runs in a thread worker and returns a `DiscoveryReport`; this screen renders
every source (priority, id, file, status) and every finding (provider, env keys, masked
value, kind, source) with the candidates it shadowed underneath. Selected findings go
through the shared plan → review → push → result flow, as generic secrets or, for Claude
and Codex, as provider credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static, Switch

from amika_tui.api import CredentialType, Scope
from amika_tui.discovery import (
    Candidate,
    CredentialKind,
    DiscoveryReport,
    FileScan,
    FileStatus,
    ProviderResult,
)
from amika_tui.sync.items import PushItem
from amika_tui.sync.masking import mask
from amika_tui.sync.plan import (
    ProviderAction,
    RowKind,
    entries_from_mapping,
    plan_provider,
    plan_secrets,
)
from amika_tui.ui.provider_spec import LocalCredential, ProviderSpec, spec_for
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.widgets.confirm import ConfirmModal
from amika_tui.ui.widgets.revealable import RemaskTimer, compact_mask
from amika_tui.ui.widgets.scope_choice import ScopeChoiceModal

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = [
    "ExtractScreen",
    "ProviderPushChoice",
    "file_status_text",
    "home_relative",
    "provider_push_choices",
]

_STATUS_STYLE = {
    FileStatus.FOUND: "bold green",
    FileStatus.NOTHING: "dim",
    FileStatus.MISSING: "dim",
    FileStatus.SKIPPED: "yellow",
    FileStatus.EXPIRED: "yellow",
    FileStatus.ERROR: "bold red",
    FileStatus.REFUSED: "bold red",
}


def home_relative(path: Path, home: Path) -> str:
    """``~/.claude/.credentials.json`` for a file under ``home``, else the full path."""
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def file_status_text(scan: FileScan) -> str:
    """The status column: found / nothing / missing / expired at … / skipped / error: why."""
    status = scan.status
    if status is FileStatus.FOUND:
        count = len(scan.candidates)
        text = f"found ({count})" if count > 1 else "found"
    elif status is FileStatus.EXPIRED:
        when = scan.expired_at
        text = f"expired at {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if when else "expired"
    elif status is FileStatus.SKIPPED:
        text = f"skipped ({scan.detail})" if scan.detail else "skipped"
    elif status in (FileStatus.ERROR, FileStatus.REFUSED):
        text = f"{status.value}: {scan.detail}" if scan.detail else status.value
    else:
        text = status.value
    if scan.notes and status is not FileStatus.EXPIRED:
        text += " · " + "; ".join(scan.notes)
    return text


@dataclass(frozen=True, slots=True)
class ProviderPushChoice:
    """How one finding would be pushed as a provider credential (or why it cannot)."""

    spec: ProviderSpec
    env_label: str
    type: CredentialType | None
    value: str | None = field(repr=False)
    problem: str | None = None


def provider_push_choices(
    results: Sequence[ProviderResult],
    local: Callable[[ProviderSpec], list[LocalCredential]],
) -> list[ProviderPushChoice]:
    """For each finding of Claude/Codex, the value to upload as a provider credential.

    An API key is uploaded as the bare key. For OAuth, Amika wants the whole credentials
    document (so the refresh token travels with it): it is taken from the provider
    discovery of the same file; a bare access token from another tool cannot be used.
    """
    choices = []
    for result in results:
        spec = spec_for(result.provider)
        if spec is None:
            continue
        winner = result.winner
        label = result.env_names[0] if result.env_names else result.provider
        if winner.kind is CredentialKind.API_KEY:
            choices.append(ProviderPushChoice(spec, label, CredentialType.API_KEY, winner.value))
            continue
        document = next(
            (
                item
                for item in local(spec)
                if item.type is CredentialType.OAUTH and item.source == str(winner.file)
            ),
            None,
        )
        if document is None:
            choices.append(
                ProviderPushChoice(
                    spec,
                    label,
                    None,
                    None,
                    f"{winner.source_id} only holds an access token, not the whole "
                    f"{spec.short_name} OAuth document Amika needs",
                )
            )
        else:
            choices.append(ProviderPushChoice(spec, label, CredentialType.OAUTH, document.value))
    return choices


_MASK_COLUMN = 24


def _short_mask(value: str) -> str:
    """The one-line mask cut to the column; the detail line below shows the whole mask."""
    return compact_mask(value, _MASK_COLUMN, show_length=False)


def _winner_key(provider: str) -> str:
    return f"w:{provider}"


def _shadow_key(provider: str, index: int) -> str:
    return f"s:{provider}:{index}"


class ExtractScreen(ReadOnlyAware, AmikaScreen):
    """Local credential discovery and push (mode ``extract``)."""

    WRITE_ACTIONS = frozenset({"push_secrets", "push_credentials"})

    AUTO_FOCUS = "#extract-findings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_selected", "Select", id="extract-select"),
        Binding("a", "select_all", "Select all/none", show=False, id="extract-select-all"),
        Binding("p", "push_secrets", "Push secrets", id="extract-push-secrets"),
        Binding("P", "push_credentials", "Push Claude/Codex", id="extract-push-credentials"),
        Binding("v", "reveal", "Reveal", id="extract-reveal"),
        Binding("c", "copy", "Copy", id="extract-copy"),
        Binding("o", "toggle_oauth", "OAuth on/off", id="extract-oauth"),
        Binding("r", "rescan", "Rescan", id="extract-rescan"),
        *read_only_bindings({"p": "pushing secrets", "P": "pushing provider credentials"}),
    ]

    def __init__(self, *, home: Path | None = None) -> None:
        super().__init__()
        self.home = home
        """Home to scan (None: ``$HOME``)."""
        self.report: DiscoveryReport | None = None
        """The latest scan."""
        self.selected: set[str] = set()
        """Providers whose finding is ticked for pushing."""
        self._revealed: dict[str, RemaskTimer] = {}
        self._row_values: dict[str, tuple[str, Candidate]] = {}
        self._row_notes: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="extract-body"):
            with Horizontal(id="extract-toolbar"):
                yield Static("Credentials on this machine", id="extract-title")
                yield Label("Include OAuth ", id="extract-oauth-label")
                yield Switch(value=True, id="extract-oauth")
            yield Static("Scanning…", id="extract-state")
            yield Static("Sources", classes="extract-section")
            sources: DataTable[str | Text] = DataTable(
                id="extract-sources", cursor_type="row", zebra_stripes=True
            )
            sources.add_columns("Prio", "Source", "File", "Status")
            yield sources
            yield Static("Findings", classes="extract-section")
            findings: DataTable[str | Text] = DataTable(id="extract-findings", cursor_type="row")
            findings.add_columns("", "Provider", "Env keys", "Value", "Kind", "Source", "File")
            yield findings
            yield Static("", id="extract-detail")
            yield Static("", id="extract-selection")

    def on_mount(self) -> None:
        self.action_rescan()

    # --- scanning --------------------------------------------------------------------------

    @property
    def include_oauth(self) -> bool:
        """Whether OAuth sources are scanned."""
        return self.query_one("#extract-oauth", Switch).value

    def action_rescan(self) -> None:
        """Scan this machine again."""
        self.query_one("#extract-state", Static).update("Scanning…")
        self._scan(self.include_oauth)

    def action_toggle_oauth(self) -> None:
        """Include or exclude the OAuth sources (and rescan)."""
        switch = self.query_one("#extract-oauth", Switch)
        switch.value = not switch.value

    @on(Switch.Changed, "#extract-oauth")
    def _oauth_changed(self) -> None:
        self.action_rescan()

    @work(thread=True, exclusive=True, group="extract-scan", exit_on_error=False)
    def _scan(self, include_oauth: bool) -> None:
        from amika_tui.discovery import HomeDirectoryError, scan

        try:
            report = scan(self.home, include_oauth=include_oauth)
        except HomeDirectoryError as exc:
            self.app.call_from_thread(self._show_scan_error, str(exc))
            return
        self.app.call_from_thread(self._show_report, report)

    def _show_scan_error(self, reason: str) -> None:
        self.query_one("#extract-state", Static).update(f"Cannot scan: {reason}")

    def _show_report(self, report: DiscoveryReport) -> None:
        if not self.is_attached:  # the screen went away during the scan
            return
        self.report = report
        self._hide_all()
        found = {result.provider for result in report.providers}
        self.selected &= found
        self._fill_sources(report)
        self._fill_findings(report)
        problems = len(report.problems)
        oauth = "" if report.include_oauth else " OAuth sources skipped."
        where = "~" if report.home == Path.home() else str(report.home)
        state = (
            f"Scanned {len(report.sources)} sources in {where}: "
            f"{len(report.providers)} provider(s) found"
            + (f", {problems} file(s) with problems" if problems else "")
            + "."
            + oauth
        )
        self.query_one("#extract-state", Static).update(state)
        self._show_selection()

    def _fill_sources(self, report: DiscoveryReport) -> None:
        table = self.query_one("#extract-sources", DataTable)
        table.clear()
        for source in report.sources:
            for index, scan in enumerate(source.files):
                first = index == 0
                table.add_row(
                    str(source.priority) if first else "",
                    source.id if first else "",
                    home_relative(scan.path, report.home),
                    Text(file_status_text(scan), style=_STATUS_STYLE.get(scan.status, "")),
                    key=f"{source.id}:{index}",
                )

    def _fill_findings(self, report: DiscoveryReport) -> None:
        table = self.query_one("#extract-findings", DataTable)
        table.clear()
        self._row_values.clear()
        self._row_notes.clear()
        for result in report.providers:
            key = _winner_key(result.provider)
            winner = result.winner
            self._row_values[key] = (winner.value, winner)
            table.add_row(
                self._checkbox(result.provider),
                result.provider,
                ", ".join(result.env_names),
                _short_mask(winner.value),
                winner.kind.value,
                winner.source_id,
                home_relative(winner.file, report.home),
                key=key,
            )
            for index, shadowed in enumerate(result.shadowed):
                loser = shadowed.candidate
                shadow_key = _shadow_key(result.provider, index)
                self._row_values[shadow_key] = (loser.value, loser)
                self._row_notes[shadow_key] = f"Shadowed: {shadowed.reason}."
                dim = "dim"
                table.add_row(
                    "",
                    Text(" ↳ shadowed", style=dim),
                    "",
                    Text(_short_mask(loser.value), style=dim),
                    Text(loser.kind.value, style=dim),
                    Text(loser.source_id, style=dim),
                    Text(home_relative(loser.file, report.home), style=dim),
                    key=shadow_key,
                )
        self._show_detail()

    @on(DataTable.RowHighlighted, "#extract-findings")
    def _row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """Everything about the highlighted finding, the whole (masked) value included."""
        detail = self.query_one("#extract-detail", Static)
        key = self._highlighted_key()
        if key is None or key not in self._row_values or self.report is None:
            detail.update("")
            return
        value, candidate = self._row_values[key]
        shown = value if key in self._revealed else mask(value)
        where = home_relative(candidate.file, self.report.home)
        lines = [
            f"{candidate.provider} · {candidate.kind.value} · {candidate.source_id} "
            f"(priority {candidate.priority}) · {where} · field {candidate.field}",
            f"Value: {shown}",
        ]
        if key in self._row_notes:
            lines.append(self._row_notes[key])
        detail.update(Text("\n".join(lines)))

    def _checkbox(self, provider: str) -> Text:
        ticked = provider in self.selected
        return Text("[x]" if ticked else "[ ]", style="bold green" if ticked else "")

    # --- selection -------------------------------------------------------------------------

    def _highlighted_key(self) -> str | None:
        table = self.query_one("#extract-findings", DataTable)
        if table.row_count == 0:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return cast("str | None", row_key.value)

    def action_toggle_selected(self) -> None:
        """Tick or untick the highlighted finding."""
        key = self._highlighted_key()
        if key is None or not key.startswith("w:"):
            if key is not None:
                self.notify("Shadowed values are not pushed; select the finding above it.")
            return
        provider = key[2:]
        self.selected ^= {provider}
        self._refresh_checkbox(provider)

    @on(DataTable.RowSelected, "#extract-findings")
    def _row_clicked(self) -> None:
        self.action_toggle_selected()

    def action_select_all(self) -> None:
        """Tick every finding, or none when all are ticked."""
        if self.report is None:
            return
        everything = {result.provider for result in self.report.providers}
        self.selected = set() if self.selected >= everything else everything
        for provider in everything:
            self._refresh_checkbox(provider)

    def _refresh_checkbox(self, provider: str) -> None:
        table = self.query_one("#extract-findings", DataTable)
        first_column = table.ordered_columns[0].key
        table.update_cell(_winner_key(provider), first_column, self._checkbox(provider))
        self._show_selection()

    def _show_selection(self) -> None:
        count = len(self.selected)
        if self.report is not None and not self.report.providers:
            text = (
                "Nothing found. The sources above say where amika-tui looked and why each "
                "file gave nothing."
            )
        elif count == 0:
            text = "space selects a finding · p pushes as generic secrets · P as Claude/Codex"
        else:
            names = ", ".join(sorted(self.selected))
            text = f"{count} selected ({names}) · p push as secrets · P push as Claude/Codex"
        self.query_one("#extract-selection", Static).update(text)

    def _selected_results(self) -> list[ProviderResult]:
        if self.report is None:
            return []
        return [r for r in self.report.providers if r.provider in self.selected]

    # --- reveal and copy -------------------------------------------------------------------

    def action_reveal(self) -> None:
        """Show the highlighted value in clear for 30 s (again: mask it now)."""
        key = self._highlighted_key()
        if key is None or key not in self._row_values:
            return
        if key in self._revealed:
            self._hide(key)
            return
        self._revealed[key] = timer = RemaskTimer(self, lambda: self._hide(key))
        timer.start()
        self._set_value_cell(key, revealed=True)

    def _hide(self, key: str) -> None:
        timer = self._revealed.pop(key, None)
        if timer is not None:
            timer.stop()
        self._set_value_cell(key, revealed=False)

    def _hide_all(self) -> None:
        for timer in self._revealed.values():
            timer.stop()
        self._revealed.clear()

    def _set_value_cell(self, key: str, *, revealed: bool) -> None:
        table = self.query_one("#extract-findings", DataTable)
        if key not in self._row_values or key not in table.rows:
            return
        value, _ = self._row_values[key]
        # The clear value goes to the detail line only, where it can wrap.
        shown = Text("revealed ↓", style="bold yellow") if revealed else Text(_short_mask(value))
        table.update_cell(key, table.ordered_columns[3].key, shown)
        self._show_detail()

    def is_revealed(self, key: str) -> bool:
        """True while the value of row ``key`` is shown in clear."""
        return key in self._revealed

    def action_copy(self) -> None:
        """Copy the highlighted value to the clipboard, after asking."""
        key = self._highlighted_key()
        if key is None or key not in self._row_values:
            return
        value, candidate = self._row_values[key]
        where = f"{candidate.provider} value from {candidate.source_id}"

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            self.app.copy_to_clipboard(value)
            self.app.notify(
                f"Copied the {where} to your terminal's clipboard (OSC 52 escape sequence; "
                "some terminals and tmux need it enabled). Paste it where you need it.",
                title="Copied",
                timeout=6,
            )

        self.app.push_screen(
            ConfirmModal(
                f"Copy the {where} ({mask(value)}) to the clipboard?\n"
                "Anything that can read your clipboard can then read it.",
                title="Copy secret value",
                confirm_label="Copy",
            ),
            answered,
        )

    # --- pushing ---------------------------------------------------------------------------

    def action_push_secrets(self) -> None:
        """Push the selected findings as generic secrets (every env key name)."""
        results = self._selected_results()
        if not results:
            self.notify("Select findings with space first.", title="Nothing selected")
            return
        names = [name for result in results for name in result.env_names]
        self._ask_scope(
            f"Push {len(names)} generic secret(s): {', '.join(names)}.\nWhere should they go?",
            "Push as generic secrets",
            lambda scope: self._plan_secrets(results, scope),
        )

    def _ask_scope(self, question: str, title: str, then: Callable[[Scope], object]) -> None:
        """Ask user or org scope; ``then(scope)`` unless the question is cancelled."""

        def chosen(scope: Scope | None) -> None:
            if scope is not None:
                then(scope)

        self.app.push_screen(ScopeChoiceModal(question, title=title), chosen)

    @work(exclusive=True, group="extract-plan", exit_on_error=False)
    async def _plan_secrets(self, results: list[ProviderResult], scope: Scope) -> None:
        app = self._amika_app
        client = app.client
        if client is None:
            self.notify("Sign in first.", severity="warning")
            return
        try:
            remote = await client.list_secrets()
        except Exception as exc:
            app.report_error(exc, title="Listing secrets failed")
            return
        app.mark_online()
        values = {name: r.winner.value for r in results for name in r.env_names}
        plan = plan_secrets(entries_from_mapping(values), remote, scope)
        notes = [f"Plan: {plan.summary()}."]
        notes += [
            f"Skipped: {row.reason}."
            for row in plan.rows
            if row.kind in (RowKind.SCOPE_CONFLICT, RowKind.INVALID) and row.reason
        ]
        self._start_push(plan.items(), f"Push {len(values)} extracted secret(s)", notes)

    def action_push_credentials(self) -> None:
        """Push the selected Claude/Codex findings as provider credentials."""
        results = [r for r in self._selected_results() if spec_for(r.provider) is not None]
        if not results:
            self.notify(
                "Select an anthropic (Claude) or openai (Codex) finding with space first.",
                title="Nothing to push as a provider credential",
            )
            return
        providers = ", ".join(spec.display_name for r in results if (spec := spec_for(r.provider)))
        self._ask_scope(
            f"Push as provider credentials: {providers}.\n"
            "OAuth findings upload the whole credentials file; API keys the bare key.",
            "Push as Claude/Codex credentials",
            lambda scope: self._plan_credentials(results, scope),
        )

    @work(exclusive=True, group="extract-plan", exit_on_error=False)
    async def _plan_credentials(self, results: list[ProviderResult], scope: Scope) -> None:
        import asyncio

        app = self._amika_app
        client = app.client
        if client is None:
            self.notify("Sign in first.", severity="warning")
            return
        home = self.home
        choices = await asyncio.to_thread(
            provider_push_choices, results, lambda spec: spec.discover(home)
        )
        items: list[PushItem] = []
        notes: list[str] = []
        for choice in choices:
            if choice.value is None or choice.type is None:
                notes.append(f"Skipped {choice.spec.short_name}: {choice.problem}.")
                continue
            try:
                existing = await client.list_provider_secrets(choice.spec.api_path)
            except Exception as exc:
                app.report_error(exc, title=f"Listing {choice.spec.short_name} credentials failed")
                return
            plan = plan_provider(
                choice.spec.api_path,
                choice.spec.default_name(choice.type),
                choice.value,
                choice.type,
                scope,
                existing,
            )
            if plan.action is ProviderAction.INVALID:
                notes.append(f"Skipped {choice.spec.short_name}: {plan.message}")
                continue
            if plan.action is ProviderAction.REPLACE:
                notes.append(plan.message)
            item = plan.to_item()
            if item is not None:
                items.append(item)
        app.mark_online()
        if not items:
            self.notify(" ".join(notes) or "Nothing to push.", title="Nothing pushed")
            return
        self._start_push(items, "Push extracted Claude/Codex credentials", notes)

    def _start_push(self, items: list[PushItem], title: str, notes: list[str]) -> None:
        from amika_tui.ui.push import start_push

        start_push(self.app, items, title=title, notes=notes)

    # --- accessors -------------------------------------------------------------------------

    @property
    def _amika_app(self) -> AmikaApp:
        return cast("AmikaApp", self.app)

"""`ExtractScreen`: agent credentials on this machine, and pushing them into Amika.

Discovery runs in a thread worker and returns a `DiscoveryReport`; this screen renders
every source (priority, id, file, status) and every finding (provider, env keys, masked
value, kind, source) with the candidates it shadowed underneath. Selected findings go
through the shared plan → review → push → result flow, as generic secrets or, for Claude
and Codex, as provider credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static, Switch

from amika_tui.api import ProviderCredential, Scope
from amika_tui.discovery import (
    Candidate,
    DiscoveryReport,
    FileScan,
    FileStatus,
    ProviderResult,
    Shadowed,
)
from amika_tui.masking import mask_on_screen
from amika_tui.sync.extracted import (
    credential_choices,
    plan_extracted_credentials,
    plan_extracted_secrets,
    provider_for,
)
from amika_tui.sync.items import PushItem
from amika_tui.ui.dialogs.scope_choice import ScopeChoiceModal
from amika_tui.ui.paths import home_relative
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.revealable import Reveal
from amika_tui.ui.workers import WorkerFailure

if TYPE_CHECKING:
    pass

__all__ = [
    "ExtractScreen",
    "FindingRow",
    "file_path_text",
    "file_status_text",
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


def file_path_text(scan: FileScan, home: str) -> str:
    """The file column: ``~/.claude.json``, plus where a symlink leads (``→ ~/dotfiles/…``)."""
    text = home_relative(scan.path, home)
    if scan.target is not None:
        text += " → " + home_relative(scan.target, home)
    return text


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One row of the findings table: a provider's winner, or a candidate it shadowed."""

    result: ProviderResult
    shadowed: Shadowed | None = None
    """None for the winner's row."""

    @property
    def candidate(self) -> Candidate:
        """The value this row shows."""
        return self.result.winner if self.shadowed is None else self.shadowed.candidate

    @property
    def note(self) -> str | None:
        """Why the candidate lost, for shadowed rows."""
        return None if self.shadowed is None else f"Shadowed: {self.shadowed.reason}."


def _row_key(provider: str, index: int) -> str:
    """The table's row key: opaque, looked up in ``ExtractScreen.rows``, never parsed."""
    return f"{provider}\x00{index}"


class ExtractScreen(AmikaAppAccess, ReadOnlyAware, AmikaScreen):
    """Local credential discovery and push (mode ``extract``)."""

    WRITE_ACTIONS = frozenset({"push_secrets", "push_credentials"})

    AUTO_FOCUS = "#extract-findings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_selected", "Select", id="extract-select"),
        Binding("a", "select_all", "Select all/none", show=False, id="extract-select-all"),
        Binding("p", "push_secrets", "Push secrets", id="extract-push-secrets"),
        Binding("P", "push_credentials", "Push Claude/Codex", id="extract-push-credentials"),
        Binding("v", "reveal", "Reveal", id="extract-reveal"),
        Binding(
            "c",
            "copy",
            "Copy",
            id="extract-copy",
            tooltip="Copy the value, unseen (cleared after 30 s)",
        ),
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
        self.rows: dict[str, FindingRow] = {}
        """Findings table row key -> what the row shows."""
        self._winner_keys: dict[str, str] = {}
        self._revealed: Reveal[str] = Reveal(self, self._show_value_cell)

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

    @work(
        thread=True,
        exclusive=True,
        group="extract-scan",
        exit_on_error=False,
        description="Scanning this machine",
    )
    def _scan(self, include_oauth: bool) -> None:
        from amika_tui.discovery import HomeDirectoryError, scan

        try:
            report = scan(self.home, include_oauth=include_oauth)
        except HomeDirectoryError as exc:
            self.app.call_from_thread(self._show_scan_error, str(exc))
            raise WorkerFailure("Cannot scan this machine", exc) from exc
        self.app.call_from_thread(self._show_report, report)

    def _show_scan_error(self, reason: str) -> None:
        self.query_one("#extract-state", Static).update(f"Cannot scan: {reason}")

    def _show_report(self, report: DiscoveryReport) -> None:
        if not self.is_attached:  # the screen went away during the scan
            return
        self.report = report
        self._revealed.hide_all()
        found = {result.provider for result in report.providers}
        self.selected &= found
        self._fill_sources(report)
        self._fill_findings(report)
        problems = len(report.problems)
        oauth = "" if report.include_oauth else " OAuth sources skipped."
        where = home_relative(report.home)
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
                    file_path_text(scan, report.home),
                    Text(file_status_text(scan), style=_STATUS_STYLE.get(scan.status, "")),
                    key=f"{source.id}:{index}",
                )

    def _fill_findings(self, report: DiscoveryReport) -> None:
        table = self.query_one("#extract-findings", DataTable)
        table.clear()
        self.rows.clear()
        self._winner_keys.clear()
        for result in report.providers:
            key = _row_key(result.provider, 0)
            winner = result.winner
            self.rows[key] = FindingRow(result)
            self._winner_keys[result.provider] = key
            table.add_row(
                self._checkbox(result.provider),
                result.provider,
                ", ".join(result.env_names),
                mask_on_screen(winner.value),
                winner.kind.value,
                winner.source_id,
                home_relative(winner.file, report.home),
                key=key,
            )
            for index, shadowed in enumerate(result.shadowed, start=1):
                loser = shadowed.candidate
                shadow_key = _row_key(result.provider, index)
                self.rows[shadow_key] = FindingRow(result, shadowed)
                dim = "dim"
                table.add_row(
                    "",
                    Text(" ↳ shadowed", style=dim),
                    "",
                    Text(mask_on_screen(loser.value), style=dim),
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
        row = self.rows.get(key) if key is not None else None
        if key is None or row is None or self.report is None:
            detail.update("")
            return
        candidate = row.candidate
        shown = self._revealed.shown(key, candidate.value)
        where = home_relative(candidate.file, self.report.home)
        target = self._symlink_target(candidate)
        if target is not None:
            where += f" (symlink to {home_relative(target, self.report.home)})"
        lines = [
            f"{candidate.provider} · {candidate.kind.value} · {candidate.source_id} "
            f"(priority {candidate.priority}) · {where} · field {candidate.field}",
            f"Value: {shown}",
        ]
        if row.note is not None:
            lines.append(row.note)
        detail.update(Text("\n".join(lines)))

    def _symlink_target(self, candidate: Candidate) -> str | None:
        if self.report is None:
            return None
        return next(
            (
                f.target
                for s in self.report.sources
                for f in s.files
                if candidate in f.candidates and f.target is not None
            ),
            None,
        )

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

    def _highlighted_row(self) -> FindingRow | None:
        key = self._highlighted_key()
        return None if key is None else self.rows.get(key)

    def action_toggle_selected(self) -> None:
        """Tick or untick the highlighted finding."""
        row = self._highlighted_row()
        if row is None:
            return
        if row.shadowed is not None:
            self.notify("Shadowed values are not pushed; select the finding above it.")
            return
        provider = row.result.provider
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
        table.update_cell(self._winner_keys[provider], first_column, self._checkbox(provider))
        self._show_selection()

    def _show_selection(self) -> None:
        count = len(self.selected)
        if self.report is not None and not self.report.providers:
            text = (
                "Nothing found. The sources above say where amika-tui looked and why each "
                "file gave nothing."
            )
        elif self.read_only:
            text = "v reveals · c copies · this session is read-only, so nothing is pushed"
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
        if key is None or key not in self.rows:
            return
        self._revealed.toggle(key)

    def _show_value_cell(self, key: str) -> None:
        table = self.query_one("#extract-findings", DataTable)
        if key not in self.rows or key not in table.rows:
            return
        revealed = key in self._revealed
        value = self.rows[key].candidate.value
        # The clear value goes to the detail line only, where it can wrap.
        shown = Text("revealed ↓", style="bold yellow") if revealed else Text(mask_on_screen(value))
        table.update_cell(key, table.ordered_columns[3].key, shown)
        self._show_detail()

    def winner_key(self, provider: str) -> str:
        """The findings table's row key of ``provider``'s winning value.

        Raises:
            KeyError: nothing was found for ``provider``.
        """
        return self._winner_keys[provider]

    def is_revealed(self, key: str) -> bool:
        """True while the value of row ``key`` is shown in clear."""
        return key in self._revealed

    def action_copy(self) -> None:
        """Copy the highlighted value, without showing it (cleared again after 30 s)."""
        row = self._highlighted_row()
        if row is None:
            return
        candidate = row.candidate
        label = f"the {candidate.provider} value from {candidate.source_id}"
        self.amika_app.copy_secret(candidate.value, label)

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

    @work(
        exclusive=True,
        group="extract-plan",
        exit_on_error=False,
        description="Planning the push of extracted secrets",
    )
    async def _plan_secrets(self, results: list[ProviderResult], scope: Scope) -> None:
        async with self.amika_app.api("Listing secrets failed") as client:
            remote = await client.list_secrets()
        plan = plan_extracted_secrets(results, remote, scope)
        count = sum(len(r.env_names) for r in results)
        self._start_push(plan.items, f"Push {count} extracted secret(s)", plan.notes)

    def action_push_credentials(self) -> None:
        """Push the selected Claude/Codex findings as provider credentials."""
        results = [r for r in self._selected_results() if provider_for(r.provider) is not None]
        if not results:
            self.notify(
                "Select an anthropic (Claude) or openai (Codex) finding with space first.",
                title="Nothing to push as a provider credential",
            )
            return
        providers = ", ".join(
            p.display_name for r in results if (p := provider_for(r.provider)) is not None
        )
        self._ask_scope(
            f"Push as provider credentials: {providers}.\n"
            "OAuth findings upload the whole credentials file; API keys the bare key.",
            "Push as Claude/Codex credentials",
            lambda scope: self._plan_credentials(results, scope),
        )

    @work(
        exclusive=True,
        group="extract-plan",
        exit_on_error=False,
        description="Planning the push of extracted credentials",
    )
    async def _plan_credentials(self, results: list[ProviderResult], scope: Scope) -> None:
        choices = credential_choices(results)
        existing: dict[str, list[ProviderCredential]] = {}
        for choice in choices:
            if choice.value is None:
                continue
            title = f"Listing {choice.provider.short_name} credentials failed"
            async with self.amika_app.api(title) as client:
                existing[choice.provider.name] = await client.list_provider_secrets(
                    choice.provider.name
                )
        plan = plan_extracted_credentials(choices, existing, scope)
        if not plan.items:
            self.notify(" ".join(plan.notes) or "Nothing to push.", title="Nothing pushed")
            return
        self._start_push(plan.items, "Push extracted Claude/Codex credentials", plan.notes)

    def _start_push(self, items: list[PushItem], title: str, notes: list[str]) -> None:
        from amika_tui.ui.push import start_push

        start_push(self.app, items, title=title, notes=notes)

    # --- accessors -------------------------------------------------------------------------

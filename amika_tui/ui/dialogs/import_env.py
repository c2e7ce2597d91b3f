"""`ImportEnvDialog` (``i``): pick a `.env` file, preview the plan, push the selected rows.

The preview *is* the review step: keys, masked values (reveal one or all, re-masked after
30 s), the plan's action per row (create / update / scope conflict with a choice /
invalid, with the reason), a checkbox per row and the target scope. What the parser found
wrong with the file is one summary line that expands (``d``), so the rows keep the room.
The parse mode is remembered between imports. Pushing opens the shared progress → result
flow (`amika_tui.ui.push`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from amika_tui.api import Scope, Secret
from amika_tui.sync.envfile import (
    EnvFileError,
    EnvParseResult,
    ParseMode,
    ProblemCode,
    Severity,
    read_env_file,
)
from amika_tui.sync.executor import PushReport
from amika_tui.sync.plan import (
    ConflictResolution,
    RowKind,
    SecretPlan,
    SecretPlanRow,
    plan_secrets,
)
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.push import start_push
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.text import ellipsis
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.env_picker import EnvFileTree, PathSuggester
from amika_tui.ui.widgets.revealable import Reveal
from amika_tui.ui.workers import ReportsWorkerFailures

__all__ = ["ImportEnvDialog", "problems_summary", "row_cells", "row_detail"]

_OWNER = "import-env"
_MODE_LABELS = {ParseMode.AMIKA: "amika", ParseMode.DOTENV: "dotenv"}
_COLUMNS = ("check", "key", "value", "action", "note")
"""The preview's column keys, in the order of `row_cells`."""
_KEY_CELL = 40
"""Keys are cut to this many characters in the table; the line under it shows the whole."""
_ALL = None
"""The `Reveal` key meaning every row, whatever keys the next parse gives them."""


def row_cells(row: SecretPlanRow, shown_value: str) -> tuple[str, str, str, str, str]:
    """(check, key, value, action, note) for one preview row, the value as shown."""
    check = " - " if row.kind is RowKind.INVALID else "[x]" if row.will_push else "[ ]"
    if row.kind is RowKind.SCOPE_CONFLICT:
        action = f"conflict → {row.action_text}"
    else:
        action = row.action_text
    note = row.reason or ""
    if row.line:
        note = f"line {row.line}" + (f": {note}" if note else "")
    return check, ellipsis(row.key, _KEY_CELL), shown_value.replace("\n", "⏎"), action, note


def row_detail(row: SecretPlanRow) -> str:
    """The cursor row whole: its key, line and note (the table cuts long ones off), and
    the keys for that row."""
    keys = ["space select"] if row.kind is not RowKind.INVALID else []
    if row.kind is RowKind.SCOPE_CONFLICT:
        keys.append("c conflict choice")
    keys.append("v reveal")
    note = row_cells(row, "")[4]
    return (
        f"{row.key}: {note}  ({' · '.join(keys)})" if note else f"{row.key}  ({' · '.join(keys)})"
    )


def problems_summary(parsed: EnvParseResult) -> str:
    """One line for what the parser found (quoted-value hints are counted apart), e.g.
    ``2 lines not imported (errors), 1 warning``; empty when nothing."""
    counts = {severity: 0 for severity in Severity}
    for problem in parsed.problems:
        if problem.code is not ProblemCode.QUOTED_VALUE:
            counts[problem.severity] += 1
    parts = []
    errors = counts[Severity.ERROR]
    if errors:
        parts.append(f"{errors} line{'s' if errors != 1 else ''} not imported (errors)")
    for severity in (Severity.WARNING, Severity.HINT):
        n = counts[severity]
        if n:
            parts.append(f"{n} {severity}{'s' if n != 1 else ''}")
    return ", ".join(parts)


class PreviewTable(DataTable[Text]):
    """The preview rows: a click on the checkbox column toggles at once (elsewhere, a
    click moves the cursor and a second click toggles, as in any DataTable)."""

    async def on_click(self, event: events.Click) -> None:
        """A click on another row's checkbox selects and toggles it at once."""
        # Runs before DataTable's own click handler (Textual walks the MRO, subclass first);
        # prevent_default() keeps that one from running too.
        meta = event.style.meta
        row = meta.get("row", -1)
        if row >= 0 and meta.get("column") == 0 and row != self.cursor_row:
            event.prevent_default()
            event.stop()
            self.move_cursor(row=row)
            self.post_message(DataTable.RowSelected(self, row, self.ordered_rows[row].key))


class ImportEnvDialog(AmikaAppAccess, ReportsWorkerFailures, ReadOnlyAware, ModalScreen[bool]):
    """Import generic secrets from a `.env` file; dismisses True after a full push."""

    # Short terminals (24 rows) get a tighter layout so the preview rows stay visible; the
    # app adds "-narrow" below 100 columns.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    WRITE_ACTIONS = frozenset({"push"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import-close", tooltip="Close the dialog"),
        Binding(
            "ctrl+s",
            "push",
            "Push selected",
            priority=True,
            id="import-push",
            tooltip="Push the ticked rows",
        ),
        Binding(
            "ctrl+o", "browse", "Browse files", id="import-browse", tooltip="Browse for a file"
        ),
        Binding(
            "ctrl+t",
            "toggle_mode",
            "Parse mode",
            id="import-mode",
            tooltip="Parse mode: amika (verbatim, like the CLI) or dotenv",
        ),
        Binding(
            "ctrl+g",
            "toggle_scope",
            "Target scope",
            id="import-scope",
            tooltip="Push into user or org scope",
        ),
        Binding(
            "space",
            "toggle_row",
            "Toggle row",
            id="import-toggle-row",
            tooltip="Tick / untick the row (a conflict: its next choice)",
        ),
        Binding(
            "a",
            "select_all(True)",
            "All",
            id="import-select-all",
            tooltip="Tick every row that can be pushed",
        ),
        Binding(
            "x", "select_all(False)", "None", id="import-select-none", tooltip="Untick every row"
        ),
        Binding(
            "v",
            "reveal_row",
            "Reveal",
            id="import-reveal",
            tooltip="Show / mask the row's value (masked again after 30 s)",
        ),
        Binding(
            "V",
            "reveal_all",
            "Reveal all",
            id="import-reveal-all",
            tooltip="Show / mask every value (masked again after 30 s)",
        ),
        Binding(
            "ctrl+l",
            "copy_row",
            "Copy value",
            id="import-copy",
            tooltip="Copy the row's value, unseen (cleared after 30 s)",
        ),
        Binding(
            "c",
            "cycle_conflict",
            "Conflict choice",
            show=False,
            id="import-conflict",
            tooltip="A conflict: skip, update the other scope's, or create one here too",
        ),
        Binding(
            "d",
            "toggle_problems",
            "Problems in the file",
            show=False,
            id="import-problems",
            tooltip="Show / hide the problems found in the file",
        ),
        HELP_BINDING,
        *read_only_bindings({"ctrl+s": "pushing secrets"}, priority=True),
    ]

    def __init__(
        self,
        secrets: Sequence[Secret],
        *,
        scope: Scope = Scope.USER,
        start_dir: Path | None = None,
    ) -> None:
        super().__init__(classes="import-dialog")
        self.secrets = list(secrets)
        """Secrets listed remotely, which the plan is made against."""
        self.scope = scope
        self.mode = _remembered_mode(self.amika_app.ui_config.import_mode)
        """The parse mode: the one last used, amika's verbatim reading the first time."""
        self.path: Path | None = None
        self.parsed: EnvParseResult | None = None
        self.plan: SecretPlan | None = None
        self.revealed: Reveal[str | None] = Reveal(self, self._reveal_changed)
        """Rows shown in clear, by key; `_ALL` for "reveal all" (whatever the keys)."""
        self._start_dir = start_dir
        self._deselected: set[str] = set()
        self._resolutions: dict[str, ConflictResolution] = {}
        self._table_keys: list[str] = []
        """The keys of the table's rows, in order."""
        self._cells: list[tuple[str, ...]] = []
        """The cells the table shows, row by row (so a change redraws only what differs)."""

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import a .env file", classes="dialog-title")
            with Horizontal(id="import-path-row"):
                yield Input(
                    placeholder="path to a .env file (→ completes, enter loads)",
                    id="import-path",
                    suggester=PathSuggester(),
                )
                yield Button("Browse (ctrl+o)", id="import-browse-button", compact=True)
            yield EnvFileTree(self._initial_dir(), id="import-tree")
            with Vertical(id="import-preview"):
                with Horizontal(id="import-options"):
                    yield Button("", id="import-mode-button", compact=True)
                    yield Button("", id="import-scope-button", compact=True)
                    yield Button("All (a)", id="import-all-button", compact=True)
                    yield Button("None (x)", id="import-none-button", compact=True)
                    yield Button("Reveal all (V)", id="import-reveal-button", compact=True)
                yield Button("", id="import-problems-button", compact=True)
                yield Static("", id="import-problems")
                yield Button("", id="import-hint-button", compact=True, variant="warning")
                yield PreviewTable(id="import-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="import-row-detail")
                yield Static("", id="import-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Push selected (ctrl+s)", id="import-push-button", variant="primary")
                yield Button("Close (esc)", id="import-close-button")

    def _initial_dir(self) -> Path:
        candidates = [self._start_dir]
        remembered = self.amika_app.ui_config.last_import_dir
        if remembered:
            candidates.append(Path(remembered))
        candidates.append(Path.cwd())
        for candidate in candidates:
            if candidate is not None and candidate.is_dir():
                return candidate
        return Path.cwd()

    def on_mount(self) -> None:
        table = self.table
        for key, label in zip(_COLUMNS, ("", "Key", "Value", "Action", "Note"), strict=True):
            table.add_column(label, key=key, width=3 if key == "check" else None)
        self.query_one("#import-preview").display = False
        self.query_one("#import-hint-button").display = False
        self.query_one("#import-problems").display = False
        self.query_one("#import-push-button", Button).disabled = True
        # Read-only: the dialog previews what a push would do, and cannot push.
        self.query_one("#import-push-button", Button).display = not self.read_only
        self._update_option_labels()
        path_input = self.query_one("#import-path", Input)
        path_input.value = ""
        path_input.focus()

    # --- loading -------------------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        self.load(Path(event.value.strip()).expanduser())

    @on(EnvFileTree.FileSelected)
    def _file_selected(self, event: EnvFileTree.FileSelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = str(event.path)
        self.load(event.path)

    def load(self, path: Path) -> bool:
        """Read ``path`` in the current mode and show its plan; False when unreadable."""
        if not str(path) or str(path) == ".":
            self.notify("Type a path or browse for a file.", severity="warning")
            return False
        try:
            parsed = read_env_file(path, self.mode)
        except EnvFileError as error:
            self.notify(str(error), title="Cannot import", severity="error")
            self.query_one("#import-path", Input).add_class("error")
            return False
        self.query_one("#import-path", Input).remove_class("error")
        self.path = path
        self.parsed = parsed
        self._deselected.clear()
        self._resolutions.clear()
        self.revealed.hide_all()
        self.query_one("#import-problems").display = False
        self.amika_app.remember_import_dir(path.resolve().parent)
        self.query_one("#import-tree").display = False
        self.query_one("#import-preview").display = True
        self._replan()
        self.table.focus()
        return True

    def _reparse(self) -> None:
        if self.path is None:
            return
        try:
            self.parsed = read_env_file(self.path, self.mode)
        except EnvFileError as error:
            self.notify(str(error), title="Cannot import", severity="error")
            return
        self._replan()

    def _replan(self) -> None:
        if self.parsed is None:
            return
        plan = plan_secrets(self.parsed.entries, self.secrets, self.scope)
        self._show_plan(plan.with_choices(self._deselected, self._resolutions))

    # --- rendering -----------------------------------------------------------------------

    def _show_plan(self, plan: SecretPlan, changed: Iterable[str] | None = None) -> None:
        """Show ``plan``. ``changed``: the only keys whose rows differ from the plan shown
        (the table keeps its rows and redraws those). None: compare every row, and rebuild
        the table when the plan has other keys, or in another order, than the rows shown."""
        self.plan = plan
        parsed = self.parsed
        if parsed is None:
            return
        if changed is not None:
            for key in changed:
                self._redraw_row(plan.position(key))
        elif [row.key for row in plan.rows] != self._table_keys:
            self._rebuild_table(plan)
        else:
            for position in range(len(plan.rows)):
                self._redraw_row(position)
        self._show_row_detail()
        self._show_problems(parsed)
        counts = plan.counts
        self.query_one("#import-summary", Static).update(
            f"{plan.summary()}  ·  {counts.to_push} selected to push into {plan.scope} scope"
        )
        self.query_one("#import-push-button", Button).disabled = counts.to_push == 0
        self.amika_app.set_unpushed(_OWNER, counts.to_push > 0)
        self._update_option_labels()

    def _rebuild_table(self, plan: SecretPlan) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear()
        self._table_keys = [row.key for row in plan.rows]
        self._cells = [row_cells(row, self._shown(row)) for row in plan.rows]
        for row, cells in zip(plan.rows, self._cells, strict=True):
            table.add_row(*(Text(cell) for cell in cells), key=row.key)
        if plan.rows:
            table.move_cursor(row=min(keep, len(plan.rows) - 1))

    def _redraw_row(self, position: int) -> None:
        """Update the cells of one row that differ from what the table shows."""
        assert self.plan is not None
        row = self.plan.rows[position]
        cells = row_cells(row, self._shown(row))
        shown = self._cells[position]
        if cells == shown:
            return
        self._cells[position] = cells
        table = self.table
        for key, new, old in zip(_COLUMNS, cells, shown, strict=True):
            if new != old:
                # A cell wider than its column widens it; any other leaves the width as it
                # is (asked to, DataTable measures the whole column again for each cell
                # narrower than the column: quadratic for "select all").
                wider = (
                    key != "check" and cell_len(new) > table.columns[ColumnKey(key)].content_width
                )
                table.update_cell(row.key, key, Text(new), update_width=wider)

    def _reveal_changed(self, key: str | None) -> None:
        if self.plan is not None:
            one = key is not _ALL and key in self.plan
            self._show_plan(self.plan, [key] if one and key is not None else None)

    @on(DataTable.RowHighlighted, "#import-table")
    def _show_row_detail(self) -> None:
        row = self._current_row()
        self.query_one("#import-row-detail", Static).update(
            Text(row_detail(row)) if row is not None else ""
        )

    def _shown(self, row: SecretPlanRow) -> str:
        """The row's value as the reveal state says: clear, or masked."""
        return self.revealed.shown(_ALL if _ALL in self.revealed else row.key, row.value)

    def _show_problems(self, parsed: EnvParseResult) -> None:
        summary = problems_summary(parsed)
        problems_button = self.query_one("#import-problems-button", Button)
        problems_button.display = bool(summary)
        expanded = self.query_one("#import-problems").display
        problems_button.label = (
            f"{'▾' if expanded else '▸'} {summary} (d {'hides' if expanded else 'shows'})"
        )
        lines = []
        for problem in parsed.problems:
            if problem.code is ProblemCode.QUOTED_VALUE:
                continue  # summarised by the hint button below
            where = f"line {problem.line}" if problem.line is not None else "file"
            lines.append(
                Text.assemble(
                    (f"{where}: ", "bold"), _severity_text(problem.severity), problem.message
                )
            )
        widget = self.query_one("#import-problems", Static)
        widget.update(Text("\n").join(lines) if lines else "")
        quoted = [p for p in parsed.problems if p.code is ProblemCode.QUOTED_VALUE]
        hint = self.query_one("#import-hint-button", Button)
        if quoted and self.mode is ParseMode.AMIKA:
            keys = ", ".join(p.key or "?" for p in quoted[:3]) + ("…" if len(quoted) > 3 else "")
            hint.label = (
                f"{len(quoted)} value(s) look quoted ({keys}): amika keeps quotes · ctrl+t: dotenv"
            )
            hint.display = True
        else:
            hint.display = False

    def _update_option_labels(self) -> None:
        labels = {
            "#import-mode-button": f"Mode: {_MODE_LABELS[self.mode]} (ctrl+t)",
            "#import-scope-button": f"Into: {self.scope} (ctrl+g)",
            "#import-reveal-button": "Mask all (V)" if self.revealed else "Reveal all (V)",
        }
        for selector, label in labels.items():
            button = self.query_one(selector, Button)
            if str(button.label) != label:
                button.label = label
                button.refresh(layout=True)  # a longer label needs a wider button

    # --- row actions ---------------------------------------------------------------------

    def _current_row(self) -> SecretPlanRow | None:
        if self.plan is None or not self.plan.rows:
            return None
        index = self.table.cursor_row
        if 0 <= index < len(self.plan.rows):
            return self.plan.rows[index]
        return None

    @on(DataTable.RowSelected, "#import-table")
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle_row()

    def action_toggle_row(self) -> None:
        """Include or leave out the row under the cursor (for conflicts: update or skip)."""
        row = self._current_row()
        if row is None or self.plan is None:
            return
        if row.kind is RowKind.INVALID:
            self.notify(row.reason or "This row cannot be pushed.", severity="warning")
            return
        if row.kind is RowKind.SCOPE_CONFLICT:
            self.action_cycle_conflict()
            return
        if row.selected:
            self._deselected.add(row.key)
        else:
            self._deselected.discard(row.key)
        self._show_plan(self.plan.with_selected(row.key, not row.selected), [row.key])

    def action_cycle_conflict(self) -> None:
        """For a scope conflict: skip it, update the other scope's secret, or create one in
        this scope too (two will then exist)."""
        row = self._current_row()
        if row is None or row.kind is not RowKind.SCOPE_CONFLICT or self.plan is None:
            return
        resolution = (row.resolution or ConflictResolution.SKIP).next()
        self._resolutions[row.key] = resolution
        self._deselected.discard(row.key)
        plan = self.plan.with_resolution(row.key, resolution).with_selected(row.key, True)
        self._show_plan(plan, [row.key])

    def action_toggle_problems(self) -> None:
        """Show or hide the list of what is wrong in the file."""
        if self.parsed is None or not problems_summary(self.parsed):
            return
        problems = self.query_one("#import-problems")
        problems.display = not problems.display
        self._show_problems(self.parsed)

    def action_select_all(self, selected: bool) -> None:
        """Select every row that can be pushed, or none."""
        if self.plan is None:
            return
        if selected:
            self._deselected.clear()
        else:
            self._deselected = {row.key for row in self.plan.rows}
            self._resolutions = {
                row.key: ConflictResolution.SKIP
                for row in self.plan.rows
                if row.kind is RowKind.SCOPE_CONFLICT
            }
        self._show_plan(self.plan.with_choices(self._deselected, self._resolutions))

    def action_reveal_row(self) -> None:
        """Show (or mask again) the value of the row under the cursor."""
        row = self._current_row()
        if row is None:
            return
        if _ALL in self.revealed:  # everything shown: masking one masks them all
            self.revealed.hide_all()
            return
        self.revealed.toggle(row.key)

    def action_copy_row(self) -> None:
        """Copy the value of the row under the cursor, without showing it."""
        row = self._current_row()
        if row is not None:
            self.amika_app.copy_secret(row.value, f"the value of {row.key} (line {row.line})")

    def action_reveal_all(self) -> None:
        """Show every value (also after a re-parse), or mask them all when some are shown."""
        if self.plan is None:
            return
        if self.revealed:
            self.revealed.hide_all()
        else:
            self.revealed.reveal(_ALL)

    # --- options -------------------------------------------------------------------------

    def action_toggle_mode(self) -> None:
        """Switch between the amika CLI's verbatim rules and dotenv parsing; re-parse."""
        self.mode = ParseMode.DOTENV if self.mode is ParseMode.AMIKA else ParseMode.AMIKA
        self.amika_app.remember_import_mode(self.mode.value)
        self._update_option_labels()
        self._reparse()

    def action_toggle_scope(self) -> None:
        """Push into user or org scope; re-plan (conflict choices are kept: a name is a
        conflict in one scope only, so each choice applies when its scope is back)."""
        self.scope = Scope.ORG if self.scope is Scope.USER else Scope.USER
        self._update_option_labels()
        self._replan()

    def action_browse(self) -> None:
        """Show the directory tree."""
        tree = self.query_one("#import-tree", EnvFileTree)
        tree.display = True
        tree.focus()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {
            "import-browse-button": self.action_browse,
            "import-mode-button": self.action_toggle_mode,
            "import-hint-button": self.action_toggle_mode,
            "import-scope-button": self.action_toggle_scope,
            "import-all-button": lambda: self.action_select_all(True),
            "import-none-button": lambda: self.action_select_all(False),
            "import-reveal-button": self.action_reveal_all,
            "import-problems-button": self.action_toggle_problems,
            "import-push-button": self.action_push,
            "import-close-button": self.action_close,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()
            if event.button.id not in ("import-browse-button", "import-close-button"):
                self.table.focus()  # keys keep working on the rows after a click

    # --- push / close --------------------------------------------------------------------

    def action_push(self) -> None:
        """Push the selected rows (progress, then the result with "retry failed")."""
        if self.refuse_if_read_only("pushing secrets"):
            return
        if self.plan is None or self.plan.counts.to_push == 0:
            self.notify("Nothing selected to push.", severity="warning")
            return
        items = self.plan.items()
        name = self.path.name if self.path else ".env"
        start_push(
            self.app,
            items,
            title=f"Pushing {len(items)} secret{'s' if len(items) != 1 else ''} from {name}",
            review=False,
            on_complete=self._pushed,
            on_close=self._push_closed,
        )

    def _pushed(self, report: PushReport) -> None:
        if report.ok:
            self.amika_app.set_unpushed(_OWNER, False)

    def _push_closed(self, report: PushReport | None) -> None:
        if report is not None and report.ok:
            self.dismiss(True)
        elif report is not None:
            self._relist()  # what did land is now an update: plan against the new listing

    @work(
        exclusive=True,
        group="import-relist",
        exit_on_error=False,
        description="Listing secrets again",
    )
    async def _relist(self) -> None:
        async with self.amika_app.api("Could not list secrets") as client:
            self.secrets = await client.list_secrets()
        self._replan()

    def action_close(self) -> None:
        """Close the dialog (a pushed or empty import closes without asking)."""
        self.amika_app.set_unpushed(_OWNER, False)
        self.dismiss(False)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#import-table", DataTable)


def _remembered_mode(name: str | None) -> ParseMode:
    """The parse mode saved in the UI config; amika's when none (or not one we know)."""
    try:
        return ParseMode(name or ParseMode.AMIKA)
    except ValueError:
        return ParseMode.AMIKA


def _severity_text(severity: Severity) -> tuple[str, str]:
    styles = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.HINT: "cyan"}
    return f"{severity}: ", styles[severity]

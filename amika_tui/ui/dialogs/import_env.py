"""`ImportEnvDialog` (``i``): pick a `.env` file, preview the plan, push the selected rows.

The preview *is* the review step: keys, masked values (reveal one or all, re-masked after
30 s), the plan's action per row (create / update / scope conflict with a choice /
invalid, with the reason), a checkbox per row and the target scope. What the parser found
wrong with the file is one summary line that expands (``d``), so the rows keep the room.
The parse mode is remembered between imports. Pushing opens the shared progress → result
flow (`amika_tui.ui.push`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

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
from amika_tui.sync.plan import SecretPlan, plan_secrets
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.push import start_push
from amika_tui.ui.push.review_table import ReviewKeys, ReviewTable, review_bindings
from amika_tui.ui.screens.read_only import ReadOnlyAware, read_only_bindings
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.env_picker import EnvFileTree, PathSuggester
from amika_tui.ui.workers import ReportsWorkerFailures

__all__ = ["ImportEnvDialog", "problems_summary"]

_OWNER = "import-env"
_MODE_LABELS = {ParseMode.AMIKA: "amika", ParseMode.DOTENV: "dotenv"}


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


class ImportEnvDialog(
    ReviewKeys, AmikaAppAccess, ReportsWorkerFailures, ReadOnlyAware, ModalScreen[bool]
):
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
        *review_bindings("import"),
        Binding(
            "ctrl+l",
            "copy_row",
            "Copy value",
            id="import-copy",
            tooltip="Copy the row's value, unseen (cleared after 30 s)",
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
        self._start_dir = start_dir

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
                yield ReviewTable(id="import-table")
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
        self.table.revealed.hide_all()
        self.query_one("#import-problems").display = False
        self.amika_app.remember_import_dir(path.resolve().parent)
        self.query_one("#import-tree").display = False
        self.query_one("#import-preview").display = True
        self._replan(keep_choices=False)
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

    def _replan(self, *, keep_choices: bool = True) -> None:
        """Plan the parsed file against the listing into the target scope, with the choices
        made so far (a new file: afresh)."""
        if self.parsed is None:
            return
        plan = plan_secrets(self.parsed.entries, self.secrets, self.scope)
        self.table.show([plan], keep_choices=keep_choices)
        self._show_problems(self.parsed)

    @property
    def plan(self) -> SecretPlan | None:
        """The plan shown, with the user's choices; None until a file is loaded."""
        plans = self.table.review.plans
        return plans[0] if plans else None

    # --- rendering -----------------------------------------------------------------------

    @on(ReviewTable.Changed, "#import-table")
    def _plan_changed(self) -> None:
        """The summary, the push button and the labels follow the ticks and reveals."""
        plan = self.plan
        if plan is None:
            return
        self._show_row_detail()
        counts = plan.counts
        self.query_one("#import-summary", Static).update(
            f"{plan.summary()}  ·  {counts.to_push} selected to push into {plan.scope} scope"
        )
        self.query_one("#import-push-button", Button).disabled = counts.to_push == 0
        self.amika_app.set_unpushed(_OWNER, counts.to_push > 0)
        self._update_option_labels()

    @on(ReviewTable.CursorMoved, "#import-table")
    def _show_row_detail(self) -> None:
        self.query_one("#import-row-detail", Static).update(Text(self.table.detail()))

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
            "#import-reveal-button": "Mask all (V)" if self.table.revealed else "Reveal all (V)",
        }
        for selector, label in labels.items():
            button = self.query_one(selector, Button)
            if str(button.label) != label:
                button.label = label
                button.refresh(layout=True)  # a longer label needs a wider button

    # --- row actions ---------------------------------------------------------------------

    def action_toggle_problems(self) -> None:
        """Show or hide the list of what is wrong in the file."""
        if self.parsed is None or not problems_summary(self.parsed):
            return
        problems = self.query_one("#import-problems")
        problems.display = not problems.display
        self._show_problems(self.parsed)

    def action_copy_row(self) -> None:
        """Copy the value of the row under the cursor, without showing it."""
        row = self.table.current
        if row is not None:
            self.amika_app.copy_secret(row.value, f"the value of {row.key} (line {row.line})")

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
    def table(self) -> ReviewTable:
        """The preview's rows."""
        return self.query_one("#import-table", ReviewTable)


def _remembered_mode(name: str | None) -> ParseMode:
    """The parse mode saved in the UI config; amika's when none (or not one we know)."""
    try:
        return ParseMode(name or ParseMode.AMIKA)
    except ValueError:
        return ParseMode.AMIKA


def _severity_text(severity: Severity) -> tuple[str, str]:
    styles = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.HINT: "cyan"}
    return f"{severity}: ", styles[severity]

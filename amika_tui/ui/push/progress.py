"""`PushScreen`: a push in progress (bar, counts, rate, time left, cancel), then its result
(retry failed)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, ProgressBar, Static

from amika_tui.sync.executor import Outcome, PushExecutor, PushProgress, PushReport, PushRetry
from amika_tui.sync.items import PushItem
from amika_tui.ui.dialogs.help import HELP_BINDING
from amika_tui.ui.messages import SecretsChanged
from amika_tui.ui.push.runner import auth_failure, make_executor, retry_text
from amika_tui.ui.text import ellipsis
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.workers import ReportsWorkerFailures

__all__ = ["PushScreen", "progress_text", "result_rows"]

_OWNER = "push"
_OUTCOME_ORDER = (
    Outcome.FAILED,
    Outcome.SKIPPED,
    Outcome.CREATED,
    Outcome.UPDATED,
    Outcome.REPLACED,
)


_NAME_CELL = 40
"""Names are cut to this many cells in the result table, so the detail stays on screen (the
line under the table shows the highlighted row whole)."""


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


def progress_text(done: int, total: int, written: int, failed: int, elapsed: float) -> str:
    """E.g. ``120 of 5000 done: 118 written, 2 failed · 85/s · about 57 s left``; rate and
    time left once something is done."""
    text = f"{done} of {total} done: {written} written" + (f", {failed} failed" if failed else "")
    if done == 0 or elapsed <= 0:
        return text
    rate = done / elapsed
    rate_text = f"{rate:.0f}/s" if rate >= 10 else f"{rate:.1f}/s"
    text += f" · {rate_text}"
    if done < total:
        text += f" · about {_duration((total - done) / rate)} left"
    return text


def result_rows(report: PushReport) -> list[tuple[str, str, str, str]]:
    """(outcome, name, scope, detail) per item: failures first, then by name."""
    rows = []
    for result in report.results:
        item = result.item
        name = f"{item.provider}: {item.name}" if item.provider else item.name
        detail = "; ".join(part for part in (result.error, result.note) if part)
        rows.append((str(result.outcome), name, str(item.scope), detail))
    rows.sort(key=lambda row: (_OUTCOME_ORDER.index(Outcome(row[0])), row[1]))
    return rows


class PushScreen(AmikaAppAccess, ReportsWorkerFailures, ModalScreen[PushReport | None]):
    """Runs the executor over ``items``; dismisses with the final report (None if never run).

    Shows a progress bar with counts while pushing (escape / c cancels: nothing new is
    started, in-flight items finish) and then the result: created, updated, replaced,
    skipped and failed items with reasons, with "retry failed" while anything failed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,c",
            "cancel_or_close",
            "Cancel / close",
            id="push-cancel",
            tooltip="Cancel the push (in-flight items finish), or close the result",
        ),
        Binding(
            "r",
            "retry_failed",
            "Retry failed",
            id="push-retry",
            tooltip="Retry what failed or was skipped (values kept in memory)",
        ),
        # Priority: enter closes the result whatever button has the focus; only r or a
        # click on the button retries.
        Binding("enter", "close", "Close the result", show=False, priority=True),
        HELP_BINDING,
    ]

    def __init__(
        self,
        items: Sequence[PushItem],
        *,
        title: str = "Pushing",
        on_complete: Callable[[PushReport], None] | None = None,
    ) -> None:
        super().__init__(classes="push-screen")
        self.items = list(items)
        self.push_title = title
        self.on_complete = on_complete
        self.report: PushReport | None = None
        """The latest report (merged after each retry)."""
        self._rows: list[tuple[str, str, str, str]] = []
        self.running = False
        self._executor: PushExecutor | None = None
        self._ok = 0
        self._failed = 0
        self._started = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.push_title, classes="dialog-title", id="push-title")
            with Vertical(id="push-progress"):
                yield ProgressBar(total=len(self.items), id="push-bar", show_eta=False)
                yield Static("", id="push-counts")
                yield Static("", id="push-current")
            with Vertical(id="push-result"):
                yield Static("", id="push-summary")
                yield DataTable(id="push-results", cursor_type="row", zebra_stripes=True)
                yield Static("", id="push-row-detail")
            with Horizontal(classes="dialog-buttons"):
                # Not focusable: enter never lands on it (r or a click retries).
                retry = Button("Retry failed (r)", id="push-retry", variant="warning")
                retry.can_focus = False
                yield retry
                yield Button("Cancel (esc)", id="push-cancel", variant="error")
                yield Button("Close (enter)", id="push-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#push-results", DataTable).add_columns("Result", "Name", "Scope", "Detail")
        self._run(self.items, retry=False)

    # --- running -------------------------------------------------------------------------

    def _show_running(self, total: int, title: str) -> None:
        self.running = True
        self._ok = self._failed = 0
        self._started = time.monotonic()
        self.query_one("#push-title", Static).update(title)
        self.query_one("#push-current", Static).update("")
        self.query_one("#push-progress").display = True
        self.query_one("#push-result").display = False
        self.query_one("#push-bar", ProgressBar).update(total=total, progress=0)
        self.query_one("#push-counts", Static).update(f"0 of {total} done")
        self.query_one("#push-retry", Button).display = False
        self.query_one("#push-close", Button).display = False
        cancel = self.query_one("#push-cancel", Button)
        cancel.display = True
        cancel.disabled = False
        cancel.label = "Cancel (esc)"
        cancel.focus()
        self.amika_app.set_unpushed(_OWNER, True)

    def _progress(self, event: PushProgress) -> None:
        if event.result is None:
            self.query_one("#push-current", Static).update(f"pushing {event.current.name} …")
            return
        if event.result.ok:
            self._ok += 1
        elif event.result.outcome is Outcome.FAILED:
            self._failed += 1
        self.query_one("#push-bar", ProgressBar).update(progress=event.done)
        elapsed = time.monotonic() - self._started
        self.query_one("#push-counts", Static).update(
            progress_text(event.done, event.total, self._ok, self._failed, elapsed)
        )

    def _retrying(self, retry: PushRetry) -> None:
        self.query_one("#push-current", Static).update(f"{retry.item.name}: {retry_text(retry)}")

    @work(exclusive=True, group="push", exit_on_error=False, description="Pushing")
    async def _run(self, items: Sequence[PushItem], *, retry: bool) -> None:
        client = self.amika_app.client
        if client is None:
            self.notify("Not signed in.", severity="error")
            self.dismiss(None)
            return
        executor = make_executor(
            client,
            backoff_base=self.amika_app.settings.backoff_base,
            on_progress=self._progress,
            on_retry=self._retrying,
        )
        self._executor = executor
        if retry and self.report is not None:
            pending = [r for r in self.report.results if not r.ok]
            self._show_running(len(pending), f"Retrying {len(pending)} not pushed")
            report = await executor.retry_failed(self.report, include_skipped=True)
        else:
            self._show_running(len(items), self.push_title)
            report = await executor.run(list(items))
        self._executor = None
        self._finish(report)

    def _finish(self, report: PushReport) -> None:
        self.report = report
        self.running = False
        if any(result.ok for result in report.results):
            self.app.post_message(SecretsChanged("push finished"))
            self.amika_app.mark_online()
        self.amika_app.set_unpushed(_OWNER, bool(report.failed or report.skipped))
        self.query_one("#push-progress").display = False
        self.query_one("#push-result").display = True
        title = "Push cancelled" if report.cancelled else "Push finished"
        if report.failed:
            title += " with failures"
        self.query_one("#push-title", Static).update(title)
        self.query_one("#push-summary", Static).update(report.summary())
        table = self.query_one("#push-results", DataTable)
        table.clear()
        self._rows = result_rows(report)
        for outcome, name, scope, detail in self._rows:
            table.add_row(
                Text(outcome), Text(ellipsis(name, _NAME_CELL)), Text(scope), Text(detail)
            )
        self._show_row_detail()
        retry = self.query_one("#push-retry", Button)
        retry.display = bool(report.failed or report.skipped)
        self.query_one("#push-cancel", Button).display = False
        close = self.query_one("#push-close", Button)
        close.display = True
        close.focus()
        if self.on_complete is not None:
            self.on_complete(report)
        stale = auth_failure(report)
        if stale is not None:
            # The result (and its "retry failed", values kept) stays under the sign-in view.
            self.amika_app.report_error(stale, title="Push stopped")

    @on(DataTable.RowHighlighted, "#push-results")
    def _show_row_detail(self) -> None:
        """The highlighted result whole: a long name does not push its reason off-screen."""
        rows = self._rows
        index = self.query_one("#push-results", DataTable).cursor_row
        detail = self.query_one("#push-row-detail", Static)
        if (
            not rows
            or not 0 <= index < len(rows)
            or not (rows[index][3] or len(rows[index][1]) > _NAME_CELL)
        ):
            detail.display = False
            return
        outcome, name, scope, why = rows[index]
        detail.update(Text(f"{name} ({scope}): {outcome}" + (f": {why}" if why else "")))
        detail.display = True

    # --- actions -------------------------------------------------------------------------

    @on(Button.Pressed, "#push-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel_or_close()

    @on(Button.Pressed, "#push-retry")
    def _retry_pressed(self) -> None:
        self.action_retry_failed()

    @on(Button.Pressed, "#push-close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_cancel_or_close(self) -> None:
        """Cancel while pushing (in-flight items finish); close once finished."""
        if self.running:
            if self._executor is not None:
                self._executor.cancel()
            cancel = self.query_one("#push-cancel", Button)
            cancel.disabled = True
            cancel.label = "Cancelling …"
            return
        self.action_close()

    def action_retry_failed(self) -> None:
        """Push again only what failed (or was skipped), with the values kept in memory."""
        if self.running or self.report is None or self.report.ok:
            return
        self._run([], retry=True)

    def action_close(self) -> None:
        """Close the result view."""
        if self.running:
            return
        self.amika_app.set_unpushed(_OWNER, False)
        self.dismiss(self.report)

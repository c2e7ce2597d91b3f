"""`ClipboardKeeper`: the app copies a secret value it holds, and clears it again in time.

A copy goes to the terminal's clipboard (OSC 52, Textual's `App.copy_to_clipboard`) and to
the system clipboard tool when there is one; after `CLEAR_AFTER_SECONDS` the keeper asks
`amika_tui.clipboard.Clipboard.expire` whether it is still ours, clears it, and says so.
The toasts name what was copied, never the value. The delay runs on the app's injected
timer (`AppSettings.timer`), so tests advance a clock instead of waiting.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from amika_tui.clipboard import (
    CLEAR_AFTER_SECONDS,
    ClearDecision,
    Clipboard,
    ClipboardError,
    Copy,
    find_tool,
)
from amika_tui.ui.workers import WorkerFailure

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = ["STORED_VALUES_NOT_COPYABLE", "ClipboardKeeper", "copied_text"]


STORED_VALUES_NOT_COPYABLE = (
    "A stored value cannot be copied: the Amika API never returns a value once it is "
    "stored. Copy a value where amika-tui holds it: in New / Update (ctrl+l), an import "
    "row (ctrl+l) or the Extract pane (c)."
)
"""What the copy key says where only stored values are listed."""


def copied_text(label: str) -> str:
    """The toast after a copy: what was copied and when it goes, never the value."""
    return f"{label[:1].upper()}{label[1:]} copied — clears in {CLEAR_AFTER_SECONDS:g} s."


class ClipboardKeeper:
    """The app's copies of secret values, each cleared again `CLEAR_AFTER_SECONDS` later
    if the clipboard still holds it (see `amika_tui.clipboard`)."""

    def __init__(self, app: AmikaApp) -> None:
        """Args:
        app: Sends OSC 52, shows the toasts, runs the tool in thread workers and
            schedules the clear (`AmikaApp.schedule`).
        """
        self._app = app
        self._clipboard: Clipboard | None = None
        """Made at the first copy (looking for a tool runs a few ``which``)."""

    def __repr__(self) -> str:
        return f"ClipboardKeeper({self._clipboard!r})"

    @property
    def clipboard(self) -> Clipboard:
        """The session's copies and the system tool found for them."""
        if self._clipboard is None:
            self._clipboard = Clipboard(find_tool())
        return self._clipboard

    def copy(self, value: str, label: str) -> None:
        """Put ``value`` on the clipboards and clear it again in time.

        Args:
            value: The secret value (never shown, logged or passed in argv).
            label: What it is, for the toasts ("the value of OPENAI_API_KEY").
        """
        app = self._app
        if not value:
            app.notify("Nothing to copy: the value is empty.", title="Copy", severity="warning")
            return
        clipboard = self.clipboard
        copy = clipboard.remember(value, label)
        app.copy_to_clipboard(value)
        tool = clipboard.tool
        where = "the terminal's clipboard (OSC 52)" + (f" and {tool.name}" if tool else "")
        app.notify(f"{copied_text(label)}\nOn {where}.", title="Copied", markup=False)
        if tool is not None:
            app.run_worker(
                partial(self._write, copy, value),
                thread=True,
                group="clipboard",
                exit_on_error=False,
                description="Copying to the system clipboard",
            )
        self._app.schedule(CLEAR_AFTER_SECONDS, partial(self._expire, copy))

    def _write(self, copy: Copy, value: str) -> None:
        try:
            self.clipboard.write(copy, value)
        except ClipboardError as error:
            note = ClipboardError(f"{error}. The terminal's clipboard has the value alone.")
            raise WorkerFailure("Copy to the system clipboard failed", note) from None

    def _expire(self, copy: Copy) -> None:
        """The copy's time is up: check and clear it off the UI thread."""
        self._app.run_worker(
            partial(self._expire_in_thread, copy),
            thread=True,
            group="clipboard",
            exit_on_error=False,
            description="Clearing the clipboard",
        )

    def _expire_in_thread(self, copy: Copy) -> None:
        try:
            decision = self.clipboard.expire(copy)
        except ClipboardError as error:
            raise WorkerFailure("Clearing the clipboard failed", error) from None
        self._app.call_from_thread(self._expired, copy, decision)

    def _expired(self, copy: Copy, decision: ClearDecision) -> None:
        app = self._app
        if decision is ClearDecision.SUPERSEDED or not self.clipboard.is_latest(copy):
            return  # the newer copy is cleared in its own time
        if decision is ClearDecision.CHANGED:
            app.notify(
                f"The clipboard holds something else now: left as is ({copy.label} was "
                "no longer on it).",
                title="Clipboard",
                markup=False,
            )
            return
        app.copy_to_clipboard("")  # an empty OSC 52: the terminal's clipboard forgets
        tool, note = self.clipboard.tool, ""
        if decision is ClearDecision.CLEAR_TERMINAL and tool is not None:
            note = f"\nThe system clipboard ({tool.name}) could not be checked: left as is."
        app.notify(
            f"Clipboard cleared: {copy.label} is no longer on it.{note}",
            title="Clipboard",
            markup=False,
        )

"""Every worker failure reaches the user, through one route.

Workers run with ``exit_on_error=False`` and a ``description`` (the default one would
quote the worker's arguments, an API key among them). What a worker raises ends it in
the ERROR state; `Worker.StateChanged` does not bubble, so the node that started the
worker forwards it (`ReportsWorkerFailures`) to `AmikaApp.report_worker_failure`, which
decides how the user hears of it:

- a `WorkerFailure` — an API call made through ``async with app.api(title) as client:``,
  or a failure a worker names itself — is recoverable: a toast titled ``title``, plus
  what its kind calls for (a 401 opens the sign-in view, an unreachable API shows
  "offline", `NotSignedIn` opens the account view);
- anything else nobody foresaw: an `ErrorModal` that stays until it is dismissed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = ["NotSignedIn", "ReportsWorkerFailures", "WorkerFailure"]


class WorkerFailure(Exception):
    """A failure a worker expected: reported as a toast titled `title`.

    Only wrap errors whose message is fit to show (the API client's, the discovery
    layer's): they never carry a secret value.
    """

    def __init__(self, title: str, error: BaseException) -> None:
        super().__init__(f"{title}: {error}")
        self.title = title
        """What failed, as the toast's title ("Listing secrets failed")."""
        self.error = error
        """Why (an `AmikaError`, a `HomeDirectoryError`, …)."""


class NotSignedIn(Exception):
    """A worker needed the API while the session was signed out."""

    def __str__(self) -> str:
        return "Not signed in: sign in first."


class ReportsWorkerFailures:
    """Mixin for every screen, dialog and widget that starts workers: their failures go to
    the app's one route (`AmikaApp.report_worker_failure`). `AmikaScreen` has it."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this node ended with an exception: hand it to the app."""
        if event.state is WorkerState.ERROR:
            app = cast("AmikaApp", cast(Any, self).app)
            app.report_worker_failure(event.worker)


def failure_of(worker: Worker[Any]) -> tuple[str, BaseException, bool]:
    """``(title, error, expected)`` of a failed worker: a `WorkerFailure` is unwrapped
    (expected), anything else is titled after the worker's description."""
    error = worker.error
    assert error is not None, "only failed workers are reported"
    if isinstance(error, WorkerFailure):
        return error.title, error.error, True
    return f"{worker.description} failed", error, False

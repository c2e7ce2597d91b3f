"""Glue between the UI and the push executor (`amika_tui.sync.executor`)."""

from __future__ import annotations

from amika_tui.api import AmikaClient
from amika_tui.api.errors import AuthenticationError
from amika_tui.sync.executor import (
    ProgressCallback,
    PushExecutor,
    PushReport,
    PushRetry,
    RetryCallback,
    RetryPolicy,
)

__all__ = ["auth_failure", "make_executor", "retry_text"]


def make_executor(
    client: AmikaClient,
    *,
    backoff_base: float = 0.25,
    on_progress: ProgressCallback | None = None,
    on_retry: RetryCallback | None = None,
) -> PushExecutor:
    """An executor on the app's client (``backoff_base`` comes from the app settings)."""
    retry = RetryPolicy(backoff_base=backoff_base, backoff_max=max(backoff_base * 32, 0.01))
    return PushExecutor(client, retry=retry, on_progress=on_progress, on_retry=on_retry)


def retry_text(retry: PushRetry) -> str:
    """E.g. ``503 — retrying (attempt 3)``; ``no answer`` when the server did not answer."""
    return f"{retry.status or 'no answer'} — retrying (attempt {retry.attempt})"


def auth_failure(report: PushReport) -> AuthenticationError | None:
    """The 401 that stopped ``report``'s push, rebuilt for `AmikaApp.report_error` (which
    opens the sign-in view); None when no item failed for want of valid credentials."""
    for result in report.failed:
        if result.error_status == 401:
            return AuthenticationError(401, "", None, result.error)
    return None

"""An unexpected crash prints a traceback, but never the local variables of its frames
(which hold keys, tokens and secret values)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.worker import WorkerFailed

from amika_tui.ui.app import AmikaApp
from tests.ui.support import SIZE, app_for

SECRET = "sk-crash-test-secret-value-0123456789"


async def _crash_in_a_worker() -> None:
    value_being_pushed = SECRET  # what a push worker holds while it runs
    raise RuntimeError(f"unexpected failure ({len(value_being_pushed)} characters)")


async def _exit_output(app: App[Any], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``app`` until a worker crashes it; what it prints on exit (to stderr)."""
    capsys.readouterr()
    with pytest.raises(WorkerFailed, match="unexpected failure"):
        async with app.run_test(size=SIZE) as pilot:
            app.run_worker(_crash_in_a_worker())
            await pilot.pause()
    return capsys.readouterr().err


async def test_crash_report_shows_the_error_but_no_local_variables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = app_for(None)
    assert isinstance(app, AmikaApp)
    report = await _exit_output(app, capsys)
    assert "RuntimeError" in report and "_crash_in_a_worker" in report
    assert SECRET not in report
    assert "─ locals ─" not in report


async def test_crash_report_of_plain_textual_would_show_the_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The control: without the override the same crash prints the local (so the test
    above really checks something)."""
    report = await _exit_output(App(), capsys)
    assert SECRET in report and "─ locals ─" in report

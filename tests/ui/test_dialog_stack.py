"""Two dialogs deep, nothing on screen is stale."""

from __future__ import annotations

from pathlib import Path

from amika_tui.ui.push import PushScreen
from tests.conftest import Tenant
from tests.ui.support import app_for, open_import, screen_text, secrets_screen, wait_until


async def test_the_screen_under_two_dialogs_is_never_shown_stale(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "app.env"
    env.write_text("FIRST=value-0001\nSECOND=value-0002\n")
    app = app_for(tenant)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_import(pilot, env)
        assert "All (0)" in screen_text(app), "the secrets screen shows around the dialog"
        tenant.server.faults.fail_rate = 1.0  # a result with "retry failed" stays open
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PushScreen), "push")
        push = app.screen
        assert isinstance(push, PushScreen)
        await wait_until(pilot, lambda: push.report is not None, "the result")
        tenant.server.faults.fail_rate = 0.0
        await pilot.press("r")  # retry: both land, the secrets screen lists them
        await wait_until(pilot, lambda: push.report is not None and push.report.ok, "retried")
        await wait_until(pilot, lambda: len(secrets_screen(app).secrets) == 2, "listed")
        await pilot.pause()
        assert "All (0)" not in screen_text(app), "no stale count two dialogs down"
        await pilot.press("enter")  # close the result: the dialog closes, the list shows
        await wait_until(pilot, lambda: app.screen is secrets_screen(app), "back")
        await wait_until(pilot, lambda: "All (2)" in screen_text(app), "the new count")

"""The push progress and result view: enter closes (never retries), the title tells the
truth while pushing, rate and time left, retries named, long names cut but reasons kept."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, DataTable, Static

from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.push import PushScreen
from amika_tui.ui.push.progress import progress_text
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    open_import,
    push_and_wait,
    push_started,
    stored,
    wait_until,
    writes_sent,
)


def _env(tmp_path: Path, count: int = 12, name: str = "KEY") -> Path:
    env = tmp_path / "many.env"
    env.write_text("".join(f"{name}_{i:02d}=value-{i:02d}-abcdefgh\n" for i in range(count)))
    return env


def _text(push: PushScreen, selector: str) -> str:
    return str(push.query_one(selector, Static).render())


def test_progress_says_how_fast_and_how_long_once_something_is_done() -> None:
    assert progress_text(0, 5000, 0, 0, 0.0) == "0 of 5000 done: 0 written"
    assert progress_text(120, 5000, 118, 2, 1.5) == (
        "120 of 5000 done: 118 written, 2 failed · 80/s · about 1 min 01 s left"
    )
    assert progress_text(3, 10, 3, 0, 2.0) == "3 of 10 done: 3 written · 1.5/s · about 5 s left"
    assert progress_text(10, 10, 10, 0, 2.0) == "10 of 10 done: 10 written · 5.0/s"


async def test_enter_on_a_failed_result_closes_it_and_pushes_nothing_again(
    tenant: Tenant, tmp_path: Path
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, _env(tmp_path))
        tenant.server.faults.fail_rate = 1.0
        push = await push_and_wait(pilot)
        assert push.query_one("#push-retry", Button).display, "retry is offered"
        assert app.focused is push.query_one("#push-close", Button)
        tenant.server.faults.reset()
        sent = len(writes_sent(tenant))
        await pilot.press("enter")  # labelled "Close (enter)": it closes
        await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "closed")
        assert len(writes_sent(tenant)) == sent, "nothing was pushed again"
        assert stored(tenant) == {}


async def test_a_cancelled_push_is_retried_only_on_r_with_a_true_title_rate_and_retries(
    tenant: Tenant, tmp_path: Path
) -> None:
    # One request a second: the push runs long enough to be cancelled, and every item
    # after the first is answered 429 and waits to be tried again.
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot, _env(tmp_path))
        tenant.server.faults.rate_limit = 1
        push = await push_started(pilot)
        await wait_until(
            pilot,
            lambda: "429 — retrying (attempt 2)" in _text(push, "#push-current"),
            "a retry named",
        )
        await wait_until(
            pilot, lambda: "/s · about" in _text(push, "#push-counts"), "rate, time left"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: push.report is not None and not push.running, "cancelled")
        assert push.report is not None and push.report.cancelled
        assert _text(push, "#push-title").startswith("Push cancelled")
        sent = len(writes_sent(tenant))
        before = push.report
        await pilot.press("enter")  # closes the result: no retry
        await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "closed")
        assert len(writes_sent(tenant)) == sent and push.report is before

        # Pushing again, and this time retrying what was left with r.
        again = await push_started(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: again.report is not None and not again.running, "stopped")
        await pilot.press("r")
        await wait_until(pilot, lambda: again.running, "retrying")
        title = _text(again, "#push-title")
        assert title.startswith("Retrying") and "cancelled" not in title
        tenant.server.faults.reset()
        tenant.server.reset_rate_limits()
        await wait_until(pilot, lambda: not again.running, "retry over", timeout=300)
        assert again.report is not None and again.report.ok
        assert _text(again, "#push-title") == "Push finished"
        assert len(stored(tenant)) == 12


async def test_a_long_name_does_not_push_the_reason_off_screen(
    tenant: Tenant, tmp_path: Path
) -> None:
    long_name = "A_VERY_LONG_NAME_THAT_KEEPS_GOING_AND_GOING_" + "X" * 150
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot, _env(tmp_path, count=1, name=long_name))
        tenant.server.faults.fail_rate = 1.0
        push = await push_and_wait(pilot)
        cells = [str(cell) for cell in push.query_one("#push-results", DataTable).get_row_at(0)]
        assert len(cells[1]) == 40 and cells[1].endswith("…")
        detail = push.query_one("#push-row-detail", Static)
        assert detail.display and "service_unavailable" in str(detail.render())
        assert detail.region.bottom <= 24 and detail.region.width > 0, "on screen"

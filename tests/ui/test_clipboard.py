"""Copying a value the app holds, unseen, and the clipboard forgetting it 30 s later.

The terminal's clipboard is Textual's `App.clipboard` (what OSC 52 was last sent); the
system one a stand-in ``wl-copy``/``wl-paste`` on PATH; the 30 s run on `FakeTimers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from amika_tui.ui.app import AmikaApp
from amika_tui.ui.screens.providers import ProvidersScreen
from tests.clipboard_tool import FakeClipboardTool
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    FakeTimers,
    app_for,
    loaded,
    new_secret_dialog,
    open_add_dialog,
    open_extract,
    open_import,
    open_mode,
    screen_text,
    wait_until,
)

TYPED = "typed-secret-value-4711"
COPIED = "copied — clears in 30 s"


def said(app: AmikaApp, title: str) -> list[str]:
    """The messages of the notifications titled ``title`` so far."""
    return [n.message for n in app.notification_log if n.title == title]


async def clipboard_work_done(pilot: Pilot[Any], app: AmikaApp) -> None:
    """Wait for the clipboard's thread workers (the tool's runs) and what they post."""
    workers = [worker for worker in app.workers if worker.group == "clipboard"]
    if workers:  # none would mean every worker (a directory tree's loader never ends)
        await app.workers.wait_for_complete(workers)
    await pilot.pause()


async def copied(pilot: Pilot[Any], app: AmikaApp, count: int = 1) -> str:
    """Wait for the ``count``-th "Copied" toast and the clipboard write; its message."""
    await wait_until(pilot, lambda: len(said(app, "Copied")) >= count, "the copied toast")
    await clipboard_work_done(pilot, app)
    return said(app, "Copied")[count - 1]


async def cleared_after(pilot: Pilot[Any], app: AmikaApp, timers: FakeTimers, s: float) -> None:
    """Advance the clock ``s`` seconds and let a clear that fell due finish."""
    timers.advance(s)
    await clipboard_work_done(pilot, app)


async def type_a_new_secret(pilot: Pilot[Any]) -> None:
    """Open New secret and type ``MY_TOKEN`` and `TYPED` into it."""
    dialog = await new_secret_dialog(pilot)
    await pilot.press(*"MY_TOKEN", "tab", *TYPED)
    await wait_until(pilot, lambda: dialog.value_input.value == TYPED, "the value typed")


async def test_a_typed_value_is_copied_unseen_and_cleared_30_s_later(
    tenant: Tenant, fake_clipboard: FakeClipboardTool
) -> None:
    timers = FakeTimers()
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        await type_a_new_secret(pilot)
        await pilot.press("ctrl+l")
        message = await copied(pilot, app)
        assert message.startswith(f"The value of MY_TOKEN {COPIED}.")
        assert "wl-copy" in message and TYPED not in message
        assert app.clipboard == TYPED  # OSC 52
        assert fake_clipboard.held() == TYPED
        assert TYPED not in screen_text(app)

        await cleared_after(pilot, app, timers, 29.9)
        assert app.clipboard == TYPED and said(app, "Clipboard") == []
        await cleared_after(pilot, app, timers, 0.1)
        await wait_until(pilot, lambda: bool(said(app, "Clipboard")), "told it was cleared")
        [note] = said(app, "Clipboard")
        assert note == "Clipboard cleared: the value of MY_TOKEN is no longer on it."
        assert app.clipboard == "" and fake_clipboard.held() is None
        assert TYPED not in fake_clipboard.command_lines()
        assert all(TYPED not in n.message for n in app.notification_log)


async def test_what_the_user_copied_elsewhere_since_is_not_cleared(
    tenant: Tenant, fake_clipboard: FakeClipboardTool, tmp_path: Path
) -> None:
    env = tmp_path / "app.env"
    env.write_text("DATABASE_URL=postgres://db.example/app\nAPI_TOKEN=token-value-123456789\n")
    timers = FakeTimers()
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        dialog.table.focus()
        await pilot.press("down", "ctrl+l")  # the second row
        message = await copied(pilot, app)
        assert message.startswith(f"The value of API_TOKEN (line 2) {COPIED}.")
        assert fake_clipboard.held() == "token-value-123456789"
        assert "token-value" not in screen_text(app)

        fake_clipboard.put("the user's own text")
        await cleared_after(pilot, app, timers, 30)
        await wait_until(pilot, lambda: bool(said(app, "Clipboard")), "told it was left")
        [note] = said(app, "Clipboard")
        assert note.startswith("The clipboard holds something else now: left as is")
        assert fake_clipboard.held() == "the user's own text"
        assert app.clipboard == "token-value-123456789"  # no empty OSC 52 over it either


async def test_a_newer_copy_is_not_cleared_by_the_older_ones_timer(
    tenant: Tenant, demo_home: Path
) -> None:
    timers = FakeTimers()  # and no system tool: the terminal's clipboard alone
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_extract(pilot)
        await pilot.press("c")  # the anthropic finding
        first = await copied(pilot, app)
        winner = screen.rows[screen.winner_key("anthropic")].candidate
        assert first.startswith(f"The anthropic value from {winner.source_id} {COPIED}.")
        assert first.endswith("On the terminal's clipboard (OSC 52).")
        assert app.clipboard == winner.value

        timers.advance(10)
        await pilot.press("down", "down", "down", "c")  # the openai finding
        await copied(pilot, app, 2)
        assert app.clipboard == "sk-proj-FAKE-demo-openai-key-0000"
        assert "FAKE" not in screen_text(app)

        await cleared_after(pilot, app, timers, 20)  # the first copy's 30 s
        assert app.clipboard == "sk-proj-FAKE-demo-openai-key-0000"
        assert said(app, "Clipboard") == []
        await cleared_after(pilot, app, timers, 10)  # the second's
        await wait_until(pilot, lambda: bool(said(app, "Clipboard")), "told it was cleared")
        assert app.clipboard == ""
        assert all("FAKE" not in n.message for n in app.notification_log)


async def test_a_credential_found_on_this_machine_is_copied_from_the_add_dialog(
    tenant: Tenant, demo_home: Path, fake_clipboard: FakeClipboardTool
) -> None:
    app = app_for(tenant, timer=FakeTimers())
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_add_dialog(pilot, "claude")
        await wait_until(pilot, lambda: bool(dialog.discovered), "the scan")
        await pilot.press("ctrl+l")
        message = await copied(pilot, app)
        assert message.startswith("The Claude credential from ~/")
        assert COPIED in message and "FAKE" not in message
        assert app.clipboard == fake_clipboard.held() == dialog.discovered[0].value
        assert "FAKE" not in screen_text(app)


async def test_stored_values_cannot_be_copied_and_the_key_says_why(tenant: Tenant) -> None:
    app = app_for(tenant, timer=FakeTimers())
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: bool(said(app, "Nothing copied")), "the explanation")
        await open_mode(pilot, "2", ProvidersScreen)
        await pilot.press("c")
        await wait_until(pilot, lambda: len(said(app, "Nothing copied")) == 2, "explained again")
        for message in said(app, "Nothing copied"):
            assert "the Amika API never returns a value once it is stored" in message
        assert app.clipboard == "" and said(app, "Copied") == []


async def test_a_failing_system_tool_is_reported_and_the_terminal_keeps_the_copy(
    tenant: Tenant, fake_clipboard: FakeClipboardTool
) -> None:
    timers = FakeTimers()
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        await type_a_new_secret(pilot)
        fake_clipboard.fail()
        await pilot.press("ctrl+l")
        await copied(pilot, app)
        title = "Copy to the system clipboard failed"
        await wait_until(pilot, lambda: bool(said(app, title)), "the failure")
        assert said(app, title) == [
            "wl-copy failed (exit status 3). The terminal's clipboard has the value alone."
        ]
        assert app.clipboard == TYPED
        await cleared_after(pilot, app, timers, 30)
        await wait_until(pilot, lambda: bool(said(app, "Clipboard")), "told it was cleared")
        assert app.clipboard == ""

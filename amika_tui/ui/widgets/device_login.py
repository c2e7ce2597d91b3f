"""`DeviceLoginPanel`: browser login (device authorization flow) inside the sign-in view.

Shows the user code large and the verification URL (copyable), opens the browser when one
is available, and polls until the login is approved, denied, expires or is cancelled. The
session is saved by `amika_tui.auth` exactly as `amika auth login` saves it.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from typing import TYPE_CHECKING, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.worker import Worker

from amika_tui.api import AmikaError
from amika_tui.auth import WorkOSSession
from amika_tui.auth.device import (
    DeviceCode,
    DeviceLoginDenied,
    DeviceLoginExpired,
    poll_for_session,
    request_device_code,
)
from amika_tui.ui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = ["DeviceLoginPanel", "browser_available"]


def browser_available() -> bool:
    """True when `webbrowser` can show a page to the person at this terminal."""
    if os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


_W = TypeVar("_W", bound=Widget)


def _hidden(widget: _W) -> _W:
    """``widget``, not displayed until the login starts."""
    widget.display = False
    return widget


class DeviceLoginPanel(ReportsWorkerFailures, Vertical):
    """Start a browser login, show the code, wait for approval."""

    class SignedIn(Message):
        """The login was approved and saved (handler: ``on_device_login_panel_signed_in``)."""

        def __init__(self, session: WorkOSSession) -> None:
            super().__init__()
            self.session = session
            """The new session (tokens are never in its repr)."""

    class StartPressed(Message):
        """The start button was pressed: the screen decides whether to `start()` (it may
        ask first). Handler: ``on_device_login_panel_start_pressed``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="panel device-login")
        self.code: DeviceCode | None = None
        """The device code being waited on."""
        self._worker: Worker[None] | None = None
        self._hint = ""

    def compose(self) -> ComposeResult:
        yield Static("Sign in with your browser", classes="panel-title")
        yield Static(
            "Same login as `amika auth login`: approve a code in the browser; the session is "
            "shared with the amika CLI.",
            id="device-intro",
        )
        yield _hidden(Static("", id="device-code"))
        yield _hidden(Static("", id="device-url"))
        yield Static("", id="device-state")
        with Horizontal(id="device-buttons"):
            yield Button("Browser login (b)", id="device-start", variant="primary")
            yield _hidden(Button("Copy URL", id="device-copy"))
            yield _hidden(Button("Cancel", id="device-cancel", variant="error"))

    @property
    def waiting(self) -> bool:
        """True while a login is in progress."""
        return self._worker is not None and self._worker.is_running

    def start(self) -> None:
        """Request a code and wait for its approval (no-op while already waiting)."""
        if self.waiting:
            return
        self._state("Asking for a login code…")
        self.query_one("#device-start", Button).display = False
        self.query_one("#device-cancel", Button).display = True
        self._worker = self._login()

    def cancel(self) -> None:
        """Stop waiting; nothing is saved."""
        if self._worker is not None and self._worker.is_running:
            self._worker.cancel()
            self._show_idle()
            self._state("Browser login cancelled; nothing was saved.")

    @work(
        exclusive=True,
        group="device-login",
        exit_on_error=False,
        description="Browser login",
    )
    async def _login(self) -> None:
        try:
            await self._log_in()
        except Exception:
            self._finish("Browser login failed. Nothing was saved.")
            raise

    async def _log_in(self) -> None:
        try:
            code = await request_device_code()
        except AmikaError as exc:
            self._finish(f"Could not start the browser login: {exc.user_message()}")
            return
        self.code = code
        self._show_code(code)
        try:
            wait = cast("AmikaApp", self.app).settings.poll_wait
            session = await poll_for_session(code, sleep=wait, on_poll=self._polling)
        except DeviceLoginDenied:
            self._finish("The login was declined in the browser. Nothing was saved.")
            return
        except DeviceLoginExpired:
            self._finish("The code expired before it was approved. Press b to get a new one.")
            return
        except AmikaError as exc:
            self._finish(f"Browser login failed: {exc.user_message()}")
            return
        except OSError as exc:
            self._finish(f"Approved, but the session could not be saved: {exc.strerror or exc}")
            return
        self._finish(f"Signed in as {session.email}.", ok=True)
        self.post_message(self.SignedIn(session))

    def _show_code(self, code: DeviceCode) -> None:
        self.query_one("#device-code", Static).update(f"Your code:  {code.user_code}")
        self.query_one("#device-url", Static).update(f"Open: {code.verification_uri_complete}")
        self.query_one("#device-code").display = True
        self.query_one("#device-url").display = True
        self.query_one("#device-copy", Button).display = True
        opened = browser_available() and webbrowser.open(code.verification_uri_complete)
        where = (
            "Your browser was opened."
            if opened
            else "Open the URL in a browser (Copy URL puts it on the clipboard)."
        )
        self._hint = f"{where} Check that the code matches, then approve."
        self._state(self._hint)

    def _polling(self, interval: int) -> None:
        self._state(f"{self._hint} Waiting for approval (checking every {interval} s)…")

    def _finish(self, text: str, *, ok: bool = False) -> None:
        self._show_idle()
        self._state(text, error=not ok)

    def _show_idle(self) -> None:
        self.query_one("#device-start", Button).display = True
        self.query_one("#device-cancel", Button).display = False
        self.query_one("#device-copy", Button).display = False
        self.query_one("#device-code").display = False
        self.query_one("#device-url").display = False

    def _state(self, text: str, *, error: bool = False) -> None:
        state = self.query_one("#device-state", Static)
        state.update(text)
        state.set_class(error, "-error")

    @on(Button.Pressed, "#device-start")
    def _start_pressed(self) -> None:
        self.post_message(self.StartPressed())

    @on(Button.Pressed, "#device-cancel")
    def _cancel_pressed(self) -> None:
        self.cancel()

    @on(Button.Pressed, "#device-copy")
    def _copy_pressed(self) -> None:
        if self.code is not None:
            # A login URL is not a secret (the code only works with the user's approval).
            self.app.copy_to_clipboard(self.code.verification_uri_complete)
            self.app.notify("Login URL copied to the terminal clipboard (OSC 52).", timeout=3)

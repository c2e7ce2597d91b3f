"""`AccountScreen`: which credential is active, sign in with an API key, sign out.

What it shows mirrors `amika auth status` (active source, identity, every shadowed or
unreadable credential). A key typed here is verified with a real request before it is
saved, in the CLI's own file and format, so `amika` and `amika-tui` share it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from amika_tui.api import AmikaClient, AmikaError, AuthenticationError, StaticTokenSource
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.paths import home_relative
from amika_tui.ui.screens.base import AmikaScreen
from amika_tui.ui.typed_app import AmikaAppAccess
from amika_tui.ui.widgets.device_login import DeviceLoginPanel

if TYPE_CHECKING:
    from amika_tui.auth import AuthStatus

__all__ = ["NO_CREDENTIALS_HELP", "AccountScreen", "KeyCheck", "verify_api_key"]

NO_CREDENTIALS_HELP = (
    "You are not signed in. amika-tui needs an Amika credential; any one of these works:\n"
    "1. Paste an API key below (create one at app.amika.dev/settings, section API Key). "
    "It is checked with the server first, then stored where `amika auth login "
    "--api-key-file` stores it.\n"
    "2. Set AMIKA_API_KEY in your environment before starting amika-tui.\n"
    "3. Sign in with your browser below (b), or run `amika auth login`: both save the "
    "same session."
)
"""The explanation shown when no usable credential exists."""

LOCAL_SIGN_IN_HELP = (
    "You are signed out of this LOCAL session (the embedded server on this machine). To "
    "sign in again, paste a key of the embedded server below{where}, or quit and start "
    "`amika-tui --local` again. The key is checked with the embedded server and used for "
    "this session only: nothing is stored, and your Amika account's credentials are neither "
    "used nor changed. Browser login is for the hosted Amika API, so it is not offered here."
)
"""The sign-in view's explanation in ``--local`` mode (``where``: the dev key's file)."""


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """Outcome of checking an API key against the server (never holds the key)."""

    ok: bool
    message: str
    """Why it failed (the server's `code: message`), or a short success line."""


async def verify_api_key(
    api_url: str, key: str, *, allow_insecure_http: bool = False, timeout: float = 30.0
) -> KeyCheck:
    """Make one real request (list secrets) with ``key``; say whether the server accepted it."""
    try:
        async with AmikaClient(
            api_url,
            access_token=key,
            timeout=timeout,
            max_retries=1,
            allow_insecure_http=allow_insecure_http,
        ) as client:
            await client.list_secrets()
    except AuthenticationError as exc:
        return KeyCheck(False, f"The server refused this key ({exc.user_message()}).")
    except AmikaError as exc:
        return KeyCheck(False, f"Could not check the key: {exc.user_message()}")
    return KeyCheck(True, "The server accepted the key.")


class AccountScreen(AmikaAppAccess, AmikaScreen):
    """Sign-in and account view (mode ``account``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "focus_key", "Sign in with API key", id="sign-in"),
        Binding("b", "browser_login", "Browser login", id="browser-login"),
        Binding("escape", "cancel_browser_login", "Cancel login", show=False),
        Binding("o", "sign_out", "Sign out", id="sign-out"),
        Binding("r", "refresh", "Refresh", id="account-refresh"),
    ]

    # The key field is entered with `s`: focused on arrival, it would swallow the view's
    # keys (`o`, `r`, `b`) typed by someone coming back to sign out.
    AUTO_FOCUS = ""

    can_sign_out = False
    """True when there is something to sign out of (a session or stored credentials)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide "Sign out" while there is nothing to sign out of."""
        if action == "sign_out":
            return self.can_sign_out
        if action == "browser_login":
            # The browser session is for the hosted API, not for the embedded server.
            return not self.amika_app.settings.local
        if action == "cancel_browser_login":
            return self.query_one(DeviceLoginPanel).waiting
        return True

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="account-body"):
            with Vertical(id="account-status", classes="panel"):
                yield Static("Account", classes="panel-title")
                yield Static("", id="account-session")
                yield Static("", id="account-active")
                yield Static("", id="account-warnings")
            yield Static(NO_CREDENTIALS_HELP, id="account-help", classes="panel")
            with Vertical(id="account-sign-in", classes="panel"):
                yield Static(
                    "Sign in with an API key", classes="panel-title", id="account-sign-in-title"
                )
                with Horizontal(id="account-key-row"):
                    yield Input(
                        placeholder="Amika API key",
                        password=True,
                        id="account-key",
                    )
                    yield Button("Show", id="account-reveal")
                    yield Button("Verify and save", id="account-save", variant="primary")
                yield Static("", id="account-key-result")
            yield DeviceLoginPanel(id="account-device-login")
            with Horizontal(id="account-actions"):
                yield Button("Sign out", id="account-sign-out", variant="error")

    def on_mount(self) -> None:
        settings = self.amika_app.settings
        self.query_one(DeviceLoginPanel).display = not settings.local
        if settings.local:
            key_file = settings.local_key_file
            where = f" (its key is in {home_relative(str(key_file))})" if key_file else ""
            self.query_one("#account-help", Static).update(LOCAL_SIGN_IN_HELP.format(where=where))
            self.query_one("#account-sign-in-title", Static).update(
                "Sign in with a key of the embedded server"
            )
            self.query_one("#account-save", Button).label = "Verify and use"
        self.action_refresh()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.action_refresh()

    # --- status ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Read the stored credentials again (as `amika auth status` does)."""
        self._load_status()

    @work(
        thread=True,
        exclusive=True,
        group="account-status",
        exit_on_error=False,
        description="Reading the stored credentials",
    )
    def _load_status(self) -> None:
        from amika_tui.auth import auth_status

        status = auth_status()
        self.app.call_from_thread(self._show_status, status)

    def _show_status(self, status: AuthStatus) -> None:
        if not self.is_attached:  # the screen went away while the files were read
            return
        app = self.amika_app
        settings = app.settings
        where = "the embedded LOCAL server" if settings.local else settings.api_url
        if app.signed_in:
            session = f"This session: signed in to {where} as {app.identity}."
        else:
            session = f"This session: not signed in ({where})."
        self.query_one("#account-session", Static).update(session)

        if status.active is None:
            active = "Stored credentials: none."
        else:
            who = " · ".join(part for part in (status.email, status.org) if part)
            active = f"Active credential: {status.description}" + (f" ({who})" if who else "")
        if settings.local and status.active is not None:
            active += " (This LOCAL session does not use it.)"
        self.query_one("#account-active", Static).update(active)

        warnings = "\n".join(f"⚠ {warning}" for warning in status.warnings)
        warnings_widget = self.query_one("#account-warnings", Static)
        warnings_widget.update(warnings)
        warnings_widget.display = bool(warnings)

        # LOCAL mode never uses the stored credentials: signed out, it always explains.
        no_credential = status.active is None or settings.local
        self.query_one("#account-help").display = not app.signed_in and no_credential
        self.can_sign_out = app.signed_in or status.active is not None
        self.query_one("#account-sign-out").display = self.can_sign_out
        self.refresh_bindings()

    # --- sign in ---------------------------------------------------------------------------

    def action_focus_key(self) -> None:
        """Put the cursor in the API key field."""
        self.query_one("#account-key", Input).focus()

    @on(Button.Pressed, "#account-reveal")
    def _toggle_reveal(self) -> None:
        key_input = self.query_one("#account-key", Input)
        key_input.password = not key_input.password
        label = "Show" if key_input.password else "Hide"
        self.query_one("#account-reveal", Button).label = label

    @on(Input.Submitted, "#account-key")
    @on(Button.Pressed, "#account-save")
    def _submit_key(self) -> None:
        key = self.query_one("#account-key", Input).value.strip()
        if not key:
            self._show_key_result("Paste an API key first.", error=True)
            return

        def go_on() -> None:
            self._show_key_result("Checking the key with the server…", error=False)
            self._sign_in(key)

        self._unless_staged_kept("Signing in with this key", go_on)

    def _unless_staged_kept(self, doing: str, go_on: Callable[[], object]) -> None:
        """Run ``go_on`` now when nothing is staged; else ask first (the staged edits were
        made for the credentials in use, and switching drops them)."""
        loss = self.amika_app.staged_loss(doing)
        if not loss:
            go_on()
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                go_on()

        self.app.push_screen(
            ConfirmModal(
                f"{loss} Continue?",
                title="Discard the staged changes?",
                confirm_label="Discard and continue",
                cancel_label="Keep them",
                danger=True,
            ),
            answered,
        )

    @work(
        exclusive=True,
        group="account-sign-in",
        exit_on_error=False,
        description="Signing in with an API key",
    )
    async def _sign_in(self, key: str) -> None:
        """Verify ``key`` with a real request, then save it and use it."""
        settings = self.amika_app.settings
        try:
            check = await verify_api_key(
                settings.api_url,
                key,
                allow_insecure_http=settings.local,
                timeout=settings.timeout,
            )
        except Exception:
            self._show_key_result("Could not check the key. Nothing was saved.", error=True)
            raise
        if not check.ok:
            self._show_key_result(f"{check.message} Nothing was saved.", error=True)
            return
        app = self.amika_app
        key_input = self.query_one("#account-key", Input)
        key_input.value = ""
        key_input.password = True
        self.query_one("#account-reveal", Button).label = "Show"
        self.set_focus(None)  # signed in: the view's keys are the view's again
        if settings.local:
            # A key of the embedded server is useless to `amika`; keep the CLI's file intact.
            description = "API key (this session only, LOCAL mode does not store it)"
            self._show_key_result("Signed in for this session.", error=False)
        else:
            from amika_tui.auth import save_api_key

            try:
                path = await asyncio.to_thread(save_api_key, key)
            except OSError as exc:
                self._show_key_result(
                    f"The key works but could not be saved: {exc.strerror or exc}", error=True
                )
                return
            description = f"stored API key ({path})"
            self._show_key_result(f"Saved to {path}.", error=False)
            self._warn_if_env_key_wins()
        app.notify_success("Signed in with the API key.", title="Signed in")
        await app.use_credentials(StaticTokenSource(key), description)

    def _warn_if_env_key_wins(self) -> None:
        if os.environ.get("AMIKA_API_KEY"):
            self.app.notify(
                "AMIKA_API_KEY is set in your environment; it wins over the stored key the "
                "next time amika or amika-tui starts.",
                title="Environment key still active",
                severity="warning",
                timeout=10,
            )

    def _show_key_result(self, text: str, *, error: bool) -> None:
        result = self.query_one("#account-key-result", Static)
        result.update(text)
        result.set_class(error, "-error")
        result.set_class(not error, "-ok")

    # --- browser login ---------------------------------------------------------------------

    def action_browser_login(self) -> None:
        """Sign in with the browser (device authorization flow)."""
        self._unless_staged_kept(
            "Signing in with the browser", lambda: self.query_one(DeviceLoginPanel).start()
        )

    def on_device_login_panel_start_pressed(self) -> None:
        """The panel's start button: the same as b (asks first when edits are staged)."""
        self.action_browser_login()

    def action_cancel_browser_login(self) -> None:
        """Stop waiting for the browser login."""
        self.query_one(DeviceLoginPanel).cancel()

    async def on_device_login_panel_signed_in(self, message: DeviceLoginPanel.SignedIn) -> None:
        """The browser login was approved and saved: use the session."""
        from amika_tui.auth import SessionTokenSource, session_path

        session = message.session
        self._warn_if_env_key_wins()
        self.amika_app.notify_success(f"Signed in as {session.email}.", title="Signed in")
        await self.amika_app.use_credentials(
            SessionTokenSource(),
            f"browser session ({session_path()})",
            email=session.email,
            org=session.organization_id or None,
        )

    # --- sign out --------------------------------------------------------------------------

    @on(Button.Pressed, "#account-sign-out")
    def _sign_out_pressed(self) -> None:
        self.action_sign_out()

    def action_sign_out(self) -> None:
        """Ask, then remove the stored key and session and close this session."""
        from amika_tui.auth.paths import api_key_path, session_path

        if self.amika_app.settings.local:
            # The stored files belong to the real Amika account, not to the embedded server.
            question = (
                "Sign out of this LOCAL session?\n"
                "Your stored Amika credentials (used by `amika`) are not touched."
            )
        else:
            paths = (api_key_path(), session_path())
            question = (
                "Sign out? This deletes the stored API key and browser session:\n"
                + "\n".join(f"  {path}" for path in paths)
                + "\n`amika` shares these files, so it is signed out too."
            )
        loss = self.amika_app.staged_loss("Signing out")
        if loss:
            question = f"{loss}\n{question}"
        self.app.push_screen(
            ConfirmModal(question, title="Sign out", confirm_label="Sign out", danger=True),
            self._after_sign_out_answer,
        )

    def _after_sign_out_answer(self, confirmed: bool | None) -> None:
        if confirmed:
            self._sign_out()

    @work(
        exclusive=True,
        group="account-sign-out",
        exit_on_error=False,
        description="Signing out",
    )
    async def _sign_out(self) -> None:
        from amika_tui.auth import logout

        if self.amika_app.settings.local:
            await self.amika_app.sign_out()
            self.action_refresh()
            return
        result = await asyncio.to_thread(logout)
        for warning in result.warnings:
            self.app.notify(warning, title="Sign out", severity="warning")
        if result.env_key_still_active:
            self.app.notify(
                "AMIKA_API_KEY is still set in your environment, so the next start signs in "
                "with it again. Unset it to sign out completely.",
                title="Environment key still active",
                severity="warning",
                timeout=15,
            )
        removed = len(result.removed)
        self.amika_app.notify_success(
            f"Signed out ({removed} file{'s' if removed != 1 else ''} removed).",
            title="Signed out",
        )
        await self.amika_app.sign_out()
        self.action_refresh()

    # --- accessors -------------------------------------------------------------------------

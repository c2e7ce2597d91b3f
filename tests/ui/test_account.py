"""Sign-in and account view: status, API key sign-in (good and bad key), browser login
against a local WorkOS stub, sign out."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from amika_tui.auth import api_key_path, save_api_key, session_path
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.screens.account import AccountScreen
from tests.auth.conftest import WorkOSStub, _workos_server, make_jwt, workos
from tests.conftest import Tenant
from tests.ui.support import (
    app_for,
    focused,
    loaded,
    offered_actions,
    open_mode,
    sign_in_view,
    wait_until,
)


def text_of(screen: AccountScreen, selector: str) -> str:
    """The rendered text of a Static on the account screen."""
    return str(screen.query_one(selector, Static).render())


__all__ = ["_workos_server", "workos"]  # the WorkOS stub fixtures, shared with tests/auth


class TestSignIn:
    async def test_no_credentials_explains_the_options(self, tenant: Tenant) -> None:
        app = app_for(None, url=tenant.url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await sign_in_view(pilot)
            await wait_until(pilot, lambda: "none" in text_of(screen, "#account-active"), "status")
            help_text = text_of(screen, "#account-help")
            assert screen.query_one("#account-help").display
            assert "AMIKA_API_KEY" in help_text
            assert "amika auth login" in help_text
            assert "API key" in help_text

    async def test_good_key_is_verified_saved_and_used(self, tenant: Tenant) -> None:
        app = app_for(None, url=tenant.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in_view(pilot)
            await pilot.press("s")
            await focused(pilot, "#account-key")
            key_input = app.screen.query_one("#account-key", Input)
            assert key_input.password
            key_input.value = tenant.api_key
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.signed_in, "signed in")
            await wait_until(pilot, lambda: app.current_mode == "secrets", "secrets screen")
        path = api_key_path()
        stored = json.loads(path.read_text())
        assert stored["key"] == tenant.api_key
        assert "stored_at" in stored
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        # The key was checked with a real request before it was saved.
        assert any(
            entry.path.endswith("/secrets") and entry.status == 200 and entry.user == tenant.email
            for entry in tenant.server.request_log()
        )

    async def test_bad_key_is_refused_and_not_saved(self, tenant: Tenant) -> None:
        app = app_for(None, url=tenant.url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await sign_in_view(pilot)
            await pilot.press("s")
            await focused(pilot, "#account-key")
            screen.query_one("#account-key", Input).value = "amk_not-a-real-key"
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: "refused" in text_of(screen, "#account-key-result"), "refusal"
            )
            result = text_of(screen, "#account-key-result")
            assert "Nothing was saved" in result
            assert "amk_not-a-real-key" not in result
            assert not app.signed_in
        assert not api_key_path().exists()


class TestSignOut:
    async def test_sign_out_asks_then_removes_the_stored_key(self, tenant: Tenant) -> None:
        save_api_key(tenant.api_key)
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_mode(pilot, "4", AccountScreen)
            await wait_until(
                pilot, lambda: "api-key.json" in text_of(screen, "#account-active"), "status"
            )
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "confirmation")
            question = str(app.screen.query_one("#confirm-question", Static).render())
            assert str(api_key_path()) in question and str(session_path()) in question
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is screen, "cancelled")
            assert api_key_path().exists()
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "confirmation")
            await pilot.press("y")
            await wait_until(pilot, lambda: not app.signed_in, "signed out")
            await wait_until(pilot, lambda: not api_key_path().exists(), "key removed")
            assert app.current_mode == "account"

    async def test_sign_out_says_the_environment_key_still_wins(
        self, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        save_api_key(tenant.api_key)
        monkeypatch.setenv("AMIKA_API_KEY", tenant.api_key)
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_mode(pilot, "4", AccountScreen)
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "confirmation")
            await pilot.press("y")
            await wait_until(pilot, lambda: not app.signed_in, "signed out")
            messages = [n.message for n in app.notification_log]
            assert any("AMIKA_API_KEY is still set" in m for m in messages)
        assert not api_key_path().exists()


DEVICE_ANSWER = {
    "device_code": "device-code-secret-ui",
    "user_code": "QWER-5678",
    "verification_uri": "https://auth.example.com/activate",
    "verification_uri_complete": "https://auth.example.com/activate?user_code=QWER-5678",
    "expires_in": 300,
    "interval": 5,
}


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """No browser to open (`app_for` already skips the waits between polls)."""
    for variable in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.usefixtures("no_browser")
class TestBrowserLogin:
    async def test_approved_login_is_saved_and_used(self, workos: WorkOSStub) -> None:
        workos.answer(200, DEVICE_ANSWER)
        workos.answer(400, {"error": "authorization_pending"})
        workos.answer(400, {"error": "slow_down"})
        workos.answer(
            200,
            {
                "access_token": make_jwt(time.time() + 3600, sub="user_01ADA"),
                "refresh_token": "refresh-after-ui-login",
                "user": {"id": "user_01ADA", "email": "ada@example.com"},
                "organization_id": "org_01ADA",
            },
        )
        # No API server: after signing in the app shows "offline", which keeps it simple.
        app = app_for(None)
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in_view(pilot)
            await pilot.press("b")
            await wait_until(pilot, lambda: app.signed_in, "signed in")
            assert "ada@example.com" in app.identity
        saved = json.loads(session_path().read_text())
        assert saved["email"] == "ada@example.com"
        assert saved["refresh_token"] == "refresh-after-ui-login"
        assert stat.S_IMODE(session_path().stat().st_mode) == 0o600

    async def test_code_and_url_are_shown_while_waiting_and_cancel_saves_nothing(
        self, workos: WorkOSStub
    ) -> None:
        workos.answer(200, DEVICE_ANSWER)
        workos.answer(400, {"error": "authorization_pending"})
        app = app_for(None)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await sign_in_view(pilot)
            await pilot.press("b")
            await wait_until(
                pilot, lambda: "QWER-5678" in text_of(screen, "#device-code"), "the code"
            )
            assert "activate?user_code=QWER-5678" in text_of(screen, "#device-url")
            await wait_until(
                pilot, lambda: "Waiting for approval" in text_of(screen, "#device-state"), "poll"
            )
            await pilot.press("escape")
            await wait_until(
                pilot, lambda: "cancelled" in text_of(screen, "#device-state"), "cancelled"
            )
            assert not app.signed_in
        assert not session_path().exists()

    @pytest.mark.parametrize(
        ("error", "shown"),
        [("access_denied", "declined"), ("expired_token", "expired")],
    )
    async def test_denied_or_expired_login_says_so(
        self, workos: WorkOSStub, error: str, shown: str
    ) -> None:
        workos.answer(200, DEVICE_ANSWER)
        workos.answer(400, {"error": error})
        app = app_for(None)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await sign_in_view(pilot)
            await pilot.press("b")
            await wait_until(pilot, lambda: shown in text_of(screen, "#device-state"), shown)
            assert not app.signed_in
        assert not session_path().exists()


class TestLocalMode:
    async def test_signed_out_local_view_says_what_is_true(self, tenant: Tenant) -> None:
        key_file = Path.home() / ".local/share/amika-tui/local-server/dev-api-key"
        app = app_for(tenant, local=True, local_key_file=key_file)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            screen = await open_mode(pilot, "4", AccountScreen)
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "Sign out?")
            await pilot.press("y")
            await wait_until(pilot, lambda: not app.signed_in, "signed out")
            await wait_until(pilot, lambda: screen.query_one("#account-help").display, "help")
            help_text = text_of(screen, "#account-help")
            assert "nothing is stored" in help_text
            assert "~/.local/share/amika-tui/local-server/dev-api-key" in help_text
            assert "Browser login is for the hosted Amika API" in help_text
            assert "(b)" not in help_text and "then stored" not in help_text
            assert not screen.query_one("#account-device-login").display
            assert "Browser login" not in offered_actions(app, screen)
            assert str(screen.query_one("#account-save", Button).label) == "Verify and use"
            await pilot.press("b")  # does nothing here, and says nothing false
            await pilot.press("s")
            await focused(pilot, "#account-key")
            screen.query_one("#account-key", Input).value = tenant.api_key
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.signed_in, "signed in again")
        assert not api_key_path().exists(), "a LOCAL key is never stored"

"""Plain http to another machine is refused (no flag lifts it): the app says so and
keeps running. No request leaves: the refusal comes before any connection."""

from __future__ import annotations

from dataclasses import replace

from amika_tui.api import StaticTokenSource
from amika_tui.ui.app import AppSettings, ConnectionState, make_app
from amika_tui.ui.launch import settings_from_environment
from amika_tui.ui.screens.account import AccountScreen
from tests.ui.support import FIXED_NOW, SIZE, header_text, wait_until

PLAIN_API = "http://amika.example.com"
PLAIN_PROVIDER = "http://tokens.example.com/token"


async def test_a_refused_api_url_says_so_in_the_header_instead_of_connecting() -> None:
    settings = AppSettings(
        api_url=PLAIN_API,
        token_source=StaticTokenSource("amk_never_sent"),
        credential_description="test API key",
        clock=lambda: FIXED_NOW,
        max_retries=0,
    )
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: app.connection == ConnectionState.REFUSED, "the refused state"
        )
        assert header_text(app, "header-state") == "● refused: plain http"
        [error] = [n for n in app.notification_log if n.severity == "error"]
        assert PLAIN_API in error.message and "use https" in error.message
        assert "allow_insecure_http" not in error.message
        assert "amk_never_sent" not in error.message
        assert app.is_running


async def test_a_refused_token_provider_is_named_and_the_sign_in_view_opens() -> None:
    settings = settings_from_environment(
        {"AMIKA_API_URL": "https://amika.example.com"}, token_provider_url=PLAIN_PROVIDER
    )
    app = make_app(replace(settings, clock=lambda: FIXED_NOW, max_retries=0))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "account", "the sign-in view")
        assert isinstance(app.screen, AccountScreen)
        assert app.connection == ConnectionState.SIGNED_OUT
        signed_out = [n.message for n in app.notification_log if n.title == "Signed out"]
        assert any(PLAIN_PROVIDER in m and "use https" in m for m in signed_out), signed_out

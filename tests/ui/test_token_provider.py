"""`--token-provider-url` / `AMIKA_TOKEN_PROVIDER_URL`: tokens from the user's own backend
(a small real HTTP stub here), shown in the header, failures named and survivable."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from textual.widgets import Input

from amika_tui.api import Scope, TokenProviderSource
from amika_tui.auth import save_api_key
from amika_tui.ui.app import AmikaApp, ConnectionState, make_app
from amika_tui.ui.launch import run_app, settings_from_environment
from amika_tui.ui.push import PushScreen
from amika_tui.ui.screens.account import AccountScreen
from tests.api.stub_http import serve_asgi
from tests.conftest import Tenant
from tests.ui.support import (
    FIXED_NOW,
    SIZE,
    header_text,
    loaded,
    open_import,
    open_secret_dialog,
    seed,
    staged_review,
    visible_names,
    wait_until,
)


@dataclass
class StubProvider:
    """The user's backend: answers `GET /token` with `status` and `{"accessToken": token}`
    (plus `expiresIn` when set)."""

    url: str
    status: int = 200
    token: str = field(default="", repr=False)
    expires_in: int | None = None
    calls: int = 0


@pytest.fixture(scope="module")
def _provider_stub() -> Iterator[StubProvider]:
    stub = StubProvider(url="")

    async def token(request: Request) -> Response:
        stub.calls += 1
        if stub.status != 200:
            return JSONResponse({"error": "backend broke"}, status_code=stub.status)
        answer: dict[str, object] = {"accessToken": stub.token}
        if stub.expires_in is not None:
            answer["expiresIn"] = stub.expires_in
        return JSONResponse(answer)

    with serve_asgi(Starlette(routes=[Route("/token", token)])) as root:
        stub.url = f"{root}/token"
        yield stub


@pytest.fixture
def provider(_provider_stub: StubProvider) -> StubProvider:
    """The stub provider, reset to answer 200 with no token yet."""
    _provider_stub.status, _provider_stub.token, _provider_stub.calls = 200, "", 0
    _provider_stub.expires_in = None
    return _provider_stub


def provider_app(tenant: Tenant, env: dict[str, str]) -> AmikaApp:
    """The app as `amika-tui` would build it from ``env`` (plus test clock and no retries)."""
    settings = settings_from_environment({"AMIKA_API_URL": tenant.url, **env})
    return make_app(replace(settings, clock=lambda: FIXED_NOW, max_retries=0, timeout=30.0))


async def test_provider_token_lists_the_tenants_secrets_and_wins_over_stored_keys(
    tenant: Tenant, provider: StubProvider
) -> None:
    seed(tenant, [("FROM_PROVIDER", "v1", "user")])
    provider.token = tenant.api_key
    other = tenant.member()  # a stored key and AMIKA_API_KEY of someone else lose
    save_api_key(other.api_key)
    app = provider_app(
        tenant, {"AMIKA_TOKEN_PROVIDER_URL": provider.url, "AMIKA_API_KEY": other.api_key}
    )
    assert isinstance(app.settings.token_source, TokenProviderSource)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert visible_names(app) == ["FROM_PROVIDER"]
        host = provider.url.split("://")[1].split("/")[0]
        who = header_text(app, "header-who")
        assert who.startswith("user usr_") and who.endswith(f" · token provider {host}")
    assert provider.calls == 1, "the provider's token is cached"


def test_flag_wins_over_the_environment_variable(provider: StubProvider) -> None:
    settings = settings_from_environment(
        {"AMIKA_TOKEN_PROVIDER_URL": "http://127.0.0.1:9/other"},
        token_provider_url=provider.url,
    )
    source = settings.token_source
    assert isinstance(source, TokenProviderSource)
    assert source.url == provider.url


def test_a_malformed_provider_url_stops_the_launch_with_a_message() -> None:
    args = argparse.Namespace(
        local=False, api_url=None, token_provider_url="ftp://tokens.example", read_only=False
    )
    with pytest.raises(SystemExit, match="token provider URL must be an http"):
        run_app(args)


async def test_failing_provider_is_named_and_the_sign_in_view_opens(
    tenant: Tenant, provider: StubProvider
) -> None:
    provider.status = 500
    app = provider_app(tenant, {"AMIKA_TOKEN_PROVIDER_URL": provider.url})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "account", "the sign-in view")
        errors = [n for n in app.notification_log if n.severity == "error"]
        assert any(provider.url in n.message and "500" in n.message for n in errors)
        assert app.connection == ConnectionState.SIGNED_OUT
        assert app.is_running
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, AccountScreen) and bool(app.screen.query("#account-key"))
            ),
            "the sign-in view's key field",
        )
        assert app.screen.query_one("#account-key", Input).display
    assert tenant.statuses("GET", "/secrets") == [], "no request went out without a token"


async def test_a_401_during_a_push_opens_sign_in_and_keeps_the_failed_items(
    tenant: Tenant, provider: StubProvider, tmp_path: Path
) -> None:
    # Tokens that are stale at once (expiresIn 0) are fetched for every request, so the
    # backend's next answer is used right away: here it starts handing out an expired JWT.
    provider.token, provider.expires_in = tenant.api_key, 0
    env_file = tmp_path / "app.env"
    env_file.write_text("FIRST=one\nSECOND=two\n")
    app = provider_app(tenant, {"AMIKA_TOKEN_PROVIDER_URL": provider.url})
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env_file)
        assert dialog.plan is not None and dialog.plan.counts.to_push == 2
        provider.token = tenant.server.issue_jwt(
            tenant.api_key, issued_at=datetime.now(UTC) - timedelta(hours=2)
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.current_mode == "account", "the sign-in view")
        signed_out = [n.message for n in app.notification_log if n.title == "Signed out"]
        assert any("token_expired" in m for m in signed_out)
        push = next(s for s in app.get_screen_stack("secrets") if isinstance(s, PushScreen))
        assert push.report is not None and not push.report.ok
        failed = push.report.failed[0]
        assert failed.error_status == 401
        assert failed.retry_item is not None and failed.retry_item.value in ("one", "two")
        assert push.query_one("#push-retry").display, "retry stays offered after signing in"
    assert tenant.stored_secrets() == []


async def test_a_401_saving_one_secret_opens_sign_in_and_keeps_it_staged(
    tenant: Tenant, provider: StubProvider
) -> None:
    provider.token, provider.expires_in = tenant.api_key, 0
    app = provider_app(tenant, {"AMIKA_TOKEN_PROVIDER_URL": provider.url})
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await open_secret_dialog(pilot, "n")
        await pilot.press(*"NEW", "tab", *"v1")
        provider.status = 401  # the backend signed the user out
        await pilot.press("ctrl+s")
        await staged_review(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.current_mode == "account", "the sign-in view")
        signed_out = [n.message for n in app.notification_log if n.title == "Signed out"]
        assert any(provider.url in message for message in signed_out)
        assert app.staged.value_of(Scope.USER, "NEW") == "v1", "the typed value is not lost"
    assert tenant.stored_secrets() == []

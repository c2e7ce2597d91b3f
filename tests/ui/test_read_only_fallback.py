"""`--read-only` with an API key against a server without the token exchange: the session
falls back to client-side enforcement, says so, and still sends no write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from amika_tui.api import PermissionDeniedError, Scope
from amika_tui.auth.read_only import Enforcement
from amika_tui.server.testing import run_server
from amika_tui.ui.app import CLIENT_SIDE_NOTICE
from amika_tui.ui.dialogs.secret import SecretDialog
from amika_tui.ui.push import PushScreen
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    TOKEN_EXCHANGE_PATH,
    app_for,
    header_text,
    loaded,
    open_import,
    open_providers,
    seed,
    wait_until,
)


@pytest.fixture
def bare_tenant(tmp_path: Path) -> Iterator[Tenant]:
    """The default user of a server that has no `POST /auth/jwt` (an older server)."""
    with run_server(tmp_path / "server", jwt_exchange=False) as bare:
        yield Tenant(bare.url, bare.api_key, "dev@example.com", "default", bare)


async def test_read_only_without_the_exchange_is_enforced_by_the_client_and_says_so(
    bare_tenant: Tenant, tmp_path: Path
) -> None:
    tenant = bare_tenant
    seed(tenant, [("ALPHA", "alpha-value", "user")])
    env_file = tmp_path / "app.env"
    env_file.write_text("ALPHA=changed\nBETA=new-value\n")
    before = tenant.stored_secrets()
    app = app_for(tenant, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        secrets = await loaded(pilot)
        await wait_until(
            pilot, lambda: app.read_only_enforcement is Enforcement.CLIENT, "the fallback"
        )
        assert header_text(app, "header-read-only") == "READ-ONLY (client only)"
        explained = [n.message for n in app.notification_log if n.title == "Read-only"]
        assert CLIENT_SIDE_NOTICE in explained
        assert "Server-side read-only enforcement is not available" in CLIENT_SIDE_NOTICE

        # New and update keys open no editor; they explain themselves instead.
        await pilot.press("n", "e", "enter")
        await pilot.pause()
        assert app.screen is secrets, "no editor opened"
        assert not any(isinstance(s, SecretDialog) for s in app.screen_stack)

        # Import previews the file but ctrl+s does not push it.
        dialog = await open_import(pilot, env_file)
        await pilot.press("ctrl+s")
        dialog.action_push()
        await pilot.pause()
        assert not any(isinstance(s, PushScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is secrets, "the dialog closed")

        # Adding or deleting a provider credential is refused as well.
        providers = await open_providers(pilot)
        await pilot.press("a", "d", "delete", "enter")
        await pilot.pause()
        assert app.screen is providers, "no dialog opened"

        # Even a direct call on the session's client never reaches the server.
        assert app.client is not None
        with pytest.raises(PermissionDeniedError, match="read-only"):
            await app.client.create_secret("SNEAKY", "value", Scope.USER)
        await app.workers.wait_for_complete()

        explained = [n.message for n in app.notification_log if n.title == "Read-only"]
        refused = (
            "creating a secret",
            "updating a secret",
            "pushing secrets",
            "adding a",
            "deleting a",
        )
        for what in refused:
            assert any(what in m for m in explained), what

    assert tenant.stored_secrets() == before
    log = tenant.server.request_log()
    assert [(e.method, e.path, e.status) for e in log if e.method != "GET"] == [
        ("POST", TOKEN_EXCHANGE_PATH, 404)  # the one probe, refused: no route
    ]
    assert {e.method for e in log} == {"GET", "POST"}

"""`--read-only` end to end: the session's token cannot write (the server says so), every
write key on every screen (secrets, import, providers, extract) is hidden from the footer
and palette and explains itself, and nothing but reads reaches the server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from amika_tui.api import PermissionDeniedError, Scope
from amika_tui.auth.read_only import Enforcement, ReadOnlyTokenSource
from amika_tui.ui.app import CLIENT_SIDE_NOTICE, AmikaApp, make_app
from amika_tui.ui.dialogs.secret import SecretDialog
from amika_tui.ui.launch import local_server
from amika_tui.ui.push import PushScreen
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    TOKEN_EXCHANGE_PATH,
    app_for,
    header_text,
    loaded,
    offered_actions,
    open_extract,
    open_import,
    open_providers,
    seed,
    wait_until,
    writes_sent,
)


async def _server_enforced(app: AmikaApp, pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot, lambda: app.read_only_enforcement is Enforcement.SERVER, "the read-only token"
    )


def _explained(app: AmikaApp) -> list[str]:
    return [n.message for n in app.notification_log if n.title == "Read-only"]


async def test_no_write_key_on_any_screen_reaches_the_server(
    tenant: Tenant, tmp_path: Path, demo_home: Path
) -> None:
    seed(tenant, [("ALPHA", "alpha-value", "user")])
    tenant.server.seed_provider_secrets(
        tenant.api_key, "claude", [("work", "sk-ant-api03-seeded-key-000000", "api_key", "user")]
    )
    env_file = tmp_path / "app.env"
    env_file.write_text("ALPHA=changed\nBETA=new-value\n")
    before = tenant.stored_secrets()
    app = app_for(tenant, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        secrets = await loaded(pilot)
        await _server_enforced(app, pilot)
        assert header_text(app, "header-read-only") == "READ-ONLY (server)"
        assert not {"New", "Update"} & offered_actions(app, secrets)
        assert "Import .env" in offered_actions(app, secrets)
        await pilot.press("n", "e", "enter", "d")
        await pilot.pause()
        assert app.screen is secrets, "no editor opened"
        assert not any(isinstance(s, SecretDialog) for s in app.screen_stack)
        assert any("creating a secret" in m for m in _explained(app))
        assert any("updating a secret" in m for m in _explained(app))

        # Import previews a file but cannot push it (key, palette, button all refuse).
        dialog = await open_import(pilot, env_file)
        assert not dialog.query_one("#import-push-button").display
        assert "Push selected" not in offered_actions(app, dialog)
        await pilot.press("ctrl+s")
        dialog.action_push()
        await pilot.pause()
        assert not any(isinstance(s, PushScreen) for s in app.screen_stack)
        assert any("pushing secrets" in m for m in _explained(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is secrets, "the dialog closed")

        providers = await open_providers(pilot)
        offered = offered_actions(app, providers)
        assert "Refresh" in offered
        assert not {"Add credential", "Delete"} & offered
        await pilot.press("a", "d", "delete", "enter")
        await pilot.pause()
        assert app.screen is providers, "no dialog opened"
        assert any("adding a credential" in m for m in _explained(app))
        assert any("deleting a credential" in m for m in _explained(app))

        extract = await open_extract(pilot)
        offered = offered_actions(app, extract)
        assert "Reveal" in offered and "Rescan" in offered
        assert not {"Push secrets", "Push Claude/Codex"} & offered
        explained_before = len(_explained(app))
        await pilot.press("space", "p", "P", "enter")
        await pilot.pause()
        assert app.screen is extract
        hint = str(extract.query_one("#extract-selection", Static).render())
        assert "push" not in hint.replace("nothing is pushed", ""), hint
        on_extract = _explained(app)[explained_before:]
        assert any("pushing secrets" in m for m in on_extract)
        assert any("pushing provider credentials" in m for m in on_extract)
        await app.workers.wait_for_complete()

    assert tenant.stored_secrets() == before
    assert writes_sent(tenant) == []
    requests = [(e.method, e.path) for e in tenant.server.request_log()]
    assert [r for r in requests if r[0] != "GET"] == [("POST", TOKEN_EXCHANGE_PATH)]


async def test_the_sessions_token_is_refused_every_write_by_the_server(tenant: Tenant) -> None:
    app = app_for(tenant, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await _server_enforced(app, pilot)
        source = app.client._source if app.client else None
        assert isinstance(source, ReadOnlyTokenSource)
        token = await source.token()
    assert token != tenant.api_key
    async with httpx.AsyncClient(base_url=f"{tenant.url}/api/v0beta1") as http:
        headers = {"Authorization": f"Bearer {token}"}
        assert (await http.get("/secrets", headers=headers)).status_code == 200
        refused = await http.post(
            "/secrets", headers=headers, json={"name": "X", "value": "y", "scope": "user"}
        )
    assert refused.status_code == 403
    assert "secrets:write" in refused.text
    assert tenant.stored_secrets() == []


async def test_local_read_only_is_enforced_by_the_embedded_server(tmp_path: Path) -> None:
    with local_server(tmp_path / "local") as settings:
        app = make_app(replace(settings, read_only=True, max_retries=0))
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await _server_enforced(app, pilot)
            assert header_text(app, "header-read-only") == "READ-ONLY (server)"
            empty = str(app.screen.query_one("#secrets-empty", Static).render())
            assert "read-only" in empty and "Press n" not in empty


class _KeyFromElsewhere:
    """A credential that is not a plain API key (like a browser session): not exchangeable."""

    def __init__(self, key: str) -> None:
        self._key = key

    def token(self) -> str:
        return self._key


async def test_without_an_exchangeable_key_the_client_refuses_writes_and_says_so(
    tenant: Tenant,
) -> None:
    app = app_for(tenant, read_only=True, token_source=_KeyFromElsewhere(tenant.api_key))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.read_only_enforcement is Enforcement.CLIENT
        assert header_text(app, "header-read-only") == "READ-ONLY (client only)"
        assert any(m == CLIENT_SIDE_NOTICE for m in _explained(app))
        assert app.client is not None
        with pytest.raises(PermissionDeniedError, match="read-only"):
            await app.client.create_secret("SNEAKY", "value", Scope.USER)
    assert tenant.stored_secrets() == []
    assert {e.method for e in tenant.server.request_log()} == {"GET"}

"""Helpers for the app shell, secrets screen and import tests (UI engineer 1's tests)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot

from amika_tui.api import StaticTokenSource
from amika_tui.ui.app import AmikaApp, AppSettings, make_app
from amika_tui.ui.screens.secrets import SecretsScreen
from tests.conftest import Tenant

FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SIZE = (120, 40)


def app_for(tenant: Tenant | None, *, url: str | None = None, **changes: Any) -> AmikaApp:
    """An app signed in as ``tenant`` (signed out when None), fixed clock, tiny backoff."""
    settings = AppSettings(
        api_url=tenant.url if tenant else (url or "http://127.0.0.1:9"),
        token_source=StaticTokenSource(tenant.api_key) if tenant else None,
        credential_description="test API key" if tenant else None,
        email=tenant.email if tenant else None,
        org=tenant.org if tenant else None,
        clock=lambda: FIXED_NOW,
        max_retries=0,
        backoff_base=0.001,
        timeout=5.0,
    )
    return make_app(replace(settings, **changes))


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = 10.0
) -> None:
    """Let the app run until ``condition()`` holds; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def settled(pilot: Pilot[Any]) -> None:
    """Wait for running workers and the messages they posted."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def secrets_screen(app: AmikaApp) -> SecretsScreen:
    """The secrets screen (the current screen or under a dialog)."""
    for screen in app.screen_stack:
        if isinstance(screen, SecretsScreen):
            return screen
    raise AssertionError(f"no secrets screen in {app.screen_stack}")


async def loaded(pilot: Pilot[Any]) -> SecretsScreen:
    """Wait until the secrets screen has listed the secrets."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    await wait_until(
        pilot,
        lambda: app.current_mode == "secrets" and secrets_screen(app).loaded,
        "secrets listed",
    )
    return secrets_screen(app)


def visible_names(app: AmikaApp) -> list[str]:
    """Names in the secrets table, in display order."""
    return [secret.name for secret in secrets_screen(app).table.rows]


def seed(tenant: Tenant, rows: Iterable[tuple[str, str, str]]) -> None:
    """Insert (name, value, scope) secrets for the tenant's user directly in the store."""
    tenant.server.seed_secrets(tenant.api_key, rows)


def stored(tenant: Tenant) -> dict[tuple[str, str], str]:
    """(name, scope) -> value of the generic secrets the tenant can see, from the server."""
    return {
        (row["name"], row["scope"]): row["value"]
        for row in tenant.server.stored_secrets()
        if row["kind"] == "secret"
        and (row["email"] == tenant.email or (row["scope"] == "org" and row["org"] == tenant.org))
    }


def notifications(app: AmikaApp) -> list[str]:
    """Title and message of every notification shown so far."""
    return [f"{n.title}: {n.message}" for n in app._notifications]

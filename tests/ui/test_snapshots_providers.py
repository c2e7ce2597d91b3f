"""SVG snapshots: providers screen, extract pane (errored and expired sources), sign-in view.

Deterministic: LOCAL badge instead of the server's random port, a fixed identity,
credential ids replaced by fixed ones, the fixture home shown as ``~``, fake values only
and all of them masked. The tests are synchronous: `snap_compare` runs its own loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from amika_tui.api import AmikaClient, CredentialType, Scope
from amika_tui.ui.demo_home import write_demo_home
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from tests.conftest import Tenant
from tests.ui.support import app_for, open_mode, wait_until

SIZE = (120, 40)
SnapCompare = Callable[..., bool]


async def seed_credentials(tenant: Tenant) -> None:
    """Two Claude credentials and one Codex credential, with fake values."""
    async with AmikaClient(tenant.url, access_token=tenant.api_key) as client:
        await client.create_provider_secret(
            "claude", "Claude OAuth", '{"claudeAiOauth": {}}', CredentialType.OAUTH
        )
        await client.create_provider_secret(
            "claude", "Team key", "sk-ant-api03-FAKE-0000", CredentialType.API_KEY, Scope.ORG
        )
        await client.create_provider_secret(
            "codex", "Codex API Key", "sk-proj-FAKE-0000", CredentialType.API_KEY
        )


def fixed_ids(table: DataTable[Any]) -> None:
    """Replace the server's random ids in the ID column by stable ones."""
    id_column = table.ordered_columns[-1].key
    for index, row_key in enumerate(list(table.rows)):
        table.update_cell(row_key, id_column, f"psec_demo_{index + 1:04d}")


def test_providers_screen(snap_compare: SnapCompare, tenant: Tenant) -> None:
    asyncio.run(seed_credentials(tenant))
    app = app_for(tenant, local=True, email="dev@example.com", org="acme")

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_mode(pilot, "2", ProvidersScreen)
        await wait_until(pilot, lambda: screen.pane("claude").loaded, "Claude list")
        await wait_until(pilot, lambda: screen.pane("codex").loaded, "Codex list")
        await wait_until(pilot, lambda: app.connection == "online", "online")
        fixed_ids(screen.pane("claude").query_one(DataTable))
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_extract_pane(
    snap_compare: SnapCompare, tenant: Tenant, _isolated_environment: Path
) -> None:
    write_demo_home(_isolated_environment)
    app = app_for(tenant, local=True, email="dev@example.com", org="acme")

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_mode(pilot, "3", ExtractScreen)
        await wait_until(pilot, lambda: screen.report is not None, "the scan")
        table = screen.query_one("#extract-findings", DataTable)
        table.move_cursor(row=table.get_row_index(screen.winner_key("openai")))
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_sign_in_view(snap_compare: SnapCompare) -> None:
    # Signed out: no request is made, so no server is needed and the URL is fixed.
    app = app_for(None, url="https://app.amika.dev")

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: app.current_mode == "account", "sign-in view")
        screen = app.screen
        await wait_until(
            pilot, lambda: "none" in str(screen.query_one("#account-active").render()), "status"
        )
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

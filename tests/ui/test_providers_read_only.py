"""Read-only sessions on the providers and extract screens: writes hidden, keys explain."""

from __future__ import annotations

from pathlib import Path

from amika_tui.ui.demo_home import write_demo_home
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from tests.conftest import Tenant
from tests.ui.ui2_support import app_for, wait_until


def footer_descriptions(screen: ProvidersScreen | ExtractScreen) -> set[str]:
    """What the footer and the command palette offer (active bindings with a description)."""
    return {
        active.binding.description
        for active in screen.active_bindings.values()
        if active.binding.description
    }


async def test_provider_writes_are_hidden_and_explain_themselves(tenant: Tenant) -> None:
    app = app_for(tenant, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, ProvidersScreen)
        await wait_until(pilot, lambda: screen.pane("claude").loaded, "credentials listed")
        offered = footer_descriptions(screen)
        assert "Refresh" in offered
        assert not {"Add credential", "Delete"} & offered
        await pilot.press("a")
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen  # no dialog opened
        messages = [n.message for n in app._notifications if n.title == "Read-only"]
        assert any("adding a credential" in m for m in messages)
        assert any("deleting a credential" in m for m in messages)
    assert all(entry.method == "GET" for entry in tenant.server.request_log())


async def test_extract_pushes_are_hidden_and_explain_themselves(
    tenant: Tenant, _isolated_environment: Path
) -> None:
    write_demo_home(_isolated_environment)
    app = app_for(tenant, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        screen = app.screen
        assert isinstance(screen, ExtractScreen)
        await wait_until(pilot, lambda: screen.report is not None, "the scan")
        offered = footer_descriptions(screen)
        assert "Reveal" in offered and "Rescan" in offered
        assert not {"Push secrets", "Push Claude/Codex"} & offered
        await pilot.press("space", "p", "P")
        await pilot.pause()
        assert app.screen is screen
        messages = [n.message for n in app._notifications if n.title == "Read-only"]
        assert any("pushing secrets" in m for m in messages)
        assert any("pushing provider credentials" in m for m in messages)
    assert all(entry.method == "GET" for entry in tenant.server.request_log())

"""Toasts never cover a status line, the header, or a dialog's buttons (80×24 and 120×40)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen

from amika_tui.auth import save_api_key
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.screens.account import AccountScreen
from amika_tui.ui.screens.extract import ExtractScreen
from tests.conftest import Tenant
from tests.ui.support import (
    app_for,
    loaded,
    open_add_dialog,
    open_extract,
    open_mode,
    open_providers,
    wait_until,
)

SIZES = [(80, 24), (120, 40)]

#: A notification as long as the longest the app posts (the "no delete" explanation).
LONG = (
    "The Amika API has no delete for generic secrets: they can be created and updated, "
    "never deleted (the amika CLI cannot either). Provider credentials (Claude, Codex) "
    "can be deleted on the Providers screen (2)."
)


async def toast_regions(pilot: Pilot[Any], screen: Screen[Any]) -> list[Region]:
    """Post two notifications that stay (no clock involved) and return where they show."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    app.notify(LONG, title="A long one", timeout=3600)
    app.notify("Short.", title="A short one", severity="warning", timeout=3600)

    def shown() -> list[Region]:
        return [toast.region for toast in screen.query("Toast") if toast.region.height]

    await wait_until(pilot, lambda: len(shown()) == 2, "the toasts")
    await pilot.pause()
    return shown()


def assert_clear(screen: Screen[Any], toasts: list[Region], *selectors: str) -> None:
    """None of the toasts overlaps a widget matching ``selectors`` (or the header)."""
    for selector in ("AmikaHeader", *selectors):
        for widget in screen.query(selector):
            if not widget.display or not widget.region.height:
                continue
            for toast in toasts:
                assert not toast.overlaps(widget.region), f"a toast covers {selector}"


@pytest.mark.parametrize("size", SIZES)
async def test_secrets_screen(tenant: Tenant, size: tuple[int, int]) -> None:
    app = app_for(tenant)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await loaded(pilot)
        toasts = await toast_regions(pilot, screen)
        assert_clear(screen, toasts, "#secrets-toolbar", "#secrets-detail", "Footer")


@pytest.mark.parametrize("size", SIZES)
async def test_providers_screen(tenant: Tenant, size: tuple[int, int]) -> None:
    app = app_for(tenant)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await open_providers(pilot)
        toasts = await toast_regions(pilot, screen)
        assert_clear(screen, toasts, "#provider-tabs Tabs", ".provider-status", "Footer")


@pytest.mark.parametrize("size", SIZES)
async def test_extract_screen(tenant: Tenant, demo_home: object, size: tuple[int, int]) -> None:
    app = app_for(tenant)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        screen = await open_extract(pilot)
        assert isinstance(screen, ExtractScreen)
        toasts = await toast_regions(pilot, screen)
        assert_clear(
            screen,
            toasts,
            "#extract-toolbar",
            "#extract-state",
            "#extract-detail",
            "#extract-selection",
            "Footer",
        )


@pytest.mark.parametrize("size", SIZES)
async def test_account_screen(tenant: Tenant, size: tuple[int, int]) -> None:
    save_api_key(tenant.api_key)
    app = app_for(tenant)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        screen = await open_mode(pilot, "4", AccountScreen)
        await wait_until(pilot, lambda: screen.can_sign_out, "the status read")
        toasts = await toast_regions(pilot, screen)
        # The account view's status is its top panel. (Its other results are said in
        # place, in the panel that asked: at 80×24 a toast may cover part of that panel.)
        assert_clear(screen, toasts, "#account-status", "Footer")


@pytest.mark.parametrize("size", SIZES)
async def test_dialog_buttons_and_problem_line(tenant: Tenant, size: tuple[int, int]) -> None:
    app = app_for(tenant)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        dialog = await open_add_dialog(pilot, "claude")
        dialog.query_one("#add-problem").display = True  # as when it says something
        toasts = await toast_regions(pilot, dialog)
        assert_clear(dialog, toasts, "#add-problem", ".dialog-buttons")

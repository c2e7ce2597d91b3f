"""The app shell: launching, header, help, command palette, themes, quitting, 401, offline."""

from __future__ import annotations

import socket
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from amika_tui.api import StaticTokenSource
from amika_tui.server.testing import run_server
from amika_tui.ui.app import ConnectionState
from amika_tui.ui.config import load_config
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.dialogs.secret import SecretDialog
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    click,
    focused,
    loaded,
    notifications,
    open_secret_dialog,
    secrets_screen,
    seed,
    wait_until,
)


def _header_text(app: object, widget_id: str) -> str:
    from amika_tui.ui.app import AmikaApp

    assert isinstance(app, AmikaApp)
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


async def test_launch_with_credentials_opens_secrets_and_header_says_who(tenant: Tenant) -> None:
    seed(tenant, [("ALPHA", "value-one", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.current_mode == "secrets"
        assert tenant.email in _header_text(app, "header-who")
        assert tenant.org in _header_text(app, "header-who")
        assert "online" in _header_text(app, "header-state")
        assert _header_text(app, "header-api") == tenant.url.split("://")[1]


async def test_local_settings_show_a_local_badge(tenant: Tenant) -> None:
    app = app_for(tenant, local=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        badge = app.screen.query_one("#header-api", Static)
        assert str(badge.render()) == "LOCAL"
        assert badge.has_class("-local")


async def test_launch_without_credentials_opens_sign_in(tenant: Tenant) -> None:
    app = app_for(None, url=tenant.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "account", "account mode")
        assert app.connection == ConnectionState.SIGNED_OUT
        assert "not signed in" in _header_text(app, "header-who")
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "account", "the secrets screen needs a credential"


async def test_mode_tabs_switch_screens_by_click_and_key(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await click(pilot, "#mode-tab-providers")
        await wait_until(pilot, lambda: app.current_mode == "providers", "providers mode")
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "secrets", "secrets mode")
        assert app.screen.query_one("#mode-tab-secrets").has_class("-active")


async def test_narrow_terminal_keeps_every_mode_tab_in_the_header(tenant: Tenant) -> None:
    from amika_tui.ui.widgets.header import ModeTab

    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # Measure the header in its settled state: the connection text changes its width.
        await wait_until(pilot, lambda: "online" in _header_text(app, "header-state"), "online")
        await pilot.pause()
        tabs = list(app.screen.query(ModeTab))
        assert [str(tab.render()) for tab in tabs] == [
            "1 Secrets",
            "2 Providers",
            "3 Extract",
            "4 Account",
        ]
        for tab in tabs:
            assert tab.region.right <= 80 and tab.content_region.width >= len(str(tab.render()))


async def test_command_palette_lists_screen_actions(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"New", "Import .env", "Refresh", "Theme", "Help"} <= titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await focused(pilot, "Input")
        await pilot.press(*"import")
        commands = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: commands.option_count > 0, "matching commands")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: type(app.screen).__name__ == "ImportEnvDialog", "import dialog"
        )


async def test_theme_is_remembered(tenant: Tenant, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    app = app_for(tenant, config_dir=config_dir)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert load_config(config_dir).theme == "nord"
    assert [f.name for f in config_dir.iterdir()] == ["ui.json"], "no temp file left behind"
    assert (config_dir / "ui.json").stat().st_mode & 0o777 == 0o600
    again = app_for(tenant, config_dir=config_dir)
    async with again.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert again.theme == "nord"


async def test_quit_without_edits_exits_at_once(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_with_unpushed_edits_asks_first(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await open_secret_dialog(pilot, "n")
        await pilot.press(*"T", "tab", *"xyz")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "quit question")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SecretDialog), "staying keeps the dialog and value"
        assert app.screen.value_input.value == "xyz"
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "quit question")
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_screens_removed_while_the_list_loads_do_not_crash(tenant: Tenant) -> None:
    # Leaving run_test removes every screen while the listing is still on its way: the
    # cancelled worker must not touch the widgets that are already gone.
    tenant.server.faults.latency_ms = 30_000
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: secrets_screen(app).table.loading, "the listing sent")


async def test_401_leads_to_sign_in(tenant: Tenant) -> None:
    app = app_for(tenant, token_source=StaticTokenSource("amk_not_a_real_key"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "account", "sign-in view after 401")
        assert app.connection == ConnectionState.SIGNED_OUT
        assert any("Signed out" in text for text in notifications(app))
        assert app.client is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_offline_then_retry(tmp_path: Path) -> None:
    port = _free_port()
    data_dir = tmp_path / "server"
    with run_server(data_dir, port=port) as server:
        key, url = server.api_key, server.url
        server.seed_secrets(key, [("KEPT", "value-kept", "user")])
    app = app_for(None, url=url, token_source=StaticTokenSource(key))
    async with app.run_test(size=SIZE) as pilot:
        screen_ready = lambda: app.connection == ConnectionState.OFFLINE  # noqa: E731
        await wait_until(pilot, screen_ready, "offline state")
        offline = app.screen.query_one("#secrets-offline", Static)
        assert offline.display
        assert "r to retry" in str(offline.render())
        assert any("Could not load secrets" in text for text in notifications(app))
        with run_server(data_dir, port=port):
            await pilot.press("r")
            await wait_until(pilot, lambda: app.connection == ConnectionState.ONLINE, "online")
            screen = await loaded(pilot)
            assert [s.name for s in screen.table.rows] == ["KEPT"]
            assert not offline.display


def test_settings_from_environment_with_and_without_a_key() -> None:
    from amika_tui.ui.launch import settings_from_environment

    with_key = settings_from_environment(
        {"AMIKA_API_KEY": "amk_test", "AMIKA_API_URL": "https://amika.example"}
    )
    assert with_key.token_source is not None
    assert with_key.api_url == "https://amika.example"
    assert with_key.credential_description == "AMIKA_API_KEY environment variable"
    assert with_key.api_label == "amika.example"
    assert "amk_test" not in repr(with_key)
    without = settings_from_environment({}, api_url="http://127.0.0.1:9")
    assert without.token_source is None and without.api_url == "http://127.0.0.1:9"


def test_local_and_api_url_cannot_be_combined() -> None:
    import pytest

    from amika_tui.cli import main

    with pytest.raises(SystemExit, match="cannot be combined"):
        main(["--local", "--api-url", "http://127.0.0.1:9"])


def test_stylesheets_resolve_in_a_source_checkout() -> None:
    from amika_tui.ui.app import style_paths

    names = [path.name for path in style_paths()]
    assert names[0] == "app.tcss"
    assert {"secrets.tcss", "import.tcss"} <= set(names)

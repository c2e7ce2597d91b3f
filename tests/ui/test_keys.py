"""One rule on every screen and dialog with a text field: letters typed into the field stay
in it (they never reach a binding), and ``escape`` leaves the field, after which the
screen's keys work again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, TextArea

from amika_tui.auth import save_api_key
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.dialogs.secret import SecretDialog
from amika_tui.ui.screens.account import AccountScreen
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    focused,
    loaded,
    open_add_dialog,
    open_import,
    open_mode,
    open_secret_dialog,
    secrets_screen,
    sign_in_view,
    wait_until,
)


def in_a_field(app: AmikaApp) -> bool:
    """True while the keyboard is in a text field."""
    return isinstance(app.focused, Input | TextArea)


async def leave_field(pilot: Pilot[Any]) -> None:
    """Press escape and wait until the keyboard has left the field."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    screen = app.screen
    await pilot.press("escape")
    await wait_until(pilot, lambda: not in_a_field(app), "the field left")
    assert app.screen is screen, "escape in a field leaves the field, not the screen"


async def test_secrets_filter_keeps_letters_and_escape_gives_the_keys_back(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash")
        await focused(pilot, "#secrets-filter")
        await pilot.press("n", "e", "i")  # New, Update, Import .env outside the field
        assert screen.filter_input.value == "nei"
        assert app.screen is screen, "no dialog opened"
        await leave_field(pilot)
        assert screen.table.has_focus
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, SecretDialog), "the n key")


async def test_account_key_field_after_sign_in_swallows_nothing(tenant: Tenant) -> None:
    # The steps: signed out, sign in with a pasted key, 4, o: the sign-out question.
    app = app_for(None, url=tenant.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sign_in_view(pilot)
        assert not in_a_field(app), "the view's keys work on arrival"
        await pilot.press("s")
        await focused(pilot, "#account-key")
        await pilot.press(*tenant.api_key, "enter")
        await wait_until(pilot, lambda: app.current_mode == "secrets", "signed in")
        await loaded(pilot)
        await open_mode(pilot, "4", AccountScreen)
        await wait_until(pilot, lambda: screen.can_sign_out, "the status read")
        assert not in_a_field(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "Sign out?")
        assert screen.query_one("#account-key", Input).value == ""


async def test_account_key_field_keeps_letters_and_escape_leaves_it(tenant: Tenant) -> None:
    save_api_key(tenant.api_key)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = await open_mode(pilot, "4", AccountScreen)
        await wait_until(pilot, lambda: screen.can_sign_out, "the status read")
        await pilot.press("s")
        await focused(pilot, "#account-key")
        await pilot.press("o", "r", "b", "s")
        assert screen.query_one("#account-key", Input).value == "orbs"
        assert app.screen is screen, "o did not ask to sign out"
        await leave_field(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "Sign out?")


async def test_import_path_keeps_letters_and_escape_gives_the_dialog_its_keys(
    tenant: Tenant, tmp_path: Path
) -> None:
    env = tmp_path / "app.env"
    env.write_text("API_TOKEN=token-0123456789\n")
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot, env)
        path_input = dialog.query_one("#import-path", Input)
        path_input.focus()
        await focused(pilot, "#import-path")
        await pilot.press("end", "v", "V", "x")  # reveal, reveal all, select none
        assert path_input.value == f"{env}vVx"
        assert not dialog.table.revealed, "typing a path revealed nothing"
        assert dialog.plan is not None and dialog.plan.counts.to_push == 1
        await leave_field(pilot)
        await pilot.press("V")
        await wait_until(pilot, lambda: bool(dialog.table.revealed), "V reveals all")


async def test_secret_dialog_escape_leaves_the_field_then_cancels(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        await leave_field(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is secrets_screen(app), "closed")


async def test_revealed_value_editor_is_left_with_escape(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        dialog.value_input.focus_value()
        await pilot.press("ctrl+r")
        await focused(pilot, "#value-revealed")
        await pilot.press(*"two words")
        await leave_field(pilot)
        assert dialog.value_input.value == "two words"


async def test_add_credential_fields_are_left_with_escape(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_add_dialog(pilot, "claude")
        for source, field in (
            ("#source-file", "#add-file-path"),
            ("#source-paste", "#value-masked"),
            (None, "#add-name"),
        ):
            if source is not None:
                dialog.query_one(source, RadioButton).value = True
            dialog.query_one(field).focus()
            await focused(pilot, field)
            await leave_field(pilot)
            assert isinstance(app.screen, AddCredentialDialog)


async def test_escape_still_closes_the_command_palette(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the palette closed")

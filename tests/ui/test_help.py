"""The help screen (?): every binding, grouped by where it works, the current screen or
dialog first, a filter box, nothing of Textual's internals, and true about ctrl+c."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import DataTable

import amika_tui.ui
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.help import HelpScreen, help_contexts, help_text, key_text
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.screens.providers import ProvidersScreen
from tests.conftest import Tenant
from tests.ui.support import SIZE, app_for, focused, loaded, open_import, open_mode, wait_until

Row = tuple[str, str, str]


def bound_classes() -> set[type[DOMNode]]:
    """Every class of the UI that declares bindings with a description."""
    found: set[type[DOMNode]] = set()
    for module in pkgutil.walk_packages(amika_tui.ui.__path__, "amika_tui.ui."):
        if module.name.endswith("screenshots"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            ours = isinstance(value, type) and value.__module__.startswith("amika_tui.")
            if ours and issubclass(value, DOMNode):
                own = value.__dict__.get("BINDINGS", ())
                if any(isinstance(b, Binding) and b.description for b in own):
                    found.add(value)
    return found


async def _open_help(app: AmikaApp, pilot: object) -> HelpScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    await focused(pilot, "#help-filter")
    await wait_until(
        pilot, lambda: help_screen.table.fitted_width == help_screen.table.size.width, "fitted"
    )
    return help_screen


@asynccontextmanager
async def _help_at_80_columns(tenant: Tenant) -> AsyncIterator[tuple[Pilot[int], HelpScreen]]:
    """The app at 80×24 with the help open and its rows shown."""
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        help_screen = await _open_help(app, pilot)
        yield pilot, help_screen


def _rows(help_screen: HelpScreen) -> list[Row]:
    """The table as shown, each row with the title of its group (the row above it whose
    action is empty) filled in."""
    table = help_screen.query_one("#help-table", DataTable)
    rows, where = [], ""
    for index in range(table.row_count):
        keys, description = (str(cell) for cell in table.get_row_at(index))
        if not description:
            where = keys
            continue
        rows.append((where, keys.strip(), description))
    return rows


def test_every_class_with_bindings_has_a_place_on_the_help_screen() -> None:
    owners = {owner for context in help_contexts() for owner in context.owners}
    assert bound_classes() <= owners


async def test_the_help_lists_every_binding_with_the_current_screen_first(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        rows = _rows(await _open_help(app, pilot))
        shown = {(keys, description) for _, keys, description in rows}
        missing = [
            f"{owner.__name__}: {key_text(binding)} {binding.description}"
            for context in help_contexts()
            for owner in context.owners
            for binding in owner.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding)
            and binding.description
            and not any(key_text(binding) in keys and help_text(binding) == d for keys, d in shown)
        ]
        assert not missing
        titles = list(dict.fromkeys(where for where, _, _ in rows))
        assert titles[:2] == ["Secrets (1)", "Everywhere"]
        assert ("Everywhere", "q, ctrl+c, ctrl+q", "Quit") in rows
        assert not any(
            "Copy selected text" in d or d in ("Focus Next", "Scroll Left") for _, _, d in rows
        )
        assert ("Everywhere", "ctrl+p", "Command palette (every action, themes)") in rows


@pytest.mark.parametrize("where", ["providers", "import"])
async def test_the_help_of_a_screen_or_dialog_starts_with_its_own_keys(
    tenant: Tenant, tmp_path: Path, where: str
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        if where == "providers":
            await open_mode(pilot, "2", ProvidersScreen)
            first = "Providers (2)"
        else:
            env = tmp_path / "a.env"
            env.write_text("A=1\n")
            await open_import(pilot, env)  # a dialog: the app's own ? does not reach in
            first = "Import .env"
        help_screen = await _open_help(app, pilot)
        assert _rows(help_screen)[0][0] == first
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
        if where == "import":
            assert isinstance(app.screen, ImportEnvDialog), "back in the dialog"


async def test_typing_filters_the_list_and_escape_clears_then_closes(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        help_screen = await _open_help(app, pilot)
        everything = len(_rows(help_screen))
        await pilot.press(*"reveal")
        await pilot.pause()
        rows = _rows(help_screen)
        assert 0 < len(rows) < everything
        assert all("reveal" in " ".join(row).lower() for row in rows)
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert _rows(help_screen) == [("", "", "Nothing matches the filter.")]
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert len(_rows(help_screen)) == everything and isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")


async def test_arrow_keys_scroll_to_the_last_row_while_the_filter_has_the_keyboard(
    tenant: Tenant,
) -> None:
    async with _help_at_80_columns(tenant) as (pilot, help_screen):
        table = help_screen.table
        assert table.row_count > table.scrollable_content_region.height, "list is longer"
        await pilot.press(*["pagedown"] * (table.row_count // 10 + 1))
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        assert table.scroll_y == table.max_scroll_y > 0, "the last rows scrolled into view"
        await pilot.press("up")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 2


async def test_at_80_columns_every_description_fits_the_table_and_long_ones_wrap(
    tenant: Tenant,
) -> None:
    async with _help_at_80_columns(tenant) as (_, help_screen):
        table = help_screen.table
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        assert sum(widths) <= table.scrollable_content_region.width, "no column is cut off"
        action_width = widths[1] - 2 * table.cell_padding
        for row in table.ordered_rows:
            description = str(table.get_cell(row.key, table.ordered_columns[1].key))
            assert row.height * action_width >= len(description), description

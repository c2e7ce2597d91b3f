"""The footer follows the bindings after a burst of changes (it rebuilds once for them),
and stylesheets parsed once still follow a change of theme."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from amika_tui.ui.app import AmikaApp
from amika_tui.ui.widgets.footer import AmikaFooter
from tests.conftest import Tenant
from tests.ui.support import SIZE, app_for, loaded, wait_until


def _shown_actions(app: AmikaApp) -> set[str]:
    return {b.action for (_, b, _enabled, _tip) in app.screen.active_bindings.values() if b.show}


def _footer_actions(app: AmikaApp) -> set[str]:
    """What the footer offers besides the command palette (Textual adds that one)."""
    keys = app.screen.query_one(AmikaFooter).query(FooterKey)
    return {key.action for key in keys} - {"command_palette"}


async def _footer_follows(pilot: Pilot[Any], app: AmikaApp, what: str) -> None:
    await wait_until(pilot, lambda: _footer_actions(app) == _shown_actions(app), what)


async def test_the_footer_shows_the_last_bindings_of_a_burst(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await _footer_follows(pilot, app, "the table's keys")
        table_keys = _footer_actions(app)
        # three changes before the next refresh: the footer ends with the last one's keys
        screen.filter_input.focus()
        screen.table.focus()
        screen.filter_input.focus()
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "the filter focused")
        await _footer_follows(pilot, app, "the filter's keys")
        assert _footer_actions(app) != table_keys  # typing keys are not the table's
        screen.table.focus()
        await wait_until(pilot, lambda: app.focused is screen.table, "the table focused")
        await _footer_follows(pilot, app, "the table's keys again")
        assert _footer_actions(app) == table_keys


async def test_a_reparse_keeps_the_rules_and_a_theme_change_restyles(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        rules = app.stylesheet.rules
        app.refresh_css()  # the variables did not change: nothing to parse again
        assert app.stylesheet.rules == rules
        assert all(a is b for a, b in zip(app.stylesheet.rules, rules, strict=True))
        before = screen.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await wait_until(pilot, lambda: screen.styles.background != before, "restyled")
        assert not any(a is b for a, b in zip(app.stylesheet.rules, rules, strict=False))


def _footer_line(app: AmikaApp) -> str:
    """The footer's row as drawn (hidden keys take no room)."""
    footer = app.screen.query_one(AmikaFooter)
    return "".join(
        key.render().plain for key in footer.query(FooterKey) if key.display and key.region
    )


async def test_a_narrow_footer_hides_keys_from_the_right_but_keeps_help_and_quit(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: "Quit" in _footer_line(app), "the footer fitted")
        line = _footer_line(app)
        assert "? Help" in line and "q Quit" in line
        assert "/ Filter" in line and "n New" in line
        assert "Sort" not in line  # a key that does not fit is hidden, not cut
        footer = app.screen.query_one(AmikaFooter)
        assert all(key.region.right <= footer.region.right for key in footer.query(FooterKey))
        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: "s Sort" in _footer_line(app), "every key back")
        assert "? Help" in _footer_line(app)
        await pilot.press("3")  # Extract has more keys than fit in 120 columns
        await wait_until(pilot, lambda: "Push secrets" in _footer_line(app), "Extract's keys")
        await wait_until(pilot, lambda: "q Quit" in _footer_line(app), "Extract's Quit")

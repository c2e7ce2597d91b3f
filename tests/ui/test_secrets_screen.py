"""The generic secrets screen: list, filter, sort, scope tabs, create, update, no delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button, Static, Tab

from amika_tui.api import Scope, Secret
from amika_tui.sync.plan import entries_from_mapping, plan_secrets
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.dialogs.secret import SecretDialog, plan_text, split_paste
from amika_tui.ui.screens.secrets import NO_DELETE_EXPLANATION, ScopeTabs
from amika_tui.ui.widgets.revealable import REMASK_SECONDS
from amika_tui.ui.widgets.secrets_table import (
    SecretsTable,
    SortKey,
    filter_secrets,
    relative_time,
    sort_secrets,
)
from tests.conftest import Tenant
from tests.ui.support import (
    FIXED_NOW,
    SIZE,
    FakeTimers,
    app_for,
    click,
    close_push,
    focused,
    loaded,
    notifications,
    open_secret_dialog,
    push_staged,
    seed,
    stored,
    visible_names,
    wait_until,
)

ROWS = [
    ("DATABASE_URL", "postgres://db.example/app", "user"),
    ("OPENAI_API_KEY", "sk-fake-openai-000000000000", "user"),
    ("SHARED_TOKEN", "shared-token-value", "org"),
    ("STRIPE_KEY", "sk_test_fake_stripe_0000", "org"),
]


def _secret(name: str, scope: Scope, minutes_ago: int = 0) -> Secret:
    at = FIXED_NOW - timedelta(minutes=minutes_ago)
    return Secret("id-" + name, "org", "usr", name, None, scope, at, at)


def test_filter_sort_and_relative_time_helpers() -> None:
    secrets = [_secret("b_key", Scope.ORG, 5), _secret("A_KEY", Scope.USER, 90)]
    assert [s.name for s in filter_secrets(secrets, None, "key")] == ["b_key", "A_KEY"]
    assert [s.name for s in filter_secrets(secrets, Scope.ORG, "")] == ["b_key"]
    assert [s.name for s in sort_secrets(secrets, SortKey.NAME)] == ["A_KEY", "b_key"]
    assert [s.name for s in sort_secrets(secrets, SortKey.UPDATED)] == ["A_KEY", "b_key"]
    assert relative_time(FIXED_NOW - timedelta(minutes=5), FIXED_NOW) == "5 min ago"
    assert relative_time(FIXED_NOW - timedelta(hours=3), FIXED_NOW) == "3 h ago"
    assert relative_time(FIXED_NOW - timedelta(days=1), FIXED_NOW) == "1 day ago"


def test_the_plan_line_is_the_import_plan_for_one_row() -> None:
    existing = [_secret("TOKEN", Scope.ORG)]

    def line(name: str, scope: Scope) -> str:
        row = plan_secrets(entries_from_mapping({name: "v"}), existing, scope).rows[0]
        return plan_text(row, updating=False)

    assert line("TOKEN", Scope.ORG) == "TOKEN exists in org scope — will update its value."
    assert line("TOKEN", Scope.USER) == (
        "TOKEN exists in org scope. Switch the scope to Org to update that one, or stage to "
        "create a user-scoped TOKEN too (two will exist)."
    )
    assert line("NEW", Scope.USER) == "Will create NEW in user scope."
    assert line("N" * 257, Scope.USER) == "Cannot stage: the name is longer than 256 characters."


@pytest.mark.parametrize(
    ("pasted", "name", "value"),
    [
        ("MY_TOKEN\thunter2-very-secret", "MY_TOKEN", "hunter2-very-secret"),
        ("MY_TOKEN\thunter2\n", "MY_TOKEN", "hunter2"),  # an auto-type's final enter
        ("MY_TOKEN\nline-1\nline-2\n", "MY_TOKEN", "line-1\nline-2\n"),
        ("MY_TOKEN\r\nvalue", "MY_TOKEN", "value"),
        ("MY_TOKEN=a=b", "MY_TOKEN", "a=b"),
        ("export MY_TOKEN=abc", "MY_TOKEN", "abc"),
        (" MY_TOKEN ", "MY_TOKEN", None),
        ("\tonly-a-value", "", "only-a-value"),
    ],
)
def test_a_paste_into_the_name_field_is_split_at_the_first_separator(
    pasted: str, name: str, value: str | None
) -> None:
    assert split_paste(pasted) == (name, value)


async def test_lists_secrets_with_scope_tabs_and_counts(tenant: Tenant) -> None:
    seed(tenant, ROWS)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert visible_names(app) == [name for name, _, _ in ROWS]
        labels = [str(tab.label) for tab in screen.query(Tab)]
        assert labels == ["All (4)", "User (2)", "Org (2)"]
        await pilot.press("o")
        await pilot.pause()
        assert visible_names(app) == ["SHARED_TOKEN", "STRIPE_KEY"]
        await click(pilot, "#scope-user")
        await pilot.pause()
        assert visible_names(app) == ["DATABASE_URL", "OPENAI_API_KEY"]
        await pilot.press("a")
        await pilot.pause()
        assert len(visible_names(app)) == 4
        detail = str(screen.query_one("#secrets-detail", Static).render())
        assert "DATABASE_URL" in detail and "UTC" in detail


async def test_scope_counts_shown_before_the_tabs_are_mounted_are_kept() -> None:
    # What the secrets screen does when it resumes right after a sign-in: its scope tabs
    # may not have mounted their tabs yet (this used to crash the app with NoMatches).
    tabs = ScopeTabs(id="scope-tabs")
    tabs.show_counts({None: 3, Scope.USER: 1, Scope.ORG: 2})

    class JustTheTabs(App[None]):
        def compose(self) -> ComposeResult:
            yield tabs

    async with JustTheTabs().run_test() as pilot:
        await pilot.pause()
        assert [str(tab.label) for tab in tabs.query(Tab)] == ["All (3)", "User (1)", "Org (2)"]


async def test_filter_as_you_type_and_clear(tenant: Tenant) -> None:
    seed(tenant, ROWS)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"key")
        await pilot.pause()
        assert visible_names(app) == ["OPENAI_API_KEY", "STRIPE_KEY"]
        assert str(screen.query_one("#scope-all", Tab).label) == "All (2)"
        assert screen.table.query_text == "key"
        await pilot.press(*"zzz")
        await pilot.pause()
        assert visible_names(app) == []
        assert "Nothing matches" in str(screen.query_one("#secrets-empty", Static).render())
        await pilot.press("escape")  # leaves the filter: back on the table, still filtered
        await focused(pilot, "#secrets-table")
        assert visible_names(app) == []
        await pilot.press("escape")  # clears it
        await pilot.pause()
        assert len(visible_names(app)) == 4
        assert screen.table.has_focus


async def test_sort_by_key_and_header_click(tenant: Tenant) -> None:
    seed(tenant, ROWS)
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("S")
        await pilot.pause()
        assert visible_names(app) == [name for name, _, _ in reversed(ROWS)]
        await pilot.press("s")  # scope, still reversed
        await pilot.pause()
        assert screen.table.sort_key is SortKey.SCOPE
        assert visible_names(app) == [
            "OPENAI_API_KEY",
            "DATABASE_URL",
            "STRIPE_KEY",
            "SHARED_TOKEN",
        ]
        # click the "Name" header: sort by name ascending
        await click(pilot, "#secrets-table", offset=(3, 0))
        await pilot.pause()
        assert screen.table.sort_key is SortKey.NAME
        assert visible_names(app) == [name for name, _, _ in ROWS]


async def test_create_secret_shows_plan_and_lists_it(tenant: Tenant) -> None:
    seed(tenant, [("SHARED_TOKEN", "shared-token-value", "org")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        save = dialog.query_one("#secret-save", Button)
        assert save.disabled, "nothing typed yet"
        await pilot.press(*"SHARED_TOKEN", "tab", *"v-2")
        await pilot.pause()
        plan = str(dialog.query_one("#secret-plan", Static).render())
        assert "exists in org scope" in plan
        assert not save.disabled, "saving here makes a second one (after asking)"
        await click(pilot, "#scope-org")
        await pilot.pause()
        assert "will update its value" in str(dialog.query_one("#secret-plan", Static).render())
        # a new name instead
        name_input = dialog.query_one("#secret-name")
        name_input.focus()
        await pilot.press("ctrl+u", *"NEW_SECRET")
        await click(pilot, "#scope-user")
        await pilot.pause()
        assert "Will create NEW_SECRET in user scope" in str(
            dialog.query_one("#secret-plan", Static).render()
        )
        await pilot.press("ctrl+s")  # nothing else staged: straight to the review
        await push_staged(pilot)
        await close_push(pilot)
        await wait_until(pilot, lambda: "NEW_SECRET" in visible_names(app), "new secret listed")
        assert stored(tenant)[("NEW_SECRET", "user")] == "v-2"
        assert not app.has_unpushed_edits
        assert all("v-2" not in text for text in notifications(app))


async def test_multi_line_value_with_reveal(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        await pilot.press(*"PEM", "tab", *"l1")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.value_input.revealed
        await focused(pilot, "#value-revealed")
        await pilot.press("end", "enter", *"l2")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not dialog.value_input.revealed
        assert dialog.value_input.value == "l1\nl2"
        await pilot.press("ctrl+s")
        await push_staged(pilot)
        assert stored(tenant)[("PEM", "user")] == "l1\nl2"


async def test_a_multi_line_paste_into_the_masked_value_is_kept_whole(tenant: Tenant) -> None:
    pem = "-----BEGIN KEY-----\nline-one\nline-two\n-----END KEY-----"
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        await pilot.press(*"PEM", "tab")
        app.post_message(events.Paste(pem))  # what the terminal sends: one burst
        await wait_until(pilot, lambda: dialog.value_input.value == pem, "the whole paste")
        assert not dialog.value_input.revealed
        await pilot.press("ctrl+s")
        await push_staged(pilot)
        assert stored(tenant)[("PEM", "user")] == pem


async def test_a_revealed_value_is_masked_again_after_the_delay_and_kept(
    tenant: Tenant,
) -> None:
    timers = FakeTimers()
    app = app_for(tenant, timer=timers)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "n")
        await pilot.press(*"PEM", "tab", *"l1", "ctrl+r")
        assert dialog.value_input.revealed
        timers.advance(REMASK_SECONDS)
        await wait_until(pilot, lambda: not dialog.value_input.revealed, "re-mask")
        assert dialog.value_input.value == "l1"
        assert dialog.value_input.masked_input.display


async def test_update_value_with_e_and_enter(tenant: Tenant) -> None:
    seed(tenant, [("API_TOKEN", "old-value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        dialog = await open_secret_dialog(pilot, "enter")
        assert dialog.query_one("#secret-name").disabled
        assert "new value on API_TOKEN" in str(dialog.query_one("#secret-plan", Static).render())
        await pilot.press(*"new")
        await pilot.press("ctrl+s")
        await push_staged(pilot)
        assert stored(tenant)[("API_TOKEN", "user")] == "new"
        await close_push(pilot)
        await open_secret_dialog(pilot, "e")
        await pilot.press("escape")
        await pilot.pause()
        assert stored(tenant)[("API_TOKEN", "user")] == "new"


async def test_escape_asks_before_discarding_a_typed_value(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await open_secret_dialog(pilot, "n")
        await pilot.press(*"TYPED", "tab", *"typed-value")
        await pilot.press("escape", "escape")  # leave the value field, then cancel
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        await pilot.press("n")  # keep editing: nothing typed is lost
        await wait_until(pilot, lambda: isinstance(app.screen, SecretDialog), "back")
        dialog = app.screen
        assert isinstance(dialog, SecretDialog)
        assert dialog.value_input.value == "typed-value"
        await focused(pilot, "#secret-name")  # keep editing puts the keyboard in a field
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked again")
        await pilot.press("y")
        await wait_until(pilot, lambda: not isinstance(app.screen, SecretDialog), "discarded")
        assert not isinstance(app.screen, ConfirmModal)
        assert "TYPED" not in visible_names(app)


async def test_escape_closes_an_untouched_dialog_at_once(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await open_secret_dialog(pilot, "n")
        await pilot.press("escape", "escape")  # leave the name field, then cancel
        await wait_until(pilot, lambda: not isinstance(app.screen, SecretDialog), "closed")
        assert not isinstance(app.screen, ConfirmModal)


async def test_delete_explains_there_is_no_delete(tenant: Tenant) -> None:
    seed(tenant, [("KEEP_ME", "value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("delete")
        await pilot.pause()
        assert any(NO_DELETE_EXPLANATION in text for text in notifications(app))
        assert stored(tenant) == {("KEEP_ME", "user"): "value"}


async def test_refresh_picks_up_new_secrets(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert "No secrets yet" in str(screen.query_one("#secrets-empty", Static).render())
        seed(tenant, [("LATER", "value", "user")])
        await pilot.press("r")
        await wait_until(pilot, lambda: visible_names(app) == ["LATER"], "refreshed list")
        assert not screen.query_one("#secrets-empty", Static).display


async def test_a_cjk_description_is_cut_to_its_column_by_cell_width() -> None:
    # A CJK character takes two cells: measured in characters, this description pushed
    # the Updated and Created by columns off their headers and past the table's edge.
    description = "生产环境数据库连接字符串，用于结算服务和报表服务的只读副本" * 2
    secret = Secret(
        "id-cjk", "org", "usr", "DATABASE_URL", description, Scope.USER, FIXED_NOW, FIXED_NOW
    )
    table = SecretsTable(now=lambda: FIXED_NOW)

    class JustTheTable(App[None]):
        def compose(self) -> ComposeResult:
            yield table

    async with JustTheTable().run_test(size=(100, 10)) as pilot:
        table.show([secret], "")
        await pilot.pause()
        header, row = (table.render_line(y) for y in (0, 1))
        assert header.cell_length == row.cell_length == table.size.width
        header_text, row_text = header.text, row.text
        updated = cell_len(header_text[: header_text.index("Updated")])
        assert cell_len(row_text[: row_text.index("just now")]) == updated
        assert "…" in row_text and row_text.rstrip().endswith("you")

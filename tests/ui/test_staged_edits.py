"""Staged edits on the Secrets screen, against the reference server: n and e stage, the rows
are marked and masked and stay in sight, u / U undo, ctrl+s reviews and pushes through the
one push flow, failures stay staged, and nothing staged is lost without asking."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from amika_tui.api import Scope
from amika_tui.masking import mask_on_screen
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.push import PushScreen
from amika_tui.ui.push.plan_review import PlanReviewScreen
from amika_tui.ui.screens.account import AccountScreen
from amika_tui.ui.screens.secrets import SecretsScreen
from amika_tui.ui.widgets.device_login import DeviceLoginPanel
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    click,
    close_push,
    loaded,
    notifications,
    open_mode,
    open_secret_dialog,
    push_and_wait,
    push_staged,
    screen_text,
    secrets_screen,
    seed,
    staged_review,
    stored,
    visible_names,
    wait_until,
    writes_sent,
)

NEW_VALUE = "sk-live-new-value-0123456789"
CHANGED_VALUE = "changed-value-abcdefghijkl"


async def stage_new(pilot: Pilot[Any], name: str, value: str) -> None:
    """n, the name, the value, enter: staged."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    before = len(app.staged)
    await open_secret_dialog(pilot, "n")
    await pilot.press(*name, "tab", *value, "enter")
    await wait_until(pilot, lambda: len(app.staged) == before + 1, f"{name} staged")


async def stage_update(pilot: Pilot[Any], name: str, value: str) -> None:
    """Cursor to ``name``, e, the value, enter: staged."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    screen = secrets_screen(app)
    screen.table.cursor_row = visible_names(app).index(name)
    await open_secret_dialog(pilot, "e")
    await pilot.press(*value, "enter")
    await wait_until(pilot, lambda: app.staged.get(Scope.USER, name) is not None, "staged")


async def stage_both(pilot: Pilot[Any]) -> SecretsScreen:
    """Once listed (API_TOKEN seeded): a new NEW_ONE and a new value for API_TOKEN staged."""
    screen = await loaded(pilot)
    await stage_new(pilot, "NEW_ONE", NEW_VALUE)
    await stage_update(pilot, "API_TOKEN", CHANGED_VALUE)
    return screen


async def review_both(pilot: Pilot[Any]) -> tuple[SecretsScreen, PlanReviewScreen]:
    """`stage_both`, then ctrl+s: the screen and the review of the two."""
    screen = await stage_both(pilot)
    await pilot.press("ctrl+s")
    return screen, await staged_review(pilot)


def staged_bar(screen: SecretsScreen) -> str:
    bar = screen.query_one("#secrets-staged", Static)
    return str(bar.render()) if bar.display else ""


def review_rows(review: PlanReviewScreen) -> list[list[str]]:
    table = review.table
    return [list(table.cells(i)) for i in range(table.row_count)]


def assert_no_value_shown(app: AmikaApp, *values: str) -> None:
    text = screen_text(app)
    said = "\n".join(notifications(app))
    for value in values:
        assert value not in text, "a staged value on screen"
        assert value not in said, "a staged value in a notification"


async def test_n_and_e_stage_marked_masked_and_counted_without_writing(tenant: Tenant) -> None:
    seed(tenant, [("API_TOKEN", "old-value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stage_both(pilot)
        assert writes_sent(tenant) == [], "staging writes nothing"
        assert stored(tenant) == {("API_TOKEN", "user"): "old-value"}
        assert staged_bar(screen) == "2 staged · ctrl+s review · u undo · U undo all"
        text = screen_text(app)
        new_row = next(line for line in text.splitlines() if "NEW_ONE" in line)
        changed_row = next(line for line in text.splitlines() if "API_TOKEN" in line)
        assert "● new" in new_row and f"→ {mask_on_screen(NEW_VALUE)}" in new_row
        assert "● changed" in changed_row and f"→ {mask_on_screen(CHANGED_VALUE)}" in changed_row
        assert "Review staged" in text, "the footer offers the review"
        assert_no_value_shown(app, NEW_VALUE, CHANGED_VALUE)
        # c copies the selected row's staged value, without showing it.
        screen.table.cursor_row = visible_names(app).index("NEW_ONE")
        await pilot.press("c")
        await wait_until(pilot, lambda: app.clipboard == NEW_VALUE, "copied")
        assert_no_value_shown(app, NEW_VALUE, CHANGED_VALUE)


async def test_staged_rows_stay_visible_under_a_filter_that_excludes_them(tenant: Tenant) -> None:
    seed(tenant, [("DATABASE_URL", "db", "user"), ("STRIPE_KEY", "sk", "org")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await stage_new(pilot, "NEW_ONE", NEW_VALUE)
        await pilot.press("slash", *"stripe")
        await wait_until(pilot, lambda: screen.query_text == "stripe", "filtered")
        assert visible_names(app) == ["NEW_ONE", "STRIPE_KEY"], "staged first, then matches"
        await pilot.press("escape", "right_square_bracket", "right_square_bracket")  # Org tab
        await wait_until(pilot, lambda: screen.scope is Scope.ORG, "the org tab")
        assert visible_names(app) == ["NEW_ONE", "STRIPE_KEY"], "whatever the scope tab too"


async def test_u_undoes_the_selected_row_and_U_all_after_asking(tenant: Tenant) -> None:
    seed(tenant, [("API_TOKEN", "old-value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        for name in ("ONE", "TWO", "THREE"):
            await stage_new(pilot, name, f"value-of-{name}")
        screen.table.cursor_row = visible_names(app).index("TWO")
        await pilot.press("u")
        await wait_until(pilot, lambda: len(app.staged) == 2, "one undone")
        assert "TWO" not in visible_names(app)
        assert staged_bar(screen).startswith("2 staged")
        await pilot.press("U")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        question = app.screen.query_one("#confirm-question", Static).render()
        assert "Undo all 2 staged (2 new): ONE, THREE?" in str(question)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen, "kept")
        assert len(app.staged) == 2
        await pilot.press("U", "y")
        await wait_until(pilot, lambda: not app.staged, "all undone")
        assert visible_names(app) == ["API_TOKEN"] and staged_bar(screen) == ""
        # One staged change: undone at once, nothing to ask.
        await stage_update(pilot, "API_TOKEN", CHANGED_VALUE)
        await pilot.press("U")
        await wait_until(pilot, lambda: not app.staged, "undone without a question")
        assert not isinstance(app.screen, ConfirmModal)
        assert writes_sent(tenant) == []


async def test_ctrl_s_reviews_with_rows_deselectable_and_pushes_through_the_executor(
    tenant: Tenant,
) -> None:
    seed(tenant, [("API_TOKEN", "old-value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen, review = await review_both(pilot)
        rows = {row[1]: row for row in review_rows(review)}
        masked = mask_on_screen(NEW_VALUE)
        assert rows["NEW_ONE"][:5] == ["[x]", "NEW_ONE", "user", masked, "create"]
        assert rows["API_TOKEN"][:5] == [
            "[x]",
            "API_TOKEN",
            "user",
            mask_on_screen(CHANGED_VALUE),
            "update",
        ]
        assert_no_value_shown(app, NEW_VALUE, CHANGED_VALUE)
        review.table.cursor_row = list(rows).index("API_TOKEN")
        await pilot.press("space")  # leave the update out of this push
        await wait_until(pilot, lambda: len(review.items()) == 1, "unticked")
        push = await push_and_wait(pilot, "y")
        assert push.report is not None and push.report.summary() == "1 created"
        await close_push(pilot)
        assert stored(tenant) == {
            ("API_TOKEN", "user"): "old-value",
            ("NEW_ONE", "user"): NEW_VALUE,
        }
        assert [c.name for c in app.staged] == ["API_TOKEN"], "the unticked row stays staged"
        await wait_until(
            pilot, lambda: "NEW_ONE" in {s.name for s in screen.secrets}, "listed again"
        )
        await pilot.press("ctrl+s")
        push = await push_staged(pilot)
        assert push.report is not None and push.report.summary() == "1 updated"
        assert stored(tenant)[("API_TOKEN", "user")] == CHANGED_VALUE
        assert not app.staged
        await close_push(pilot)
        assert staged_bar(screen) == ""


async def test_the_review_ticks_all_or_none_reveals_all_and_a_click_on_a_tick_toggles(
    tenant: Tenant,
) -> None:
    """The same row keys as the import preview: a / x, v / V, a click on the tick."""
    seed(tenant, [("API_TOKEN", "old-value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        _, review = await review_both(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: not review.items(), "none ticked")
        assert [row[0] for row in review_rows(review)] == ["[ ]", "[ ]"]
        summary = review.query_one("#plan-summary", Static)
        assert str(summary.render()).endswith("·  0 ticked to push")
        assert review.query_one("#plan-push-button", Button).disabled
        await pilot.press("a")
        await wait_until(pilot, lambda: len(review.items()) == 2, "all ticked")
        await pilot.press("V")
        await wait_until(pilot, lambda: NEW_VALUE in screen_text(app), "every value shown")
        assert CHANGED_VALUE in screen_text(app)
        await pilot.press("V")
        await wait_until(pilot, lambda: NEW_VALUE not in screen_text(app), "masked again")
        assert_no_value_shown(app, NEW_VALUE, CHANGED_VALUE)
        await click(pilot, "#plan-table", offset=(1, 2))  # the second row's tick
        await wait_until(pilot, lambda: len(review.items()) == 1, "unticked by the click")
        assert review.table.cursor_row == 1 and review_rows(review)[1][0] == "[ ]"


async def test_a_failed_item_stays_staged_with_its_value_for_a_retry(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await stage_new(pilot, "FLAKY", NEW_VALUE)
        tenant.server.faults.fail_rate = 1.0  # every request: 503
        await pilot.press("ctrl+s")
        push = await push_staged(pilot)
        tenant.server.faults.fail_rate = 0.0
        assert push.report is not None and len(push.report.failed) == 1
        assert "service_unavailable" in (push.report.failed[0].error or "")
        await close_push(pilot)
        assert app.staged.value_of(Scope.USER, "FLAKY") == NEW_VALUE, "kept, value and all"
        assert staged_bar(screen).startswith("1 staged")
        assert stored(tenant) == {}
        await pilot.press("ctrl+s")
        push = await push_staged(pilot)
        assert push.report is not None and push.report.summary() == "1 created"
        assert not app.staged, "what was written leaves the staged set"
        assert stored(tenant) == {("FLAKY", "user"): NEW_VALUE}
        assert_no_value_shown(app, NEW_VALUE)


async def test_a_save_that_landed_behind_errors_is_shown_as_stored(tenant: Tenant) -> None:
    """Every write commits, then answers 503: the report says it may be stored, and the
    screen lists again, so the change still staged now reads as a change to a stored
    secret, not as a new one."""
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await stage_new(pilot, "LANDED", NEW_VALUE)
        tenant.server.faults.fail_after_commit_rate = 1.0
        await pilot.press("ctrl+s")
        push = await push_staged(pilot)
        tenant.server.faults.fail_after_commit_rate = 0.0
        assert push.report is not None and len(push.report.failed) == 1
        assert "may have stored it" in (push.report.failed[0].note or "")
        assert stored(tenant) == {("LANDED", "user"): NEW_VALUE}, "written once"
        await close_push(pilot)
        await wait_until(pilot, lambda: "LANDED" in {s.name for s in screen.secrets}, "listed")
        row = next(line for line in screen_text(app).splitlines() if "LANDED" in line)
        assert "● changed" in row, row


async def test_retry_failed_on_the_result_settles_the_staged_set_too(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await stage_new(pilot, "FLAKY", NEW_VALUE)
        tenant.server.faults.fail_rate = 1.0
        await pilot.press("ctrl+s")
        push = await push_staged(pilot)
        tenant.server.faults.fail_rate = 0.0
        first = push.report
        await pilot.press("r")
        await wait_until(pilot, lambda: push.report is not first and not push.running, "retry")
        assert not app.staged
        assert stored(tenant) == {("FLAKY", "user"): NEW_VALUE}


async def test_ctrl_s_in_the_dialog_with_nothing_staged_goes_straight_to_the_review(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await open_secret_dialog(pilot, "n")
        await pilot.press(*"ONE_OFF", "tab", *NEW_VALUE, "ctrl+s")
        review = await staged_review(pilot)
        assert [row[:5] for row in review_rows(review)] == [
            ["[x]", "ONE_OFF", "user", mask_on_screen(NEW_VALUE), "create"]
        ]
        await pilot.press("escape")  # back: the change stays staged
        await wait_until(pilot, lambda: isinstance(app.screen, SecretsScreen), "back")
        assert [c.name for c in app.staged] == ["ONE_OFF"] and stored(tenant) == {}


async def test_a_conflict_appearing_before_the_review_is_shown_and_resolvable(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await stage_new(pilot, "SHARED", NEW_VALUE)
        seed(tenant, [("SHARED", "org-value", "org")])  # someone created it meanwhile
        await pilot.press("r")
        await wait_until(pilot, lambda: len(screen.secrets) == 1, "listed again")
        await pilot.press("ctrl+s")
        review = await staged_review(pilot)
        assert review_rows(review)[0][4] == "conflict → skip"
        assert not review.items()
        await pilot.press("c")  # update the org one instead
        await wait_until(pilot, lambda: review_rows(review)[0][4] == "conflict → update (org)", "c")
        push = await push_and_wait(pilot, "y")
        assert push.report is not None and push.report.summary() == "1 updated"
        assert stored(tenant) == {("SHARED", "org"): NEW_VALUE}
        assert not app.staged


async def test_quit_with_staged_changes_asks_with_the_count_and_what_is_lost(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await stage_new(pilot, "ONE", "value-one")
        await stage_new(pilot, "TWO", "value-two")
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question.startswith("2 staged (2 new) not pushed: ONE, TWO. Quitting discards")
        assert "value-one" not in question
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, SecretsScreen), "stayed")
        assert len(app.staged) == 2
        await pilot.press("q", "y")
        await wait_until(pilot, lambda: app.return_code is not None, "quit")
    assert app.return_code == 0


async def test_sign_out_and_switching_account_with_staged_changes_ask_first(
    tenant: Tenant,
) -> None:
    app = app_for(tenant, local=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await stage_new(pilot, "ONE", "value-one")
        account = await open_mode(pilot, "4", AccountScreen)
        # Signing in with another key: asked first, and "keep" changes nothing.
        account.query_one("#account-key", Input).value = tenant.api_key
        account.query_one("#account-key", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "switch question")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "1 staged (1 new) not pushed: ONE. Signing in with this key discards" in question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is account, "kept")
        assert len(app.staged) == 1 and app.signed_in
        await pilot.press("escape", "o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "sign-out question")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert question.startswith("1 staged (1 new) not pushed: ONE. Signing out discards it")
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.signed_in, "signed out")
        assert not app.staged, "signing out drops what was staged for that account"


async def test_d_says_there_is_nothing_to_stage_and_does_nothing_else(tenant: Tenant) -> None:
    seed(tenant, [("KEEP_ME", "value", "user")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("d")
        await wait_until(
            pilot, lambda: any("Nothing to stage" in n for n in notifications(app)), "told"
        )
        assert not app.staged and staged_bar(screen) == ""
        assert writes_sent(tenant) == [] and not isinstance(app.screen, PushScreen)


async def test_the_browser_login_button_with_staged_changes_asks_first(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await stage_new(pilot, "ONE", "value-one")
        account = await open_mode(pilot, "4", AccountScreen)
        account.query_one("#device-start", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "1 staged (1 new) not pushed: ONE. Signing in with the browser discards" in question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is account, "kept")
        assert not account.query_one(DeviceLoginPanel).waiting and len(app.staged) == 1

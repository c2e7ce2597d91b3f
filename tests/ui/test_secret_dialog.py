"""The New / update secret dialog in a real user's hands: bursts, pastes, type-ahead, names
the server refuses, a second secret beside the other scope's, and a layout that fits."""

from __future__ import annotations

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Static

from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.dialogs.secret import SecretDialog
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    close_push,
    focused,
    new_secret_dialog,
    push_staged,
    screen_text,
    seed,
    stored,
    visible_names,
    wait_until,
)

SECRET = "hunter2-very-secret"


def burst(app: AmikaApp, text: str) -> None:
    """Queue ``text`` as key presses all at once, as the terminal delivers a password
    manager's auto-type or a paste without bracketed-paste mode: one read, many keys, none
    of them waiting for the one before to be handled."""
    names = {"\t": "tab", "\r": "enter"}
    for character in text:
        app.post_message(
            events.Key(names.get(character) or _character_to_key(character), character)
        )


def text_of(dialog: SecretDialog, selector: str) -> str:
    return str(dialog.query_one(selector, Static).render())


async def test_a_name_tab_value_burst_lands_in_the_two_fields_and_stays_masked(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        burst(app, f"MY_TOKEN\t{SECRET}")
        await wait_until(pilot, lambda: dialog.value_input.value == SECRET, "the value typed")
        assert dialog.name_value == "MY_TOKEN"
        assert "Will create MY_TOKEN in user scope" in text_of(dialog, "#secret-plan")
        assert SECRET not in screen_text(app) and "hunter2" not in screen_text(app)
        await pilot.press("enter")  # stages it
        await wait_until(pilot, lambda: "MY_TOKEN" in visible_names(app), "staged")
        assert stored(tenant) == {}
        await pilot.press("ctrl+s")
        await push_staged(pilot)
        assert stored(tenant) == {("MY_TOKEN", "user"): SECRET}


@pytest.mark.parametrize(
    ("keys", "name", "value"),
    [
        ("TYPED_AHEAD\rxyz", "TYPED_AHEAD", "xyz"),  # typing on before the focus has moved
        ("FROM_DOTENV=line-value", "FROM_DOTENV", "line-value"),  # = moves on too
    ],
)
async def test_keys_typed_right_after_enter_or_equals_go_to_the_value(
    tenant: Tenant, keys: str, name: str, value: str
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        burst(app, keys)
        await wait_until(pilot, lambda: dialog.value_input.value == value, "the value typed")
        assert dialog.name_value == name


async def test_a_pasted_name_and_value_fill_both_fields(tenant: Tenant) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        app.post_message(events.Paste(f"MY_TOKEN\t{SECRET}\n"))
        await wait_until(pilot, lambda: dialog.value_input.value == SECRET, "the pasted value")
        assert dialog.name_value == "MY_TOKEN"
        await focused(pilot, "#value-masked")
        assert SECRET not in screen_text(app)
        # NAME=VALUE, the way a .env line is copied, into the name field again.
        dialog.query_one("#secret-name", Input).focus()
        await focused(pilot, "#secret-name")
        await pilot.press("ctrl+u")
        app.post_message(events.Paste("OTHER_TOKEN=s3cr3t-from-env"))
        await wait_until(pilot, lambda: dialog.name_value == "OTHER_TOKEN", "the pasted name")
        assert dialog.value_input.value == "s3cr3t-from-env"
        assert "s3cr3t" not in screen_text(app)


async def test_a_value_pasted_into_the_name_field_is_refused_and_never_shown(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        app.post_message(events.Paste("sk-ant-api03-FAKEFAKEFAKE"))
        await wait_until(pilot, lambda: dialog.query_one("#name-problem").display, "the hint")
        hint = text_of(dialog, "#name-problem")
        assert hint.startswith("Nothing pasted: '-' is not allowed in a name")
        assert "paste it in Value" in hint
        assert dialog.name_value == "" and "FAKE" not in screen_text(app)


async def test_the_name_field_refuses_what_the_server_would_refuse_and_says_why(
    tenant: Tenant,
) -> None:
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        await pilot.press(*"MY", "minus", "space", *"KEY")
        await pilot.pause()
        assert dialog.name_value == "MYKEY", "no silent append of '-' or ' '"
        assert "A space is not allowed in a name" in text_of(dialog, "#name-problem"), "it says so"
        await pilot.press("minus")
        await pilot.pause()
        assert "'-' is not allowed in a name (letters, digits and _ only); not typed." in text_of(
            dialog, "#name-problem"
        )
        await pilot.press("ctrl+u", "9")
        await pilot.pause()
        assert dialog.name_value == "" and "cannot start with a digit" in text_of(
            dialog, "#name-problem"
        )
        name = dialog.query_one("#secret-name", Input)
        name.value = "N" * 256
        await pilot.press("end", "N")
        await pilot.pause()
        assert len(dialog.name_value) == 256
        assert "at most 256 characters" in text_of(dialog, "#name-problem")


async def test_a_name_of_the_other_scope_can_be_created_here_too_after_asking(
    tenant: Tenant,
) -> None:
    seed(tenant, [("SHARED_TOKEN", "org-value", "org")])
    app = app_for(tenant)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await new_secret_dialog(pilot)
        await pilot.press(*"SHARED_TOKEN", "tab", *"mine")
        await pilot.pause()
        assert "or stage to create a user-scoped SHARED_TOKEN too (two will exist)" in text_of(
            dialog, "#secret-plan"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        question = app.screen
        assert isinstance(question, ConfirmModal)
        assert "Two secrets named SHARED_TOKEN will then exist (user and org)" in question.question
        await pilot.press("y")
        review = await push_staged(pilot)
        assert review.report is not None and review.report.summary() == "1 created"
        await close_push(pilot)
        assert stored(tenant) == {
            ("SHARED_TOKEN", "org"): "org-value",
            ("SHARED_TOKEN", "user"): "mine",
        }


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_fields_plan_status_and_buttons_fit_without_scrolling(
    tenant: Tenant, size: tuple[int, int]
) -> None:
    seed(tenant, [("SHARED_TOKEN", "org-value", "org")])
    app = app_for(tenant)
    width, height = size
    async with app.run_test(size=size) as pilot:
        dialog = await new_secret_dialog(pilot)
        await pilot.press(*"SHARED_TOKEN", "tab", *"mine")  # the longest plan: a conflict
        await wait_until(pilot, lambda: "two will exist" in text_of(dialog, "#secret-plan"), "plan")
        await pilot.pause()
        for selector in (
            "#secret-name",
            "#value-masked",
            "#value-reveal",
            "#secret-scope",
            "#secret-plan",
            "#secret-save",
            "#secret-review",
            "#secret-cancel",
        ):
            region = dialog.query_one(selector).region
            assert region.height > 0, selector
            assert region.bottom <= height and region.right <= width, selector
        assert dialog.query_one(".dialog").max_scroll_y == 0, "nothing scrolled away"

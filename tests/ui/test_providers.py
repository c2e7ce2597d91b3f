"""Provider credentials screen: list, delete, the add dialog's checks (Pilot, real server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RadioButton, Static

from amika_tui.api import AmikaClient, ConflictError, CredentialType, Scope
from amika_tui.sync.executor import Outcome
from amika_tui.sync.plan import plan_provider
from amika_tui.ui.demo_home import write_claude_oauth
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
from amika_tui.ui.dialogs.confirm import ConfirmModal
from amika_tui.ui.push import PushReviewScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from amika_tui.ui.widgets.revealable import REMASK_SECONDS, RevealableValue
from tests.conftest import Tenant
from tests.ui.support import (
    FakeTimers,
    app_for,
    click,
    focused,
    open_add_dialog,
    open_providers,
    provider_rows,
    push_after_review,
    wait_until,
)


async def seed(tenant: Tenant, provider: str, name: str, value: str, **kw: object) -> str:
    """Create a provider credential through the real client; returns its id."""
    async with AmikaClient(tenant.url, access_token=tenant.api_key) as client:
        created = await client.create_provider_secret(
            provider,
            name,
            value,
            kw.get("type", CredentialType.API_KEY),  # type: ignore[arg-type]
            kw.get("scope", Scope.USER),  # type: ignore[arg-type]
        )
    return created.id


def table_rows(screen: ProvidersScreen, key: str) -> list[list[str]]:
    """The visible rows of provider ``key``'s table."""
    table = screen.pane(key).query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


class TestList:
    async def test_lists_both_providers_with_name_type_scope_id(self, tenant: Tenant) -> None:
        oauth_id = await seed(
            tenant, "claude", "Claude OAuth", '{"claudeAiOauth": {}}', type=CredentialType.OAUTH
        )
        key_id = await seed(tenant, "codex", "Codex API Key", "sk-proj-FAKE-0000000000")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_providers(pilot)
            await wait_until(pilot, lambda: screen.pane("codex").loaded, "credentials listed")
            assert table_rows(screen, "claude") == [["Claude OAuth", "OAuth", "user", oauth_id]]
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert screen.active_pane.spec.key == "codex"
            assert table_rows(screen, "codex") == [["Codex API Key", "API key", "user", key_id]]
            status = screen.pane("codex").query_one(".provider-status", Static)
            assert "1 Codex credential" in str(status.render())

    async def test_empty_provider_explains_how_to_add(self, tenant: Tenant) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_providers(pilot)
            status = screen.pane("claude").query_one(".provider-status", Static)
            assert "No Claude credentials in Amika yet. Press a to add one" in str(status.render())


class TestDelete:
    async def test_confirm_names_the_credential_and_deletes_it(self, tenant: Tenant) -> None:
        await seed(tenant, "claude", "Work key", "sk-ant-api03-FAKE-000000000000")
        keep = await seed(tenant, "claude", "Other key", "sk-ant-api03-FAKE-111111111111")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_providers(pilot)
            # Sorted by name: "Other key" first, then "Work key".
            await pilot.press("down", "d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "confirmation")
            question = str(app.screen.query_one("#confirm-question", Static).render())
            assert "“Work key” (API key, user scope" in question
            await pilot.press("y")
            await wait_until(
                pilot, lambda: len(table_rows(screen, "claude")) == 1, "list refreshed"
            )
            assert table_rows(screen, "claude")[0][3] == keep
            assert [row["name"] for row in provider_rows(tenant, "claude")] == ["Other key"]

    async def test_cancel_keeps_the_credential(self, tenant: Tenant) -> None:
        await seed(tenant, "claude", "Work key", "sk-ant-api03-FAKE-000000000000")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_providers(pilot)
            await pilot.press("delete")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "confirmation")
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is screen, "back on the list")
            await app.workers.wait_for_complete()
            assert len(provider_rows(tenant, "claude")) == 1
            assert not [e for e in tenant.server.request_log() if e.method == "DELETE"]


class TestAddDialogChecks:
    async def test_nothing_found_puts_the_keys_on_the_source_choice(self, tenant: Tenant) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(
                pilot,
                lambda: "No Claude" in str(dialog.query_one("#discover-state", Static).render()),
                "nothing found",
            )
            await focused(pilot, "#add-source")
            await pilot.press("right", "right", "enter")
            await pilot.pause()
            assert dialog.source == "paste", "arrows and enter picked 'Paste a value'"

    async def test_invalid_oauth_json_is_refused_before_sending(
        self, tenant: Tenant, tmp_path: Path
    ) -> None:
        bad = tmp_path / "creds.json"
        bad.write_text('{"claudeAiOauth": {"accessToken": "sk-ant-oat01-FAKE"', encoding="utf-8")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            dialog.query_one("#source-file", RadioButton).value = True
            dialog.query_one("#add-file-path", Input).value = str(bad)
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            problem = str(dialog.query_one("#add-problem", Static).render())
            assert "Not valid JSON (line 1, column" in problem
            assert "FAKE" not in problem
            assert app.screen is dialog
            assert not [e for e in tenant.server.request_log() if e.method == "POST"]

    async def test_existing_name_offers_replace_stating_the_delete(self, tenant: Tenant) -> None:
        await seed(tenant, "codex", "Codex API Key", "sk-proj-FAKE-OLD-000000000")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "codex")
            dialog.query_one("#source-paste", RadioButton).value = True
            dialog.query_one("#type-api-key", RadioButton).value = True
            await pilot.pause()
            dialog.query_one("#value-masked", Input).value = "sk-proj-FAKE-NEW-111111111"
            assert dialog.query_one("#add-name", Input).value == "Codex API Key"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            problem = str(dialog.query_one("#add-problem", Static).render())
            assert "“Codex API Key” (API key, user scope" in problem
            assert "deletes the old credential first" in problem
            assert app.screen is dialog


class TestAdd:
    async def test_from_discovery_pushes_the_whole_oauth_document(
        self, tenant: Tenant, _isolated_environment: Path
    ) -> None:
        creds = write_claude_oauth(_isolated_environment)
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: bool(dialog.discovered), "discovery")
            value = dialog.query_one("#discover-value", RevealableValue)
            assert "FAKE" not in str(value.render())  # masked
            assert dialog.credential_type is CredentialType.OAUTH
            assert dialog.query_one("#add-name", Input).value == "Claude OAuth"
            await pilot.press("ctrl+s")
            push = await push_after_review(pilot)
            assert push.report is not None and push.report.ok
            await pilot.press("enter")
            screen = app.screen
            assert isinstance(screen, ProvidersScreen)
            await wait_until(pilot, lambda: len(table_rows(screen, "claude")) == 1, "refresh")
            assert table_rows(screen, "claude")[0][:3] == ["Claude OAuth", "OAuth", "user"]
        [row] = provider_rows(tenant, "claude")
        assert row["type"] == "oauth"
        assert json.loads(row["value"]) == json.loads(creds.read_text())

    async def test_from_a_file_as_api_key_in_org_scope(
        self, tenant: Tenant, tmp_path: Path
    ) -> None:
        key_file = tmp_path / "codex-key.txt"
        key_file.write_text("sk-proj-FAKE-from-a-file-0000\n", encoding="utf-8")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "codex")
            dialog.query_one("#source-file", RadioButton).value = True
            dialog.query_one("#add-file-path", Input).value = str(key_file)
            dialog.query_one("#type-api-key", RadioButton).value = True
            dialog.query_one("#scope-org", RadioButton).value = True
            await pilot.pause()
            assert dialog.query_one("#add-name", Input).value == "Codex API Key"
            await pilot.press("ctrl+s")
            push = await push_after_review(pilot)
            assert push.report is not None and push.report.ok
        [row] = provider_rows(tenant, "codex")
        assert (row["name"], row["type"], row["scope"]) == ("Codex API Key", "api_key", "org")
        assert row["value"] == "sk-proj-FAKE-from-a-file-0000"

    @pytest.mark.parametrize("scope", [Scope.USER, Scope.ORG])
    async def test_replace_deletes_the_old_one_first(self, tenant: Tenant, scope: Scope) -> None:
        # In org scope any org credential conflicts, whatever its name.
        old_name = "Codex API Key" if scope is Scope.USER else "Team key"
        old_id = await seed(tenant, "codex", old_name, "sk-proj-FAKE-OLD-0000000", scope=scope)
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "codex")
            dialog.query_one("#source-paste", RadioButton).value = True
            dialog.query_one("#type-api-key", RadioButton).value = True
            dialog.query_one(f"#scope-{scope.value}", RadioButton).value = True
            await pilot.pause()
            dialog.query_one("#value-masked", Input).value = "sk-proj-FAKE-NEW-1111111"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            problem = str(dialog.query_one("#add-problem", Static).render())
            assert f"“{old_name}”" in problem and "deletes the old credential first" in problem
            await pilot.press("ctrl+s")
            push = await push_after_review(pilot)
            assert push.report is not None and [r.outcome for r in push.report.results] == [
                Outcome.REPLACED
            ]
        [row] = provider_rows(tenant, "codex")
        assert (row["name"], row["scope"]) == ("Codex API Key", scope.value)
        assert row["value"] == "sk-proj-FAKE-NEW-1111111" and row["id"] != old_id

    async def test_failed_create_after_delete_keeps_the_value_and_retry_works(
        self, tenant: Tenant
    ) -> None:
        await seed(tenant, "claude", "Claude API Key", "sk-ant-api03-FAKE-OLD-00000")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            dialog.query_one("#source-paste", RadioButton).value = True
            dialog.query_one("#type-api-key", RadioButton).value = True
            await pilot.pause()
            dialog.query_one("#value-masked", Input).value = "sk-ant-api03-FAKE-NEW-11111"
            await pilot.pause()
            await pilot.press("ctrl+s")  # shows the replace warning
            await pilot.pause()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, PushReviewScreen), "review")
            # One request per ~17 minutes: the DELETE gets through, the POST is refused.
            tenant.server.reset_rate_limits()
            tenant.server.faults.rate_limit = 0.001
            push = await push_after_review(pilot)
            assert push.report is not None
            [failed] = push.report.failed
            assert failed.note and "already" in failed.note.lower()
            assert provider_rows(tenant, "claude") == []  # the old one is gone
            tenant.server.faults.reset()
            await pilot.press("r")
            await wait_until(pilot, lambda: push.report is not None and push.report.ok, "retry")
        [row] = provider_rows(tenant, "claude")
        assert row["value"] == "sk-ant-api03-FAKE-NEW-11111"


def problem_text(dialog: AddCredentialDialog) -> str:
    """What the dialog says under the form (a problem, or the replace warning)."""
    return str(dialog.query_one("#add-problem", Static).render())


async def choose_source(pilot: Pilot[Any], dialog: AddCredentialDialog, source: str) -> None:
    """Pick a source radio button with the mouse, as a user would."""
    await click(pilot, f"#source-{source}")
    await wait_until(pilot, lambda: dialog.source == source, f"source {source}")


class TestTypeFollowsTheContent:
    async def test_a_file_holding_oauth_is_pushed_as_oauth_although_a_key_was_picked(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        # The steps: an API key from ~/.claude.json is picked first, then
        # "From a file" with a Claude OAuth document.
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: bool(dialog.discovered), "discovery")
            assert dialog.credential_type is CredentialType.API_KEY
            await choose_source(pilot, dialog, "file")
            await focused(pilot, "#add-file-path")
            path = demo_home / ".claude" / ".credentials.json"
            dialog.query_one("#add-file-path", Input).value = str(path)
            name = dialog.query_one("#add-name", Input)
            await wait_until(pilot, lambda: name.value == "Claude OAuth", "the name follows")
            assert dialog.credential_type is CredentialType.OAUTH
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, PushReviewScreen), "review")
            notes = [str(note.render()) for note in app.screen.query(".push-note")]
            assert any("Claude OAuth will be created" in note for note in notes), notes
            push = await push_after_review(pilot)
            assert push.report is not None and push.report.ok
        [row] = provider_rows(tenant, "claude")
        assert (row["name"], row["type"]) == ("Claude OAuth", "oauth")
        assert json.loads(row["value"]) == json.loads(path.read_text())

    async def test_a_pasted_bare_key_turns_the_type_and_name_to_api_key(
        self, tenant: Tenant, _isolated_environment: Path
    ) -> None:
        write_claude_oauth(_isolated_environment)  # an OAuth pick first
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: bool(dialog.discovered), "discovery")
            assert dialog.credential_type is CredentialType.OAUTH
            await choose_source(pilot, dialog, "paste")
            await focused(pilot, "#value-masked")
            await pilot.press(*"sk-ant-api03-FAKE-pasted-000")
            name = dialog.query_one("#add-name", Input)
            await wait_until(pilot, lambda: name.value == "Claude API Key", "the name follows")
            assert dialog.credential_type is CredentialType.API_KEY
            await pilot.press("ctrl+s")
            push = await push_after_review(pilot)
            assert push.report is not None and push.report.ok
        [row] = provider_rows(tenant, "claude")
        assert (row["type"], row["value"]) == ("api_key", "sk-ant-api03-FAKE-pasted-000")

    async def test_a_type_that_contradicts_the_content_is_refused_with_the_reason(
        self, tenant: Tenant, tmp_path: Path
    ) -> None:
        creds = tmp_path / "auth.json"
        creds.write_text(json.dumps({"tokens": {"access_token": "eyJ-FAKE"}}), encoding="utf-8")
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "codex")
            await choose_source(pilot, dialog, "file")
            dialog.query_one("#add-file-path", Input).value = str(creds)
            await wait_until(
                pilot, lambda: dialog.credential_type is CredentialType.OAUTH, "type follows"
            )
            await click(pilot, "#type-api-key")
            await wait_until(
                pilot, lambda: "Codex OAuth document" in problem_text(dialog), "the reason"
            )
            assert "tokens.access_token" in problem_text(dialog)
            assert dialog.query_one("#add-name", Input).value == "Codex API Key"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is dialog and "Codex OAuth document" in problem_text(dialog)
        assert not [e for e in tenant.server.request_log() if e.method == "POST"]


class TestAddDialogLayout:
    async def test_reveal_label_turns_into_hide_and_back_when_masked_again(
        self, tenant: Tenant, _isolated_environment: Path
    ) -> None:
        write_claude_oauth(_isolated_environment)
        timers = FakeTimers()
        app = app_for(tenant, timer=timers)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: bool(dialog.discovered), "discovery")
            button = dialog.query_one("#discover-reveal", Button)
            assert str(button.label) == "Reveal (ctrl+r)"
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: str(button.label) == "Hide (ctrl+r)", "Hide")
            timers.advance(REMASK_SECONDS - 0.1)
            await pilot.pause()
            assert str(button.label) == "Hide (ctrl+r)", "still shown before the delay ends"
            timers.advance(0.1)
            await wait_until(pilot, lambda: str(button.label) == "Reveal (ctrl+r)", "re-masked")
            assert not dialog.query_one("#discover-value", RevealableValue).revealed

    async def test_at_80x24_name_buttons_and_replace_warning_show_without_scrolling(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        await seed(tenant, "claude", "Claude OAuth", '{"claudeAiOauth": {}}', type="oauth")
        app = app_for(tenant)
        async with app.run_test(size=(80, 24)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: len(dialog.discovered) == 3, "discovery")
            await pilot.press("down")  # the OAuth document: same name as the stored one
            await wait_until(pilot, lambda: dialog.credential_type is CredentialType.OAUTH, "OAuth")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Press Replace" in problem_text(dialog), "warning")
            submit = dialog.query_one("#add-submit", Button)
            assert str(submit.label) == "Replace (ctrl+s)"
            await pilot.pause()
            for selector in ("#add-name", "#add-problem", "#add-submit", "#add-cancel"):
                widget = dialog.query_one(selector)
                region = widget.region
                assert region.height > 0 and region.bottom <= 24, selector
                assert dialog.get_widget_at(region.x, region.y)[0] is widget, selector
            # The whole label shows (a button does not grow when its label does).
            assert submit.content_region.width >= len("Replace (ctrl+s)")
            assert dialog.query_one(".dialog").scroll_y == 0


class TestDiscard:
    async def test_escape_with_a_pasted_value_asks_and_keeps_it(self, tenant: Tenant) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = await open_add_dialog(pilot, "claude")
            await choose_source(pilot, dialog, "paste")
            await focused(pilot, "#value-masked")
            await pilot.press(*"sk-ant-api03-FAKE-keep-me")
            assert app.has_unpushed_edits, "quitting asks too"
            await pilot.press("escape", "escape")  # leave the field, then close
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is dialog, "kept editing")
            assert dialog.pasted == "sk-ant-api03-FAKE-keep-me"
            await click(pilot, "#add-cancel")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked again")
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, ProvidersScreen), "closed")
            assert not app.has_unpushed_edits

    async def test_escape_without_a_pasted_value_closes_at_once(self, tenant: Tenant) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_add_dialog(pilot, "claude")
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ProvidersScreen), "closed")


async def test_messages_say_an_org_scoped(tenant: Tenant) -> None:
    plan = plan_provider("claude", "Team key", "sk-ant-api03-FAKE", "api_key", Scope.ORG, [])
    assert plan.message == "Team key will be created as an org-scoped credential."
    user = plan_provider("claude", "Mine", "sk-ant-api03-FAKE", "api_key", Scope.USER, [])
    assert user.message == "Mine will be created as a user-scoped credential."
    async with AmikaClient(tenant.url, access_token=tenant.api_key) as client:
        await client.create_secret("SHARED", "value-1", Scope.ORG)
        with pytest.raises(ConflictError) as refused:
            await client.create_secret("SHARED", "value-2", Scope.ORG)
    assert "an org-scoped secret named 'SHARED' already exists" in refused.value.user_message()

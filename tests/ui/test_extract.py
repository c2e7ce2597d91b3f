"""Extract pane: every source status, shadowed candidates, OAuth toggle, reveal, copy, push."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from amika_tui.ui.app import AmikaApp
from amika_tui.ui.demo_home import CLAUDE_OAUTH_DOCUMENT, write_claude_oauth
from amika_tui.ui.dialogs.scope_choice import ScopeChoiceModal
from amika_tui.ui.push import PushScreen
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.widgets.revealable import REMASK_SECONDS
from tests.conftest import Tenant
from tests.ui.support import (
    FakeTimers,
    app_for,
    open_extract,
    provider_rows,
    push_after_review,
    wait_until,
)


def rows(screen: ExtractScreen, table_id: str) -> list[list[str]]:
    """Plain text of every row of one of the pane's tables."""
    table = screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def status_of(screen: ExtractScreen, file_suffix: str) -> str:
    """The status text of the source row whose file ends with ``file_suffix``."""
    for row in rows(screen, "#extract-sources"):
        if row[2].split(" → ")[0].endswith(file_suffix):
            return row[3]
    raise AssertionError(f"no source row for {file_suffix}")


def detail(screen: ExtractScreen) -> str:
    """The detail line under the findings (about the highlighted row)."""
    return str(screen.query_one("#extract-detail", Static).render())


async def rescan_done(pilot: Pilot[Any], screen: ExtractScreen, include_oauth: bool) -> None:
    """Wait for a scan with the given OAuth setting."""
    await wait_until(
        pilot,
        lambda: screen.report is not None and screen.report.include_oauth is include_oauth,
        "the rescan",
    )


async def select(pilot: Pilot[Any], screen: ExtractScreen, provider: str) -> None:
    """Move the cursor to ``provider``'s finding and tick it with space."""
    table = screen.query_one("#extract-findings", DataTable)
    table.move_cursor(row=table.get_row_index(screen.winner_key(provider)))
    await pilot.press("space")
    assert provider in screen.selected


class TestReport:
    async def test_every_status_and_the_shadowed_candidates_are_shown(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            assert status_of(screen, "/.claude.json.api") == "missing"
            assert status_of(screen, "/.claude.json") == "found"
            assert status_of(screen, "keychain.json") == "nothing"
            assert status_of(screen, "/.claude-oauth-credentials.json") == (
                "expired at 2025-01-01 00:00 UTC"
            )
            assert status_of(screen, "opencode/auth.json").startswith("error: invalid JSON")
            findings = rows(screen, "#extract-findings")
            providers = [row[1] for row in findings]
            assert providers == ["anthropic", " ↳ shadowed", " ↳ shadowed", "openai", "groq"]
            anthropic = findings[0]
            assert anthropic[2] == "ANTHROPIC_API_KEY, CLAUDE_API_KEY"
            assert anthropic[3] == "sk-a" + "*" * 8  # one width: the length does not show
            assert anthropic[4:] == ["api_key", "claude_api", "~/.claude.json"]
            assert findings[1][5:] == ["claude_oauth", "~/.claude/.credentials.json"]
            assert findings[2][5:] == ["amp", "~/.amp/config.json"]
            assert detail(screen).splitlines()[1] == "Value: sk-a" + "*" * 8
            await pilot.press("down")
            assert "Shadowed: claude_api has higher priority (500 > 400)" in detail(screen)
            # Nothing on screen shows a value in clear.
            assert "FAKE" not in " ".join(" ".join(row) for row in findings) + detail(screen)

    async def test_a_symlinked_dotfile_says_where_it_lives_and_broken_sources_do_not_stop(
        self, tenant: Tenant, demo_home: Path, tmp_path: Path
    ) -> None:
        dotfiles = tmp_path / "dotfiles"
        dotfiles.mkdir()
        (demo_home / ".claude.json").rename(dotfiles / "claude.json")
        (demo_home / ".claude.json").symlink_to(dotfiles / "claude.json")
        (demo_home / ".codex/auth.json").unlink()
        os.mkfifo(demo_home / ".codex/auth.json")  # would block a plain open forever
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            files = [row[2] for row in rows(screen, "#extract-sources")]
            assert f"~/.claude.json → {dotfiles}/claude.json" in files
            assert status_of(screen, "/.claude.json") == "found"
            assert status_of(screen, "/.codex/auth.json") == (
                "refused: a named pipe (FIFO): not read, it could block"
            )
            assert status_of(screen, "opencode/auth.json").startswith("error: invalid JSON")
            assert f"~/.claude.json (symlink to {dotfiles}/claude.json)" in detail(screen)
            providers = [row[1] for row in rows(screen, "#extract-findings")]
            assert providers[0] == "anthropic" and "groq" in providers

    async def test_oauth_toggle_skips_the_oauth_sources(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            assert status_of(screen, "/.claude/.credentials.json") == "found"
            await pilot.press("o")
            await rescan_done(pilot, screen, include_oauth=False)
            assert status_of(screen, "/.claude/.credentials.json") == "skipped (OAuth is off)"
            providers = [row[1] for row in rows(screen, "#extract-findings")]
            assert providers == ["anthropic", " ↳ shadowed", "openai", "groq"]
            state = str(screen.query_one("#extract-state", Static).render())
            assert "OAuth sources skipped" in state
            await pilot.press("o")
            await rescan_done(pilot, screen, include_oauth=True)

    async def test_reveal_is_per_value_and_v_masks_again(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)  # the real 30 s re-mask delay: nothing masks it behind our back
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            await pilot.press("v")
            assert screen.is_revealed(screen.winner_key("anthropic"))
            assert not screen.is_revealed(screen.winner_key("openai"))
            assert "Value: sk-ant-api03-FAKE-demo-key-from-claude-json" in detail(screen)
            assert rows(screen, "#extract-findings")[0][3] == "revealed ↓"
            assert rows(screen, "#extract-findings")[3][3].startswith("sk-p*")
            await pilot.press("v")
            assert not screen.is_revealed(screen.winner_key("anthropic"))
            assert rows(screen, "#extract-findings")[0][3].startswith("sk-a****")
            assert "FAKE" not in detail(screen)

    async def test_a_revealed_value_is_masked_again_after_the_delay(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        timers = FakeTimers()
        app = app_for(tenant, timer=timers)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            await pilot.press("v")
            assert screen.is_revealed(screen.winner_key("anthropic"))
            timers.advance(REMASK_SECONDS)
            await wait_until(
                pilot, lambda: not screen.is_revealed(screen.winner_key("anthropic")), "re-mask"
            )
            assert rows(screen, "#extract-findings")[0][3].startswith("sk-a****")
            assert "FAKE" not in detail(screen)


async def confirm_push(pilot: Pilot[Any], app: AmikaApp, scope_key: str) -> PushScreen:
    """Answer the scope question, confirm the review, wait for the result."""
    await wait_until(pilot, lambda: isinstance(app.screen, ScopeChoiceModal), "scope question")
    await pilot.press(scope_key)
    return await push_after_review(pilot)


class TestPush:
    async def test_as_generic_secrets_with_every_env_name(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            await select(pilot, screen, "anthropic")
            await select(pilot, screen, "openai")
            await pilot.press("p")
            push = await confirm_push(pilot, app, "o")
            assert push.report is not None and push.report.ok
        stored = {
            row["name"]: (row["value"], row["scope"])
            for row in tenant.server.stored_secrets()
            if row["kind"] == "secret" and row["org"] == tenant.org
        }
        claude_key = "sk-ant-api03-FAKE-demo-key-from-claude-json"
        openai_key = "sk-proj-FAKE-demo-openai-key-0000"
        assert stored == {
            "ANTHROPIC_API_KEY": (claude_key, "org"),
            "CLAUDE_API_KEY": (claude_key, "org"),
            "OPENAI_API_KEY": (openai_key, "org"),
            "CODEX_API_KEY": (openai_key, "org"),
        }

    async def test_claude_oauth_as_provider_credential_uploads_the_whole_document(
        self, tenant: Tenant, _isolated_environment: Path
    ) -> None:
        write_claude_oauth(_isolated_environment)
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            await select(pilot, screen, "anthropic")
            await pilot.press("P")
            push = await confirm_push(pilot, app, "u")
            assert push.report is not None and push.report.ok
        [row] = provider_rows(tenant, "claude")
        assert (row["name"], row["type"], row["scope"]) == ("Claude OAuth", "oauth", "user")
        assert json.loads(row["value"]) == CLAUDE_OAUTH_DOCUMENT

    async def test_api_keys_as_provider_credentials_for_claude_and_codex(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_extract(pilot)
            await pilot.press("a")  # everything, groq included: it is not a provider secret
            assert screen.selected == {"anthropic", "openai", "groq"}
            await pilot.press("P")
            push = await confirm_push(pilot, app, "u")
            assert push.report is not None and push.report.ok
        [claude] = provider_rows(tenant, "claude")
        [codex] = provider_rows(tenant, "codex")
        assert (claude["name"], claude["type"]) == ("Claude API Key", "api_key")
        assert claude["value"] == "sk-ant-api03-FAKE-demo-key-from-claude-json"
        assert (codex["name"], codex["value"]) == (
            "Codex API Key",
            "sk-proj-FAKE-demo-openai-key-0000",
        )

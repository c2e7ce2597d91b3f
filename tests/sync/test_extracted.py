"""Plans for pushing extract findings, built from a real scan of a fake home."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amika_tui.api import CredentialType, ProviderCredential, Scope
from amika_tui.discovery import scan
from amika_tui.sync.extracted import (
    credential_choices,
    plan_extracted_credentials,
    plan_extracted_secrets,
)
from amika_tui.sync.items import PushAction
from tests.discovery.conftest import Home

NOW = datetime(2030, 1, 1, tzinfo=UTC)
DOC = {"claudeAiOauth": {"accessToken": "sk-FAKE-at", "refreshToken": "sk-FAKE-rt"}}


@pytest.fixture
def home(tmp_path: Path) -> Home:
    """An empty fake home (scanned with an empty environment: no XDG overrides)."""
    return Home(tmp_path)


def test_oauth_winner_uploads_its_own_files_whole_document(home: Home) -> None:
    text = "\n" + json.dumps(DOC, indent=2) + "\n"
    home.write(".claude/.credentials.json", text)
    # Codex's token only exists as OpenCode's bare access token: nothing to upload.
    home.write(".local/share/opencode/auth.json", {"openai": {"type": "oauth", "access": "tok"}})
    home.write(".cache/amika/env-cache.json", {"GROQ_API_KEY": "sk-FAKE-groq"})
    report = scan(home.path, now=NOW, env={})
    claude, codex = credential_choices(report.providers)
    assert (claude.provider.name, claude.type, claude.value) == (
        "claude",
        CredentialType.OAUTH,
        text.strip(),
    )
    assert (codex.provider.name, codex.type, codex.value) == ("codex", None, None)
    assert codex.problem == (
        "opencode only holds an access token, not the whole Codex OAuth document Amika needs"
    )


def test_api_keys_go_bare_and_conflicts_become_replaces(home: Home) -> None:
    home.write(".claude.json", {"primaryApiKey": "sk-ant-FAKE-key"})
    home.write(".codex/auth.json", {"tokens": {"access_token": "at"}, "last_refresh": "x"})
    report = scan(home.path, now=NOW, env={})
    choices = credential_choices(report.providers)
    existing = {"claude": [ProviderCredential("p1", "Claude API Key", None, Scope.USER)]}
    plan = plan_extracted_credentials(choices, existing, Scope.USER)
    assert [(i.action, i.provider, i.name, i.value) for i in plan.items] == [
        (PushAction.REPLACE, "claude", "Claude API Key", "sk-ant-FAKE-key"),
        (
            PushAction.CREATE,
            "codex",
            "Codex OAuth",
            (home.path / ".codex/auth.json").read_text().strip(),
        ),
    ]
    assert len(plan.notes) == 1 and plan.notes[0].startswith("Replace “Claude API Key”")


def test_generic_secrets_get_every_env_name(home: Home) -> None:
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "sk-FAKE-openai"})
    report = scan(home.path, now=NOW, env={})
    plan = plan_extracted_secrets(report.providers, [], Scope.ORG)
    assert [(i.name, i.value, i.scope) for i in plan.items] == [
        ("OPENAI_API_KEY", "sk-FAKE-openai", Scope.ORG),
        ("CODEX_API_KEY", "sk-FAKE-openai", Scope.ORG),
    ]
    assert plan.notes == ["Plan: 2 to create."]

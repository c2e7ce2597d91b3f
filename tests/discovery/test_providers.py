"""Whole Claude/Codex credentials for the provider-secrets screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from amika_tui.discovery import (
    CLAUDE,
    CODEX,
    PROVIDER_DISCOVERY,
    CredentialKind,
    DiscoveredCredential,
    discover_claude_credentials,
    discover_provider_credentials,
)
from tests.discovery.conftest import Home

OAUTH_DOC = {"claudeAiOauth": {"accessToken": "at", "refreshToken": "rt", "expiresAt": 1}}


def summary(creds: list[DiscoveredCredential]) -> list[tuple[str, str, str, str, str]]:
    return [(c.provider, c.kind.value, c.source_label, c.default_name, c.value) for c in creds]


def test_claude_api_keys_one_per_file_then_oauth_documents(home: Home) -> None:
    home.write(".claude.json.api", {"apiKey": "sk-ant-one", "customApiKey": "sk-ant-two"})
    home.write(".claude.json", {"primaryApiKey": 7, "apiKey": "plain", "customApiKey": "sk-ant-3"})
    home.write(".claude/.credentials.json", "\n  " + json.dumps(OAUTH_DOC) + "\n\n")
    home.write(".claude-oauth-credentials.json", {"claudeAiOauth": {"accessToken": ""}})
    creds = discover_provider_credentials("claude", home.path)
    h = home.path
    assert summary(creds) == [
        ("claude", "api_key", f"{h}/.claude.json.api", "Claude API Key", "sk-ant-one"),
        ("claude", "api_key", f"{h}/.claude.json", "Claude API Key", "sk-ant-3"),
        # The whole document, trimmed, expired or not: the refresh token travels with it.
        (
            "claude",
            "oauth",
            f"{h}/.claude/.credentials.json",
            "Claude OAuth",
            json.dumps(OAUTH_DOC),
        ),
    ]
    assert all(c.kind in (CredentialKind.OAUTH, CredentialKind.API_KEY) for c in creds)
    assert "sk-ant" not in repr(creds) and "refreshToken" not in repr(creds)


def test_broken_files_are_skipped_not_fatal(home: Home, tmp_path: Path) -> None:
    home.write(".claude.json.api", "{broken")
    home.write(".claude.json", ["sk-ant-in-array"])
    home.write(".claude/.credentials.json", {"claudeAiOauth": {"accessToken": 5}})
    home.write(".claude-oauth-credentials.json", {"claudeAiOauth": "flat"})
    assert discover_claude_credentials(home.path, keychain=None) == []


def test_symlinked_dotfiles_are_followed(home: Home, tmp_path: Path) -> None:
    outside = tmp_path / "dotfiles/creds.json"
    outside.parent.mkdir()
    outside.write_text(json.dumps(OAUTH_DOC))
    (home.path / ".claude").mkdir()
    (home.path / ".claude/.credentials.json").symlink_to(outside)
    creds = discover_claude_credentials(home.path, keychain=None)
    assert [(c.kind, c.value) for c in creds] == [(CredentialKind.OAUTH, json.dumps(OAUTH_DOC))]


def test_macos_keychain_item_is_offered_when_valid_json(home: Home) -> None:
    doc = json.dumps(OAUTH_DOC)
    creds = discover_claude_credentials(home.path, keychain=lambda: doc)
    assert summary(creds) == [("claude", "oauth", "macOS Keychain", "Claude OAuth", doc)]
    assert creds[0].source_path is None
    assert discover_claude_credentials(home.path, keychain=lambda: "not json") == []


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"OPENAI_API_KEY": " sk-key "}, [("api_key", "Codex API Key", "sk-key")]),
        ({"tokens": {"access_token": "t"}}, [("oauth", "Codex OAuth", "{whole}")]),
        (
            {"OPENAI_API_KEY": "sk-key", "tokens": {"access_token": "t", "refresh_token": "r"}},
            [("api_key", "Codex API Key", "sk-key"), ("oauth", "Codex OAuth", "{whole}")],
        ),
        ({"OPENAI_API_KEY": 3, "tokens": {"access_token": ""}}, []),
        ({"OPENAI_API_KEY": None, "tokens": "flat"}, []),
    ],
)
def test_codex_api_key_and_whole_auth_json(
    home: Home, doc: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    path = home.write(".codex/auth.json", doc)
    whole = path.read_text().strip()
    creds = discover_provider_credentials("codex", home.path)
    assert [(c.kind.value, c.default_name, c.value) for c in creds] == [
        (t, n, whole if v == "{whole}" else v) for t, n, v in expected
    ]
    assert all(c.source_path == str(path) for c in creds)


def test_provider_descriptions_for_the_shared_screen(home: Home) -> None:
    assert PROVIDER_DISCOVERY == {"claude": CLAUDE, "codex": CODEX}
    assert (CLAUDE.display_name, CLAUDE.short_name, CODEX.display_name) == (
        "Claude Code",
        "Claude",
        "Codex",
    )
    assert CLAUDE.default_name(CredentialKind.API_KEY) == "Claude API Key"
    assert CODEX.default_name(CredentialKind.OAUTH) == "Codex OAuth"
    assert CODEX.searched == (".codex/auth.json",)
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "k"})
    assert [c.value for c in CODEX.discover(str(home.path), None)] == ["k"]
    with pytest.raises(KeyError):
        discover_provider_credentials("gemini", home.path)

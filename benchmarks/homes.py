"""Realistic fake homes for the extract benchmark and tests: what a developer's machine holds.

Every credential is obviously fake (``FAKE`` in it). ``~/.claude.json`` looks like Claude
Code's own: settings, an OAuth account block, a long cached changelog and, per project,
the prompt history that makes real files grow past a megabyte.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = ["claude_json", "write_realistic_home"]

_PROSE = (
    "fix the failing test in the parser and explain why it broke; refactor this module "
    "into smaller functions, keep the public API; add a benchmark for the cold start "
    'naïve café 日本語のテキスト 🚀 "quoted" back\\slash tab\there'
)
_WORDS = _PROSE.split()


def _prompt(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 60))]
    text = " ".join(words)
    return text + (
        "\n\n```\n" + "x = 1\n" * rng.randint(1, 8) + "```" if rng.random() < 0.3 else ""
    )


def _project(rng: random.Random, index: int) -> dict[str, Any]:
    return {
        "allowedTools": ["Bash(git status)", "Read"][: rng.randint(0, 2)],
        "history": [
            {"display": _prompt(rng), "pastedContents": {}} for _ in range(rng.randint(5, 40))
        ],
        "mcpContextUris": [],
        "mcpServers": {},
        "enabledMcpjsonServers": [],
        "disabledMcpjsonServers": [],
        "hasTrustDialogAccepted": rng.random() < 0.8,
        "projectOnboardingSeenCount": rng.randint(0, 4),
        "hasClaudeMdExternalIncludesApproved": False,
        "lastCost": round(rng.random() * 3, 6),
        "lastAPIDuration": rng.randint(1000, 900000),
        "lastDuration": rng.randint(1000, 9000000),
        "lastLinesAdded": rng.randint(0, 900),
        "lastLinesRemoved": rng.randint(0, 300),
        "lastTotalInputTokens": rng.randint(0, 500000),
        "lastTotalOutputTokens": rng.randint(0, 90000),
        "lastSessionId": f"{rng.getrandbits(128):032x}",
        "exampleFiles": [f"src/module_{index}_{i}.py" for i in range(rng.randint(0, 5))],
    }


def claude_json(size: int, *, api_key: str | None = "sk-ant-api03-FAKE-realistic-key") -> str:
    """A ``~/.claude.json`` of about ``size`` bytes (deterministic)."""
    rng = random.Random(size)
    doc: dict[str, Any] = {
        "numStartups": 412,
        "installMethod": "npm-global",
        "autoUpdates": True,
        "tipsHistory": {f"tip-{i}": rng.randint(1, 400) for i in range(30)},
        "userID": f"{rng.getrandbits(256):064x}",
        "firstStartTime": "2025-03-02T09:12:44.120Z",
        "oauthAccount": {
            "accountUuid": "00000000-0000-4000-8000-000000000000",
            "emailAddress": "ada@example.com",
            "organizationUuid": "00000000-0000-4000-8000-000000000001",
        },
        "cachedChangelog": "# Changelog\n\n" + "- fixed a thing\n" * 400,
        "hasCompletedOnboarding": True,
        "lastOnboardingVersion": "1.0.51",
        "projects": {},
    }
    if api_key is not None:
        doc["primaryApiKey"] = api_key
    index = 0
    while len(json.dumps(doc)) < size:
        batch = {f"/home/ada/src/project-{index + i}": _project(rng, index + i) for i in range(20)}
        doc["projects"].update(batch)
        index += 20
    return json.dumps(doc, indent=2, ensure_ascii=False)


def write_realistic_home(home: Path, *, claude_json_bytes: int = 214_000) -> Path:
    """Fill ``home`` like a developer's machine: Claude Code (API key and OAuth), Codex,
    OpenCode and Amika's env cache. Returns ``home``."""
    files = {
        ".claude.json": claude_json(claude_json_bytes),
        ".claude/.credentials.json": json.dumps(
            {
                "claudeAiOauth": {
                    "accessToken": "sk-ant-oat01-FAKE-access",
                    "refreshToken": "sk-ant-ort01-FAKE-refresh",
                    "expiresAt": 4102444800000,
                    "scopes": ["user:inference", "user:profile"],
                }
            }
        ),
        ".codex/auth.json": json.dumps(
            {
                "OPENAI_API_KEY": None,
                "tokens": {
                    "id_token": "eyJFAKE.id.token",
                    "access_token": "eyJFAKE.access.token",
                    "refresh_token": "FAKE-refresh",
                    "account_id": "00000000-0000-4000-8000-000000000002",
                },
                "last_refresh": "2026-11-30T08:00:00Z",
            },
            indent=2,
        ),
        ".local/share/opencode/auth.json": json.dumps(
            {
                "openrouter": {"type": "api", "key": "sk-or-FAKE-openrouter"},
                "github-copilot": {"type": "oauth", "access": "FAKE", "expires": 0},
            }
        ),
        ".cache/amika/env-cache.json": json.dumps({"GROQ_API_KEY": "gsk_FAKE_groq"}),
    }
    for rel, text in files.items():
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return home


def home_environment(home: Path) -> dict[str, str]:
    """``HOME`` and the XDG directories inside `home`: a process with these sees no file
    of the user running it (its config, data, state and cache all live in `home`)."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }

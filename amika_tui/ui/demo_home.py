"""A fixture home directory with obviously fake agent credentials, for screenshots and tests.

It exercises every status the extract pane can show: found, nothing, missing, expired,
skipped (when OAuth is off), an error, and candidates shadowed by higher priorities.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["CLAUDE_OAUTH_DOCUMENT", "write_claude_oauth", "write_demo_home"]

#: 2100-01-01 in epoch milliseconds: "not expired" for the lifetime of these tests.
_FAR_FUTURE_MS = 4102444800000
#: 2025-01-01 00:00 UTC in epoch milliseconds: an expiry in the past.
_PAST_MS = 1735689600000

CLAUDE_OAUTH_DOCUMENT: dict[str, object] = {
    "claudeAiOauth": {
        "accessToken": "sk-ant-oat01-FAKE-demo-access-token-000000000000",
        "refreshToken": "sk-ant-ort01-FAKE-demo-refresh-token-00000000000",
        "expiresAt": _FAR_FUTURE_MS,
        "scopes": ["user:inference", "user:profile"],
        "subscriptionType": "pro",
    }
}
"""What Claude Code writes to ``~/.claude/.credentials.json`` (values are fake)."""


def _write(path: Path, data: object | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def write_claude_oauth(home: Path) -> Path:
    """Only a Claude OAuth credentials file, as after `claude login`; returns its path."""
    return _write(home / ".claude" / ".credentials.json", CLAUDE_OAUTH_DOCUMENT)


def write_demo_home(home: Path) -> Path:
    """Fill ``home`` (XDG dirs under it: ``.cache``, ``.local/share``, ``.local/state``)."""
    _write(home / ".claude.json", {"primaryApiKey": "sk-ant-api03-FAKE-demo-key-from-claude-json"})
    write_claude_oauth(home)
    expired = {
        "claudeAiOauth": {
            "accessToken": "sk-ant-oat01-FAKE-expired-token-0000000000",
            "expiresAt": _PAST_MS,
        }
    }
    _write(home / ".claude-oauth-credentials.json", expired)
    _write(home / ".codex" / "auth.json", {"OPENAI_API_KEY": "sk-proj-FAKE-demo-openai-key-0000"})
    _write(
        home / ".cache" / "amika" / "env-cache.json", {"GROQ_API_KEY": "gsk_FAKE_demo_groq_0000"}
    )
    _write(home / ".local" / "share" / "amika" / "keychain.json", {})
    _write(home / ".local" / "share" / "opencode" / "auth.json", '{"anthropic": {"type": "api",')
    _write(home / ".amp" / "config.json", {"apiKey": "sk-ant-FAKE-demo-amp-key-000000"})
    return home

"""`amika-tui extract --json`: the full report, values masked unless --show-values."""

from __future__ import annotations

import json

from tests.discovery.conftest import Extract, Home


def test_json_report_masks_values(home: Home, extract: Extract) -> None:
    home.write(".claude.json", {"apiKey": "sk-ant-api03-abcdefghijklmnop"})
    home.write(".amp/config.json", {"token": "short"})
    home.write(".codex/auth.json", "{broken")
    result = extract("--json")
    assert (result.code, result.err) == (0, "")
    doc = json.loads(result.out)
    assert "abcdefghijkl" not in result.out and '"short"' not in result.out
    assert doc["env"] == {
        "ANTHROPIC_API_KEY": "sk-a*********************mnop",
        "CLAUDE_API_KEY": "sk-a*********************mnop",
    }
    (anthropic,) = doc["providers"]
    assert anthropic["provider"] == "anthropic"
    assert anthropic["env"] == ["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"]
    assert anthropic["winner"] == {
        "provider": "anthropic",
        "kind": "api_key",
        "source": "claude_api",
        "priority": 500,
        "file": f"{home.path}/.claude.json",
        "field": "apiKey",
        "value": "sk-a*********************mnop",
    }
    assert anthropic["shadowed"] == [
        {
            "provider": "anthropic",
            "kind": "api_key",
            "source": "amp",
            "priority": 100,
            "file": f"{home.path}/.amp/config.json",
            "field": "token",
            "value": "*****",
            "reason": "claude_api has higher priority (500 > 100)",
        }
    ]
    codex = next(s for s in doc["sources"] if s["id"] == "codex")
    assert codex["files"] == [
        {
            "path": f"{home.path}/.codex/auth.json",
            "target": None,
            "status": "error",
            "detail": "invalid JSON at line 1, column 2: invalid character 'b' looking for "
            "beginning of object key string",
            "expired_at": None,
            "notes": [],
            "candidates": [],
        }
    ]
    assert doc["upstream_error"].startswith("codex discovery failed: ")
    assert [s["id"] for s in doc["sources"]][:3] == ["claude_api", "claude_oauth", "codex"]


def test_json_show_values(home: Home, extract: Extract) -> None:
    home.write(".claude.json", {"apiKey": "sk-ant-api03-abcdefghijklmnop"})
    doc = json.loads(extract("--json", "--show-values").out)
    assert doc["env"]["ANTHROPIC_API_KEY"] == "sk-ant-api03-abcdefghijklmnop"
    assert doc["providers"][0]["winner"]["value"] == "sk-ant-api03-abcdefghijklmnop"


def test_json_reports_expiry_and_oauth_off(home: Home, extract: Extract) -> None:
    home.write(
        ".claude/.credentials.json",
        {"claudeAiOauth": {"accessToken": "a", "expiresAt": "2001-02-03T04:05:06Z"}},
    )
    doc = json.loads(extract("--json").out)
    oauth = doc["sources"][1]
    assert oauth["oauth"] is True
    assert oauth["files"][0]["status"] == "expired"
    assert oauth["files"][0]["expired_at"] == "2001-02-03T04:05:06+00:00"
    off = json.loads(extract("--json", "--no-oauth").out)
    assert off["include_oauth"] is False
    assert {f["status"] for f in off["sources"][1]["files"]} == {"skipped"}

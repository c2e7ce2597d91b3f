"""A credential's type follows its content (the add dialog's file and paste sources)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from amika_tui.discovery import CredentialKind
from amika_tui.discovery.content import read_credential, read_credential_file
from amika_tui.ui.demo_home import CLAUDE_OAUTH_DOCUMENT

OAUTH = CredentialKind.OAUTH
API_KEY = CredentialKind.API_KEY
CLAUDE_DOC = json.dumps(CLAUDE_OAUTH_DOCUMENT, indent=2)
CODEX_DOC = json.dumps({"tokens": {"access_token": "eyJ-FAKE", "refresh_token": "rt-FAKE"}})


@pytest.mark.parametrize(
    ("provider", "text", "kinds"),
    [
        ("claude", CLAUDE_DOC, (OAUTH,)),
        ("codex", CODEX_DOC, (OAUTH,)),
        ("claude", "sk-ant-api03-FAKE-0000", (API_KEY,)),
        ("codex", "  sk-proj-FAKE-0000\n", (API_KEY,)),
        ("claude", json.dumps({"primaryApiKey": "sk-ant-api03-FAKE-1111"}), (API_KEY,)),
        (
            "codex",
            json.dumps({"OPENAI_API_KEY": "sk-proj-FAKE", "tokens": {"access_token": "a"}}),
            (OAUTH, API_KEY),
        ),
    ],
)
def test_the_type_follows_the_content(provider: str, text: str, kinds: tuple[object]) -> None:
    content = read_credential(provider, text)
    assert content.problem is None
    assert content.kinds == kinds


def test_an_oauth_document_is_uploaded_whole_and_an_api_key_bare() -> None:
    assert read_credential("claude", f"\n{CLAUDE_DOC}\n").value_for(OAUTH) == CLAUDE_DOC
    assert read_credential("claude", " sk-ant-api03-FAKE ").value_for(API_KEY) == (
        "sk-ant-api03-FAKE"
    )
    inside = read_credential("claude", json.dumps({"primaryApiKey": "sk-ant-api03-IN"}))
    assert inside.value_for(API_KEY) == "sk-ant-api03-IN"
    assert inside.value_for(OAUTH) is None


def test_a_type_that_contradicts_the_content_is_refused_with_the_reason() -> None:
    oauth = read_credential("claude", CLAUDE_DOC)
    assert oauth.refusal(OAUTH) is None
    assert "Claude OAuth document (it holds claudeAiOauth.accessToken)" in (
        oauth.refusal(API_KEY) or ""
    )
    key = read_credential("codex", "sk-proj-FAKE-0000")
    assert key.refusal(API_KEY) is None
    assert "bare key, not a JSON document" in (key.refusal(OAUTH) or "")
    inside = read_credential("claude", json.dumps({"apiKey": "sk-ant-api03-IN"}))
    assert "holds an API key, not claudeAiOauth.accessToken" in (inside.refusal(OAUTH) or "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("two words", "Neither a Claude credentials JSON document nor a bare key"),
        ('{"claudeAiOauth": {"accessToken": "sk-ant-oat01-SECRET"', "Not valid JSON (line 1"),
        ("[1, 2]", "not an object"),
        (json.dumps({"other": "x"}), "no claudeAiOauth.accessToken and no API key field"),
    ],
)
def test_content_that_is_no_credential_says_why_without_quoting_it(text: str, problem: str) -> None:
    content = read_credential("claude", text)
    assert content.kinds == ()
    assert problem in (content.problem or "")
    assert content.refusal(OAUTH) == content.refusal(API_KEY) == content.problem
    assert "SECRET" not in (content.problem or "")


def test_files_are_read_like_the_scan_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "creds.json"
    path.write_text(CLAUDE_DOC, encoding="utf-8")
    assert read_credential_file("claude", str(path)).kinds == (OAUTH,)
    missing = read_credential_file("claude", str(tmp_path / "nope.json"))
    assert "no such file" in (missing.problem or "")
    assert "directory" in (read_credential_file("claude", str(tmp_path)).problem or "")
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    assert "empty" in (read_credential_file("claude", str(empty)).problem or "")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "FIFO" in (read_credential_file("claude", str(fifo)).problem or ""), "not read"

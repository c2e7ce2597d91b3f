"""Precedence, `auth status` facts and warnings, as the CLI reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from amika_tui.api import AmikaClient, StaticTokenSource
from amika_tui.auth import (
    CredentialKind,
    SessionTokenSource,
    api_base_url,
    auth_status,
    resolve_token_source,
    save_api_key,
)
from amika_tui.auth.resolve import _scan
from tests.auth.conftest import write_session
from tests.conftest import Tenant

ENV_KEY = "env-key-0123456789abcdef"
FILE_KEY = "file-key-0123456789abcdef"


def _corrupt(state_dir: Path, name: str, text: str = "not json") -> Path:
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / name
    path.write_text(text)
    return path


def _no_secrets(*texts: object) -> None:
    for text in texts:
        for secret in (ENV_KEY, FILE_KEY, "refresh-token-1-secret"):
            assert secret not in str(text)


def test_api_base_url_default_and_override() -> None:
    assert api_base_url({}) == "https://app.amika.dev"
    assert api_base_url({"AMIKA_API_URL": "http://127.0.0.1:8787/"}) == "http://127.0.0.1:8787"


def test_nothing_stored_means_not_logged_in() -> None:
    assert resolve_token_source() is None
    status = auth_status()
    assert status.active is None
    assert status.warnings == ()
    assert status.identity == "not logged in"


def test_env_key_beats_stored_key_and_session_and_warns_about_both(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_api_key(FILE_KEY)
    write_session(state_dir)
    monkeypatch.setenv("AMIKA_API_KEY", ENV_KEY)

    resolved = resolve_token_source()
    assert resolved is not None
    assert resolved.kind is CredentialKind.ENV
    assert resolved.description == "AMIKA_API_KEY environment variable"
    assert isinstance(resolved.token_source, StaticTokenSource)
    assert resolved.token_source.token() == ENV_KEY

    status = auth_status()
    assert status.active is CredentialKind.ENV
    assert status.email is None and status.org is None
    assert "unknown" in status.identity
    assert status.warnings == (
        f"shadows stored API key ({state_dir / 'api-key.json'})",
        "shadows logged-in session: ada@example.com (org: org_01ADA)",
    )
    _no_secrets(resolved, status, repr(resolved), repr(status), repr(_scan(None)))


def test_stored_key_beats_session(state_dir: Path) -> None:
    save_api_key(FILE_KEY)
    write_session(state_dir, org="")
    resolved = resolve_token_source()
    assert resolved is not None and resolved.kind is CredentialKind.API_KEY_FILE
    assert resolved.token_source.token() == FILE_KEY
    status = auth_status()
    assert status.description == f"stored API key ({state_dir / 'api-key.json'})"
    assert status.warnings == ("shadows logged-in session: ada@example.com",)


def test_session_alone_gives_identity(state_dir: Path) -> None:
    write_session(state_dir)
    resolved = resolve_token_source()
    assert resolved is not None and resolved.kind is CredentialKind.SESSION
    assert isinstance(resolved.token_source, SessionTokenSource)
    status = auth_status()
    assert (status.active, status.email, status.org) == (
        CredentialKind.SESSION,
        "ada@example.com",
        "org_01ADA",
    )
    assert status.identity == "ada@example.com (org: org_01ADA)"
    assert status.warnings == ()


@pytest.mark.parametrize("text", ["not json", '{"key": ""}', "[]", '{"key": 5}', "null"])
def test_corrupt_api_key_file_is_skipped_with_a_warning(state_dir: Path, text: str) -> None:
    path = _corrupt(state_dir, "api-key.json", text)
    write_session(state_dir)
    resolved = resolve_token_source()
    assert resolved is not None and resolved.kind is CredentialKind.SESSION
    [warning] = auth_status().warnings
    assert warning.startswith(f"ignoring unreadable API key file ({path}: corrupt API key file")


def test_corrupt_session_is_reported_under_the_env_key(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _corrupt(state_dir, "workos-session.json", "{")
    monkeypatch.setenv("AMIKA_API_KEY", ENV_KEY)
    status = auth_status()
    assert status.active is CredentialKind.ENV
    [warning] = status.warnings
    assert warning.startswith(f"ignoring unreadable session file ({path}: corrupt session file")


def test_only_corrupt_files_point_at_logout(state_dir: Path) -> None:
    _corrupt(state_dir, "api-key.json")
    _corrupt(state_dir, "workos-session.json", '{"access_token": 12}')
    assert resolve_token_source() is None
    status = auth_status()
    assert status.active is None
    assert len(status.warnings) == 2
    assert status.warnings[0].startswith("stored API key file is unreadable (corrupt")
    assert status.warnings[1].startswith("stored session file is unreadable (corrupt")
    assert all(w.endswith("run `amika auth logout` to clear it") for w in status.warnings)


def test_unreadable_directory_in_place_of_a_file_is_a_warning(state_dir: Path) -> None:
    (state_dir / "api-key.json").mkdir(parents=True)
    status = auth_status()
    assert status.active is None
    assert "is a directory" in status.warnings[0]


def test_corrupt_session_warning_never_quotes_the_file(state_dir: Path) -> None:
    _corrupt(state_dir, "workos-session.json", '{"access_token": "tok-in-a-broken-file", ')
    for warning in auth_status().warnings:
        assert "tok-in-a-broken-file" not in warning


async def test_stored_key_resolves_to_a_working_client(tenant: Tenant) -> None:
    save_api_key(tenant.api_key)
    resolved = resolve_token_source()
    assert resolved is not None
    async with AmikaClient(tenant.url, token_source=resolved.token_source) as client:
        await client.create_secret("FROM_STORED_KEY", "stored-key-value")
        assert [s.name for s in await client.list_secrets()] == ["FROM_STORED_KEY"]

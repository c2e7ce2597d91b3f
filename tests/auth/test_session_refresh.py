"""The browser-login session source refreshing against a local WorkOS stub over HTTP."""

from __future__ import annotations

import asyncio
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amika_tui.api import AmikaTransportError, AuthenticationError, InsecureTransportError
from amika_tui.auth import SessionTokenSource, resolve_token_source
from amika_tui.auth.session import DEFAULT_WORKOS_CLIENT_ID
from tests.api.stub_http import closed_port_url
from tests.auth.conftest import WorkOSStub, make_jwt, write_session


def _saved(state_dir: Path) -> dict[str, object]:
    return json.loads((state_dir / "workos-session.json").read_text())


async def test_fresh_token_is_used_without_refreshing(state_dir: Path, workos: WorkOSStub) -> None:
    written = write_session(state_dir, expires_in=3600)
    source = SessionTokenSource()
    assert await source.token() == written["access_token"]
    assert await source.token() == written["access_token"]
    assert workos.requests == []


async def test_token_within_60_seconds_of_expiry_is_refreshed_and_saved(
    state_dir: Path, workos: WorkOSStub
) -> None:
    old = write_session(state_dir, expires_in=30, session_expires_at="2099-01-01T00:00:00Z")
    new_token = workos.refreshed(expires_in=3600, refresh_token="refresh-token-2")
    resolved = resolve_token_source()
    assert resolved is not None

    token = await resolved.token_source.token()  # type: ignore[misc]

    assert token == new_token != old["access_token"]
    [request] = workos.requests
    assert request["path"] == "/user_management/authenticate"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["grant_type"] == "refresh_token"
    assert request["refresh_token"] == "refresh-token-1-secret"
    assert request["client_id"] == DEFAULT_WORKOS_CLIENT_ID
    saved = _saved(state_dir)
    assert saved["access_token"] == new_token
    assert saved["refresh_token"] == "refresh-token-2"
    assert saved["email"] == "ada@example.com"
    assert saved["session_expires_at"] == "2099-01-01T00:00:00Z"  # carried forward
    expires = datetime.fromisoformat(str(saved["expires_at"]))
    assert 3500 < (expires - datetime.now(UTC)).total_seconds() <= 3600
    path = state_dir / "workos-session.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in state_dir.iterdir()) == ["workos-session.json"]


@pytest.mark.parametrize(
    ("variable", "value", "client_id"),
    [
        ("AMIKA_WORKOS_CLIENT_ID", "client_custom", "client_custom"),
        ("AMIKA_API_URL", "https://app.staging-amika.dev", "client_01KHA4957S0742NKPKGAHV0JZE"),
    ],
)
async def test_client_id_comes_from_the_environment(
    state_dir: Path,
    workos: WorkOSStub,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    client_id: str,
) -> None:
    """An explicit client id, else the staging API URL selects the staging client."""
    monkeypatch.setenv(variable, value)
    write_session(state_dir, expires_in=-10)
    workos.refreshed()
    await SessionTokenSource().token()
    assert workos.requests[0]["client_id"] == client_id


async def test_invalidate_forces_a_refresh_of_an_unexpired_token(
    state_dir: Path, workos: WorkOSStub
) -> None:
    written = write_session(state_dir, expires_in=3600)
    new_token = workos.refreshed()
    source = SessionTokenSource()
    assert await source.token() == written["access_token"]
    source.invalidate()
    assert await source.token() == new_token
    assert len(workos.requests) == 1


async def test_refresh_by_the_cli_meanwhile_is_picked_up_not_repeated(
    state_dir: Path, workos: WorkOSStub
) -> None:
    write_session(state_dir, expires_in=3600)
    source = SessionTokenSource()
    await source.token()
    source.invalidate()
    # The CLI refreshed in the meantime and rotated the tokens on disk.
    newer = write_session(state_dir, access_token=make_jwt(9_999_999_999), refresh_token="r3")
    assert await source.token() == newer["access_token"]
    assert workos.requests == []


async def test_concurrent_requests_share_one_refresh(state_dir: Path, workos: WorkOSStub) -> None:
    write_session(state_dir, expires_in=5)
    new_token = workos.refreshed()
    source = SessionTokenSource()
    tokens = await asyncio.gather(*(source.token() for _ in range(5)))
    assert set(tokens) == {new_token}
    assert len(workos.requests) == 1


async def test_refused_refresh_is_an_authentication_error_without_tokens(
    state_dir: Path, workos: WorkOSStub
) -> None:
    written = write_session(state_dir, expires_in=10)
    workos.answer(400, {"error": "invalid_grant", "error_description": "Refresh token revoked"})
    with pytest.raises(AuthenticationError) as caught:
        await SessionTokenSource().token()
    message = caught.value.user_message()
    assert "invalid_grant" in message and "amika auth login" in message
    for text in (message, str(caught.value), repr(caught.value)):
        assert "refresh-token-1-secret" not in text
        assert str(written["access_token"]) not in text
    assert _saved(state_dir)["access_token"] == written["access_token"]  # untouched


async def test_refresh_answer_without_a_jwt_expiry_is_refused(
    state_dir: Path, workos: WorkOSStub
) -> None:
    write_session(state_dir, expires_in=10)
    workos.answer(200, {"access_token": "opaque-token", "refresh_token": "r"})
    with pytest.raises(AuthenticationError, match="unusable answer") as caught:
        await SessionTokenSource().token()
    assert "opaque-token" not in str(caught.value)
    assert caught.value.__context__ is None  # nothing holding the answer rides along


async def test_ended_session_asks_for_a_new_login(state_dir: Path, workos: WorkOSStub) -> None:
    write_session(state_dir, expires_in=3600, session_expires_at="2020-01-01T00:00:00Z")
    with pytest.raises(AuthenticationError, match="session expired, run: amika auth login"):
        await SessionTokenSource().token()
    assert workos.requests == []


async def test_missing_session_file_says_not_logged_in() -> None:
    with pytest.raises(AuthenticationError, match="not logged in"):
        await SessionTokenSource().token()


async def test_unreachable_workos_is_a_transport_error(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = closed_port_url()
    monkeypatch.setenv("AMIKA_WORKOS_API_URL", url)
    write_session(state_dir, expires_in=0)
    with pytest.raises(AmikaTransportError) as caught:
        await SessionTokenSource().token()
    assert url in caught.value.user_message()
    assert "refresh-token-1-secret" not in str(caught.value)
    # No chained httpx error: its request holds the refresh token in the form body.
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def _off_loopback(url: str) -> str:
    """The stub's URL by an address that is not loopback by name, though Linux delivers it
    to this machine: today's rules would send to it, and no traffic leaves the machine."""
    return url.replace("127.0.0.1", "0.0.0.0")


async def test_a_refresh_token_never_goes_over_plain_http_off_loopback(
    state_dir: Path, workos: WorkOSStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMIKA_WORKOS_API_URL", _off_loopback(workos.url))
    write_session(state_dir, expires_in=-10)
    workos.refreshed()
    with pytest.raises(InsecureTransportError) as caught:
        await SessionTokenSource().token()
    assert _off_loopback(workos.url) in caught.value.user_message()
    assert "refresh-token-1-secret" not in repr(caught.value)
    assert workos.requests == []

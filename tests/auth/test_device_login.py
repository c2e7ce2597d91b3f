"""Browser (device authorization) login against a local WorkOS stub over real HTTP."""

from __future__ import annotations

import asyncio
import json
import stat
import time
from pathlib import Path

import pytest

from amika_tui.api import InsecureTransportError
from amika_tui.auth import (
    CredentialKind,
    DeviceLoginDenied,
    DeviceLoginError,
    DeviceLoginExpired,
    auth_status,
    poll_for_session,
    request_device_code,
)
from amika_tui.auth.device import DEVICE_CODE_GRANT, DeviceCode
from amika_tui.auth.session import DEFAULT_WORKOS_CLIENT_ID
from tests.auth.conftest import CLI_SESSION_FIELDS, WorkOSStub, make_jwt

DEVICE_ANSWER = {
    "device_code": "device-code-secret-77",
    "user_code": "WXYZ-1234",
    "verification_uri": "https://auth.example.com/activate",
    "verification_uri_complete": "https://auth.example.com/activate?user_code=WXYZ-1234",
    "expires_in": 300,
    "interval": 5,
}


class Waits:
    """Records the waits between polls instead of sleeping (keeps tests fast)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def _approved(stub: WorkOSStub) -> str:
    token = make_jwt(time.time() + 3600, sub="user_01ADA")
    stub.answer(
        200,
        {
            "access_token": token,
            "refresh_token": "refresh-after-login",
            "user": {"id": "user_01ADA", "email": "ada@example.com"},
            "organization_id": "org_01ADA",
        },
    )
    return token


async def test_device_login_polls_until_approved_and_saves_the_cli_session(
    state_dir: Path, workos: WorkOSStub
) -> None:
    workos.answer(200, DEVICE_ANSWER)
    workos.answer(400, {"error": "authorization_pending"})
    workos.answer(400, {"error": "slow_down"})
    workos.answer(400, {"error": "authorization_pending"})
    token = _approved(workos)
    waits = Waits()

    code = await request_device_code()
    assert (code.user_code, code.verification_uri_complete) == (
        "WXYZ-1234",
        "https://auth.example.com/activate?user_code=WXYZ-1234",
    )
    assert "device-code-secret-77" not in repr(code)
    session = await poll_for_session(code, sleep=waits)

    assert waits.seconds == [5, 5, 10, 10]  # slow_down adds 5 s (RFC 8628)
    authorize, *polls = workos.requests
    assert authorize["path"] == "/user_management/authorize/device"
    assert authorize["client_id"] == DEFAULT_WORKOS_CLIENT_ID
    assert len(polls) == 4
    assert {p["grant_type"] for p in polls} == {DEVICE_CODE_GRANT}
    assert {p["device_code"] for p in polls} == {"device-code-secret-77"}
    assert session.email == "ada@example.com"

    path = state_dir / "workos-session.json"
    saved = json.loads(path.read_text())
    assert list(saved) == CLI_SESSION_FIELDS
    assert saved["access_token"] == token
    assert saved["refresh_token"] == "refresh-after-login"
    assert saved["organization_id"] == "org_01ADA"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = auth_status()
    assert (status.active, status.email) == (CredentialKind.SESSION, "ada@example.com")


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        ("access_denied", DeviceLoginDenied),
        ("expired_token", DeviceLoginExpired),
        ("invalid_client", DeviceLoginError),
    ],
)
async def test_device_login_failures_save_nothing(
    state_dir: Path, workos: WorkOSStub, error: str, raised: type[Exception]
) -> None:
    workos.answer(200, DEVICE_ANSWER)
    workos.answer(400, {"error": "authorization_pending"})
    workos.answer(400, {"error": error, "error_description": "nope"})
    code = await request_device_code()
    with pytest.raises(raised) as caught:
        await poll_for_session(code, sleep=Waits())
    assert "device-code-secret-77" not in str(caught.value)
    assert not (state_dir / "workos-session.json").exists()


async def test_cancelling_the_wait_stops_the_login(state_dir: Path, workos: WorkOSStub) -> None:
    workos.answer(200, DEVICE_ANSWER)
    workos.answer(400, {"error": "authorization_pending"})
    waiting = asyncio.Event()
    forever = asyncio.Event()

    async def wait(seconds: float) -> None:
        if len(workos.requests) >= 2:  # after the first poll: block like a long interval
            waiting.set()
            await forever.wait()

    code = await request_device_code()
    task = asyncio.create_task(poll_for_session(code, sleep=wait))
    await asyncio.wait_for(waiting.wait(), timeout=120)  # only catches a hang
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not (state_dir / "workos-session.json").exists()


async def test_client_id_override_is_sent(
    workos: WorkOSStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMIKA_WORKOS_CLIENT_ID", "client_dev_stack")
    workos.answer(200, {**DEVICE_ANSWER, "interval": 0, "verification_uri_complete": None})
    code = await request_device_code()
    assert workos.requests[0]["client_id"] == "client_dev_stack"
    assert code.interval == 5  # WorkOS gave none: the CLI's default
    assert code.verification_uri_complete == code.verification_uri


async def test_refused_device_authorization_is_an_error(workos: WorkOSStub) -> None:
    workos.answer(400, {"error": "invalid_client", "error_description": "unknown client"})
    with pytest.raises(DeviceLoginError, match="invalid_client: unknown client"):
        await request_device_code()


async def test_approval_without_a_usable_token_saves_nothing_and_quotes_nothing(
    state_dir: Path, workos: WorkOSStub
) -> None:
    workos.answer(200, DEVICE_ANSWER)
    workos.answer(200, {"access_token": "opaque-login-token-3c1d", "refresh_token": "r-3c1d"})
    code = await request_device_code()
    with pytest.raises(DeviceLoginError, match="login answer is unusable") as caught:
        await poll_for_session(code, sleep=Waits())
    assert "3c1d" not in str(caught.value)
    assert caught.value.__context__ is None  # nothing holding the answer rides along
    assert not (state_dir / "workos-session.json").exists()


async def test_device_login_never_goes_over_plain_http_off_loopback(
    state_dir: Path, workos: WorkOSStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0.0.0.0 reaches the local stub on Linux but is not loopback by name (nothing leaves)
    monkeypatch.setenv("AMIKA_WORKOS_API_URL", workos.url.replace("127.0.0.1", "0.0.0.0"))
    workos.answer(200, DEVICE_ANSWER)
    with pytest.raises(InsecureTransportError, match="use https"):
        await request_device_code()
    code = DeviceCode(**DEVICE_ANSWER)  # type: ignore[arg-type]
    with pytest.raises(InsecureTransportError):
        await poll_for_session(code, sleep=Waits())
    assert workos.requests == []
    assert not (state_dir / "workos-session.json").exists()

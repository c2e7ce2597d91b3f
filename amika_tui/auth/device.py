"""Browser login: the WorkOS device authorization flow, saving the session as the CLI does.

```
code = await request_device_code()
show(code.user_code, code.verification_uri_complete)   # and open the browser
session = await poll_for_session(code)                 # saved to workos-session.json
```
Cancel the task running `poll_for_session` to stop waiting; nothing is saved then.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from amika_tui.api import AmikaError, AmikaTransportError
from amika_tui.api.client import USER_AGENT
from amika_tui.api.transport import require_secure_transport
from amika_tui.auth.paths import environ
from amika_tui.auth.session import (
    session_from_token_response,
    workos_api_url,
    workos_client_id,
    workos_error,
)
from amika_tui.auth.store import WorkOSSession, save_session

__all__ = [
    "DEVICE_CODE_GRANT",
    "DeviceCode",
    "DeviceLoginDenied",
    "DeviceLoginError",
    "DeviceLoginExpired",
    "poll_for_session",
    "request_device_code",
]

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
_DEFAULT_INTERVAL = 5  # seconds, when WorkOS does not say (the CLI's default)
_SLOW_DOWN_STEP = 5  # RFC 8628 section 3.5


class DeviceLoginError(AmikaError):
    """The browser login did not complete."""


class DeviceLoginDenied(DeviceLoginError):
    """The user declined the authorization in the browser (`access_denied`)."""


class DeviceLoginExpired(DeviceLoginError):
    """The user code expired before the user approved it (`expired_token`)."""


@dataclass(frozen=True, slots=True)
class DeviceCode:
    """What to show the user, and what to poll with."""

    device_code: str = field(repr=False)
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    """The verification URL with the code filled in: open this in the browser."""
    expires_in: int
    interval: int


async def _post_form(url: str, form: Mapping[str, str], timeout: float) -> httpx.Response:
    require_secure_transport(url)  # device codes and the tokens they buy are credentials
    failure: AmikaTransportError | None = None
    try:
        async with httpx.AsyncClient(timeout=timeout, headers={"User-Agent": USER_AGENT}) as http:
            return await http.post(url, data=dict(form))
    except httpx.RequestError as exc:
        failure = AmikaTransportError(
            f"WorkOS unreachable ({type(exc).__name__})", url=url, request_sent=True
        )
    raise failure


async def request_device_code(
    env: Mapping[str, str] | None = None,
    *,
    client_id: str | None = None,
    workos_url: str | None = None,
    timeout: float = 30.0,
) -> DeviceCode:
    """Start a device login (`POST /user_management/authorize/device`).

    Args:
        env: Environment for `AMIKA_WORKOS_CLIENT_ID` / `AMIKA_WORKOS_API_URL` /
            `AMIKA_API_URL` (default: the process environment).
        client_id: Overrides the client id from the environment.
        workos_url: Overrides the WorkOS API root from the environment.
        timeout: Seconds for the request.

    Returns:
        The device code, the user code and the verification URLs.

    Raises:
        DeviceLoginError: WorkOS refused or gave an unusable answer.
        AmikaTransportError: WorkOS could not be reached.
        InsecureTransportError: The WorkOS URL is plain http off this machine.
    """
    values = environ(env)
    root = (workos_url or workos_api_url(values)).rstrip("/")
    form = {"client_id": client_id or workos_client_id(values)}
    response = await _post_form(f"{root}/user_management/authorize/device", form, timeout)
    if response.status_code != 200:
        error, description = workos_error(response)
        detail = ": ".join(p for p in (error, description) if p) or "no details"
        raise DeviceLoginError(f"device authorize failed (HTTP {response.status_code}: {detail})")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise DeviceLoginError("device authorize answered something that is not a JSON object")
    strings = {}
    for key in ("device_code", "user_code", "verification_uri"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise DeviceLoginError(f"device authorize answer lacks {key}")
        strings[key] = value
    complete = data.get("verification_uri_complete")
    interval = data.get("interval")
    expires_in = data.get("expires_in")
    return DeviceCode(
        device_code=strings["device_code"],
        user_code=strings["user_code"],
        verification_uri=strings["verification_uri"],
        verification_uri_complete=complete
        if isinstance(complete, str) and complete
        else strings["verification_uri"],
        expires_in=expires_in if isinstance(expires_in, int) and expires_in > 0 else 300,
        interval=interval if isinstance(interval, int) and interval > 0 else _DEFAULT_INTERVAL,
    )


async def poll_for_session(
    code: DeviceCode,
    env: Mapping[str, str] | None = None,
    *,
    client_id: str | None = None,
    workos_url: str | None = None,
    timeout: float = 30.0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    on_poll: Callable[[int], None] | None = None,
) -> WorkOSSession:
    """Poll until the user approves, then save and return the session.

    Waits `code.interval` seconds before each poll; `slow_down` adds 5 s to the interval
    (RFC 8628). Network errors and unreadable answers are polled through, as the CLI does.
    Cancel the calling task to stop; nothing is written then.

    Args:
        code: From `request_device_code`.
        env: As for `request_device_code`; also chooses where the session is saved.
        client_id: Overrides the client id from the environment.
        workos_url: Overrides the WorkOS API root from the environment.
        timeout: Seconds per poll request.
        sleep: Waits between polls (a UI may pass its own; tests pass a recorder).
        on_poll: Called with the current interval before each wait (for progress display).

    Returns:
        The session, already saved to `workos-session.json` (0600).

    Raises:
        DeviceLoginDenied: `access_denied`.
        DeviceLoginExpired: `expired_token`, or the code's lifetime passed.
        DeviceLoginError: Any other WorkOS error, or an approval without a usable token.
        OSError: The session could not be saved.
    """
    values = environ(env)
    root = (workos_url or workos_api_url(values)).rstrip("/")
    url = f"{root}/user_management/authenticate"
    form = {
        "grant_type": DEVICE_CODE_GRANT,
        "device_code": code.device_code,
        "client_id": client_id or workos_client_id(values),
    }
    interval = code.interval
    deadline = time.monotonic() + code.expires_in
    while True:
        if time.monotonic() > deadline:
            raise DeviceLoginExpired("authorization expired, please try again")
        if on_poll is not None:
            on_poll(interval)
        await sleep(interval)
        try:
            response = await _post_form(url, form, timeout)
        except AmikaTransportError:
            continue
        if response.status_code == 200:
            try:
                session = session_from_token_response(response.json())
            except ValueError as exc:
                unusable = str(exc)
            else:
                save_session(session, env)
                return session
            # Outside the except block: a JSON decoder error keeps the answer (tokens) in `.doc`.
            raise DeviceLoginError(f"login answer is unusable: {unusable}")
        error, description = workos_error(response)
        if error is None or error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += _SLOW_DOWN_STEP
            continue
        if error == "access_denied":
            raise DeviceLoginDenied("authorization denied")
        if error == "expired_token":
            raise DeviceLoginExpired("authorization expired, please try again")
        detail = f"{error}: {description}" if description else error
        raise DeviceLoginError(f"unexpected error: {detail}")

"""The browser-login session as a token source: refreshed against WorkOS near expiry."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from amika_tui.api import AmikaTransportError, AuthenticationError
from amika_tui.api.client import USER_AGENT
from amika_tui.api.transport import require_secure_transport
from amika_tui.auth.paths import environ, session_path
from amika_tui.auth.store import CredentialFileError, WorkOSSession, load_session, save_session

__all__ = [
    "DEFAULT_WORKOS_API_URL",
    "DEFAULT_WORKOS_CLIENT_ID",
    "REFRESH_MARGIN",
    "SessionTokenSource",
    "jwt_expiry",
    "refresh_session",
    "workos_api_url",
    "workos_client_id",
    "workos_error",
]

DEFAULT_WORKOS_API_URL = "https://api.workos.com"
DEFAULT_WORKOS_CLIENT_ID = "client_01KHA495MJS1KT6QBRTYJ239DY"
"""The CLI's production WorkOS client id (matches https://app.amika.dev)."""
_STAGING_HOST = "app.staging-amika.dev"
_STAGING_CLIENT_ID = "client_01KHA4957S0742NKPKGAHV0JZE"

REFRESH_MARGIN = timedelta(seconds=60)
"""Refresh an access token this long before it expires (the CLI's rule)."""


def workos_api_url(env: Mapping[str, str] | None = None) -> str:
    """`AMIKA_WORKOS_API_URL`, else `https://api.workos.com` (tests point it at a stub)."""
    return (environ(env).get("AMIKA_WORKOS_API_URL") or DEFAULT_WORKOS_API_URL).rstrip("/")


def workos_client_id(env: Mapping[str, str] | None = None) -> str:
    """`AMIKA_WORKOS_CLIENT_ID`, else the client id matching `AMIKA_API_URL` (as the CLI)."""
    values = environ(env)
    explicit = values.get("AMIKA_WORKOS_CLIENT_ID")
    if explicit:
        return explicit
    api_url = values.get("AMIKA_API_URL") or ""
    try:
        host = httpx.URL(api_url).host if api_url else ""
    except httpx.InvalidURL:
        host = ""
    return _STAGING_CLIENT_ID if host == _STAGING_HOST else DEFAULT_WORKOS_CLIENT_ID


def jwt_expiry(token: str) -> datetime:
    """The `exp` claim of a JWT, read without verifying it (as the CLI does).

    Raises:
        ValueError: Not a three-part JWT, or no numeric `exp` claim.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError(f"invalid JWT: expected 3 parts, got {len(parts)}")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        raise ValueError("invalid JWT payload") from None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float) or exp == 0:
        raise ValueError("JWT missing exp claim")
    return datetime.fromtimestamp(exp, UTC)


def workos_error(response: httpx.Response) -> tuple[str | None, str | None]:
    """`(error, error_description)` from a WorkOS OAuth error answer, else Nones."""
    try:
        data = response.json()
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error") or data.get("code")
    description = data.get("error_description") or data.get("message")
    return (
        error if isinstance(error, str) else None,
        description if isinstance(description, str) else None,
    )


def session_from_token_response(
    data: Any, *, previous: WorkOSSession | None = None
) -> WorkOSSession:
    """Build a session from a WorkOS `authenticate` answer (device code or refresh grant).

    Raises:
        ValueError: The answer lacks an access token or its expiry.
    """
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise ValueError("the answer has no access_token")
    expires_at = jwt_expiry(access)
    raw_user = data.get("user")
    user: dict[str, Any] = raw_user if isinstance(raw_user, dict) else {}

    def pick(value: Any, fallback: str) -> str:
        return value if isinstance(value, str) and value else fallback

    refresh = data.get("refresh_token")
    return WorkOSSession(
        access_token=access,
        refresh_token=pick(refresh, previous.refresh_token if previous else ""),
        user_id=pick(user.get("id"), previous.user_id if previous else ""),
        email=pick(user.get("email"), previous.email if previous else ""),
        organization_id=pick(
            data.get("organization_id"), previous.organization_id if previous else ""
        ),
        expires_at=expires_at,
        extra=dict(previous.extra) if previous else {},
    )


async def refresh_session(
    session: WorkOSSession,
    *,
    client_id: str,
    workos_url: str = DEFAULT_WORKOS_API_URL,
    timeout: float = 30.0,
) -> WorkOSSession:
    """Exchange the session's refresh token for a new access token (not saved here).

    Args:
        session: The stored session; its refresh token is sent.
        client_id: The WorkOS client id.
        workos_url: WorkOS API root.
        timeout: Seconds for the request.

    Returns:
        The refreshed session (identity kept from the old one where WorkOS omits it).

    Raises:
        AuthenticationError: No refresh token, WorkOS refused, or its answer is unusable.
        AmikaTransportError: WorkOS could not be reached.
        InsecureTransportError: `workos_url` is plain http off this machine.
    """
    if not session.refresh_token:
        raise AuthenticationError(
            401, "", None, "session expired and has no refresh token, run: amika auth login"
        )
    url = f"{workos_url.rstrip('/')}/user_management/authenticate"
    require_secure_transport(url)  # the form carries the refresh token
    form = {
        "grant_type": "refresh_token",
        "refresh_token": session.refresh_token,
        "client_id": client_id,
    }
    failure: AmikaTransportError | None = None
    try:
        async with httpx.AsyncClient(timeout=timeout, headers={"User-Agent": USER_AGENT}) as http:
            response = await http.post(url, data=form)
    except httpx.RequestError as exc:
        failure = AmikaTransportError(
            f"session refresh failed ({type(exc).__name__})", url=url, request_sent=True
        )
    if failure is not None:
        # Raised outside the except block: the httpx error's request holds the refresh
        # token in its body, so it must not ride along as `__context__`.
        raise failure
    if response.status_code != 200:
        error, description = workos_error(response)
        detail = ": ".join(part for part in (error, description) if part) or "no details"
        raise AuthenticationError(
            401,
            "",
            error,
            f"session expired and refresh failed (HTTP {response.status_code}: {detail}); "
            "run: amika auth login",
        )
    try:
        return session_from_token_response(response.json(), previous=session)
    except ValueError as exc:
        why = str(exc)
    # Outside the except block: a JSON decoder error keeps the whole answer (tokens) in `.doc`.
    raise AuthenticationError(401, "", None, f"session refresh returned an unusable answer: {why}")


class SessionTokenSource:
    """Token source over `workos-session.json`, refreshing within 60 s of expiry.

    The file is re-read whenever the cached token is stale, so a refresh done meanwhile by
    the `amika` CLI (which rotates the refresh token) is picked up instead of repeated.
    The refreshed session is saved back atomically with mode 0600.
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        client_id: str | None = None,
        workos_url: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._env: dict[str, str] = dict(environ(env))
        self._client_id = client_id or workos_client_id(self._env)
        self._workos_url = workos_url or workos_api_url(self._env)
        self._timeout = timeout
        self._session: WorkOSSession | None = None
        self._rejected: str | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"SessionTokenSource({session_path(self._env)})"

    @property
    def session(self) -> WorkOSSession | None:
        """The session last loaded or refreshed (None before the first `token()`)."""
        return self._session

    async def token(self) -> str:
        """A valid access token, refreshing and saving the session when needed.

        Raises:
            AuthenticationError: No session, an unreadable file, an ended session, or a
                refresh WorkOS refused.
            AmikaTransportError: WorkOS could not be reached.
        """
        async with self._lock:
            if self._usable(self._session):
                assert self._session is not None
                return self._session.access_token
            session = self._load()
            if not self._usable(session):
                session = await refresh_session(
                    session,
                    client_id=self._client_id,
                    workos_url=self._workos_url,
                    timeout=self._timeout,
                )
                try:
                    save_session(session, self._env)
                except OSError as exc:
                    raise AuthenticationError(
                        401,
                        "",
                        None,
                        f"could not save the refreshed session to {session_path(self._env)}: "
                        f"{exc.strerror or exc}",
                    ) from None
            self._session = session
            self._rejected = None
            return session.access_token

    def invalidate(self) -> None:
        """Forget the cached token: the server rejected it, so the next call refreshes."""
        if self._session is not None:
            self._rejected = self._session.access_token
        self._session = None

    def _load(self) -> WorkOSSession:
        try:
            session = load_session(self._env)
        except CredentialFileError as exc:
            raise AuthenticationError(
                401,
                "",
                None,
                f"stored session file is unreadable ({exc.reason}); "
                "run `amika auth logout` to clear it",
            ) from None
        if session is None:
            raise AuthenticationError(401, "", None, "not logged in, run: amika auth login")
        ends = session.session_expires_at
        if ends is not None and datetime.now(UTC) > ends:
            raise AuthenticationError(401, "", None, "session expired, run: amika auth login")
        return session

    def _usable(self, session: WorkOSSession | None) -> bool:
        if session is None or not session.access_token or session.expires_at is None:
            return False
        if session.access_token == self._rejected:
            return False
        return session.expires_at - datetime.now(UTC) >= REFRESH_MARGIN

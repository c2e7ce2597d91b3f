"""Refreshing token sources: a backend token provider URL, and API key → scoped JWT.

Both cache their token, refetch it after `invalidate()` (the client calls that after a 401)
or when it is within `refresh_margin` seconds of expiry, and let concurrent requests share
one in-flight fetch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from amika_tui.api.client import USER_AGENT, AmikaClient
from amika_tui.api.errors import (
    AmikaHTTPError,
    AmikaTransportError,
    AuthenticationError,
    InsecureTransportError,
)
from amika_tui.api.models import IssuedToken
from amika_tui.api.transport import require_secure_transport

__all__ = ["READ_ONLY_PERMISSIONS", "ApiKeyExchangeSource", "TokenProviderSource"]

READ_ONLY_PERMISSIONS: tuple[str, ...] = ("secrets:read", "providers:read")
"""Permissions of a read-only token: the server refuses every write made with it."""

_DEFAULT_MARGIN = 60.0


class _CachingSource:
    """Shared caching: one fetch at a time, reuse until `refresh_margin` before expiry."""

    def __init__(self, refresh_margin: float) -> None:
        self._margin = timedelta(seconds=refresh_margin)
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0
        """How many times a token was fetched (for status displays and tests)."""

    async def token(self) -> str:
        """The cached token, fetched first when missing, invalidated or about to expire."""
        if self._fresh():
            assert self._token is not None
            return self._token
        async with self._lock:
            # Whoever held the lock may just have fetched: then share its token.
            if self._fresh():
                assert self._token is not None
                return self._token
            token, expires_at = await self._fetch()
            self.fetches += 1
            self._token, self._expires_at = token, expires_at
            return token

    def invalidate(self) -> None:
        """Drop the cached token; the next `token()` fetches a new one."""
        self._token = None
        self._expires_at = None

    def _fresh(self) -> bool:
        if self._token is None:
            return False
        if self._expires_at is None:
            return True
        return self._expires_at - datetime.now(UTC) > self._margin

    async def _fetch(self) -> tuple[str, datetime | None]:
        raise NotImplementedError


def _public_url(url: httpx.URL) -> str:
    """The URL without user info, query or fragment: fit for messages (no secrets)."""
    return str(url.copy_with(username=None, password=None, query=None, fragment=None))


def _parse_expiry(data: dict[str, Any]) -> datetime | None:
    """Expiry from the usual fields: `expiresAt`/`expires_at` (RFC 3339 or epoch s/ms),
    `expiresIn`/`expires_in` (seconds). None when absent or unreadable."""
    now = datetime.now(UTC)
    for key in ("expiresIn", "expires_in"):
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return now + timedelta(seconds=float(value))
    for key in ("expiresAt", "expires_at", "expiry", "exp"):
        value = data.get(key)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            seconds = value / 1000 if value > 10**11 else value  # epoch ms vs epoch s
            return datetime.fromtimestamp(seconds, UTC)
    return None


class TokenProviderSource(_CachingSource):
    """Tokens from your own backend: `GET url` answers `{"accessToken": "..."}`.

    `access_token` is accepted too, and an optional expiry (`expiresAt`/`expires_at` as
    RFC 3339 or epoch seconds/milliseconds, or `expiresIn`/`expires_in` seconds). Without one
    the token is kept until `invalidate()` (after a 401 the client invalidates and retries).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        refresh_margin: float = _DEFAULT_MARGIN,
        allow_insecure_http: bool = False,
    ) -> None:
        """Create a source.

        Args:
            url: The provider endpoint.
            timeout: Seconds per fetch.
            refresh_margin: Refetch this many seconds before a known expiry.
            allow_insecure_http: Accept a token over plain http from a non-loopback host.

        Raises:
            ValueError: Not an http(s) URL.
        """
        super().__init__(refresh_margin)
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError("the token provider URL must be an http(s) URL")
        self._url = parsed
        self.url = _public_url(parsed)
        """The provider URL as shown in messages (no query string or user info)."""
        self._timeout = timeout
        self._allow_insecure_http = allow_insecure_http

    def __repr__(self) -> str:
        return f"TokenProviderSource({self.url!r})"

    async def _fetch(self) -> tuple[str, datetime | None]:
        """Fetch a token.

        Raises:
            AuthenticationError: The provider refused, answered without a usable token, or
                is plain http off this machine (the transport rule); the message names the
                provider URL, never a token.
            AmikaTransportError: The provider could not be reached.
        """
        try:
            require_secure_transport(self._url, allow_insecure_http=self._allow_insecure_http)
        except InsecureTransportError as exc:
            raise self._refused(f"is not used: {exc.reason}") from None
        failure: AmikaTransportError | None = None
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            ) as http:
                response = await http.get(self._url)
        except httpx.RequestError as exc:
            failure = AmikaTransportError(
                f"token provider unreachable ({type(exc).__name__})",
                url=self.url,
                request_sent=False,
            )
        if failure is not None:
            raise failure
        if not 200 <= response.status_code < 300:
            raise self._refused(f"answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise self._refused("did not answer a JSON object")
        token = data.get("accessToken", data.get("access_token"))
        if not isinstance(token, str) or not token.strip():
            raise self._refused("answered without an accessToken")
        return token.strip(), _parse_expiry(data)

    def _refused(self, why: str) -> AuthenticationError:
        return AuthenticationError(
            401, "", "token_provider_error", f"token provider {self.url} {why}"
        )


class ApiKeyExchangeSource(_CachingSource):
    """Exchanges a long-lived API key for a short-lived JWT limited to an audience and a
    list of permissions (`POST /api/v0beta1/auth/jwt`), cached until 60 s before expiry.

    A read-only session is `permissions=["secrets:read", "providers:read"]`: the server
    then refuses every write, whatever the client does.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        audience: str,
        permissions: Sequence[str],
        *,
        external_user_id: str | None = None,
        expires_in: int | None = None,
        refresh_margin: float = _DEFAULT_MARGIN,
        timeout: float = 30.0,
        allow_insecure_http: bool = False,
    ) -> None:
        """Create a source.

        Args:
            base_url: Host root of the Amika API (as for `AmikaClient`).
            api_key: The API key to exchange; it only ever goes to `/auth/jwt`.
            audience: Audience of the issued tokens.
            permissions: Permissions of the issued tokens.
            external_user_id: Your id for the user, recorded in the token.
            expires_in: Requested token lifetime in seconds (server default when None).
            refresh_margin: Exchange again this many seconds before expiry.
            timeout: Seconds per request.
            allow_insecure_http: As for `AmikaClient`.
        """
        super().__init__(refresh_margin)
        self.audience = audience
        self.permissions = tuple(permissions)
        self._external_user_id = external_user_id
        self._expires_in = expires_in
        self._client = AmikaClient(
            base_url,
            access_token=api_key,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )
        self.last_issued: IssuedToken | None = None
        """The most recent token (its repr hides the token)."""

    def __repr__(self) -> str:
        return f"ApiKeyExchangeSource({self._client.base_url!r}, permissions={self.permissions})"

    async def aclose(self) -> None:
        """Close the connection pool used for exchanges."""
        await self._client.aclose()

    async def probe(self) -> bool:
        """Exchange now; False when the server has no token exchange (404/405).

        Use it to decide whether read-only can be enforced by the server, or only by the
        client. A successful probe leaves its token cached for the first request.

        Raises:
            AuthenticationError: The API key was rejected.
            AmikaHTTPError, AmikaTransportError, AmikaResponseError: Other failures.
        """
        try:
            await self.token()
        except AmikaHTTPError as exc:
            if exc.status in (404, 405):
                return False
            raise
        return True

    async def _fetch(self) -> tuple[str, datetime | None]:
        """Exchange the key.

        Raises:
            NotFoundError: The server has no token exchange.
            AuthenticationError: The API key was rejected.
            AmikaHTTPError, AmikaTransportError, AmikaResponseError: as for the client.
        """
        issued = await self._client.exchange_api_key(
            self.audience,
            self.permissions,
            external_user_id=self._external_user_id,
            expires_in=self._expires_in,
        )
        self.last_issued = issued
        return issued.token, issued.expires_at

"""The async Amika API client: one keep-alive HTTP connection pool, retries, typed answers."""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from amika_tui import __version__
from amika_tui.api.backoff import backoff_delay
from amika_tui.api.errors import (
    AmikaResponseError,
    AmikaTransportError,
    AuthenticationError,
    InsecureTransportError,
    PermissionDeniedError,
    error_for_status,
)
from amika_tui.api.json_stream import InvalidJSON, NotAnArray, read_array
from amika_tui.api.models import CredentialType, IssuedToken, ProviderCredential, Scope, Secret
from amika_tui.api.tokens import StaticTokenSource, TokenSource, invalidate_source, resolve_token
from amika_tui.api.transport import is_insecure_url, is_loopback_url

__all__ = ["API_PREFIX", "USER_AGENT", "AmikaClient", "is_loopback_url"]

API_PREFIX = "/api/v0beta1"
"""Path every API route lives under; the client appends it to the host root."""

USER_AGENT = f"amika-tui/{__version__}"

_T = TypeVar("_T")
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE"})
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context of every client: certifi's CAs (or SSL_CERT_FILE / SSL_CERT_DIR, as
    httpx reads them), loaded once per process because loading them takes tens of ms."""
    return httpx.create_ssl_context()


def _context_for(url: httpx.URL) -> ssl.SSLContext:
    """`_tls_context` for https. A plain-http client (`--local`, loopback) never speaks TLS
    (it follows no redirects), so it skips loading the CAs: its context trusts none, and
    would fail closed if it ever did."""
    if url.scheme == "https":
        return _tls_context()
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class AmikaClient:
    """Async client of the Amika secrets API (`/api/v0beta1`).

    Use as an async context manager (or call `aclose()`): every request goes through one
    `httpx.AsyncClient`, so connections are reused. The token source is asked for a token
    before every request, so a source can cache and refresh.

    Retries: GET, PUT and DELETE are retried on connection errors, timeouts, 429, 502, 503
    and 504, with exponential backoff and jitter, honouring `Retry-After`, at most
    `max_retries` times. POST is retried only when the server cannot have acted on it: a
    connection that never opened, or a 429. A 401 with a source that has `invalidate()`
    invalidates it and retries once with a fresh token.

    Read-only (`read_only=True`): every request but a GET is refused before it is sent, in
    one place, so a write method added later is refused too.
    """

    def __init__(
        self,
        base_url: str,
        *,
        access_token: str | None = None,
        token_source: TokenSource | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_base: float = 0.25,
        backoff_max: float = 8.0,
        allow_insecure_http: bool = False,
        read_only: bool = False,
    ) -> None:
        """Create a client.

        Args:
            base_url: The host root, e.g. `https://app.amika.dev` (no `/api/v0beta1`).
            access_token: A fixed bearer token. Exactly one of this and `token_source`.
            token_source: Called before every request for the bearer token.
            timeout: Seconds for connecting, and for each read/write.
            max_retries: How many times a retryable failure is retried (0 = never).
            backoff_base: First backoff delay in seconds; doubles per retry.
            backoff_max: Upper bound of one backoff delay and of an honoured `Retry-After`;
                a server asking for a longer wait gets a `RateLimitedError` instead.
            allow_insecure_http: Send the token over plain http to non-loopback hosts too.
            read_only: Send nothing but GET requests; any other method raises
                `PermissionDeniedError` (code ``read_only_session``) without being sent.

        Raises:
            ValueError: Not exactly one of `access_token` / `token_source`, a base URL that
                is not http(s), or negative retry settings.
        """
        if (access_token is None) == (token_source is None):
            raise ValueError("AmikaClient needs exactly one of access_token or token_source")
        if max_retries < 0 or backoff_base < 0 or backoff_max < 0 or timeout <= 0:
            raise ValueError("timeout must be positive and retry settings non-negative")
        url = httpx.URL(base_url.rstrip("/"))
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        self.base_url = str(url)
        """The host root the client talks to."""
        self._api_url = url.copy_with(path=url.path.rstrip("/") + API_PREFIX)
        self._source: TokenSource = (
            token_source if token_source is not None else StaticTokenSource(str(access_token))
        )
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self.read_only = read_only
        """True when every request but a GET is refused before it is sent."""
        self._insecure_refused = is_insecure_url(url, allow_insecure_http=allow_insecure_http)
        self.rate_limited_count = 0
        """How many 429 answers this client has received, retried or not: a caller pacing
        its own requests (the push executor) watches it grow."""
        self._http = httpx.AsyncClient(
            verify=_context_for(url),
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"AmikaClient({self.base_url!r})"

    async def __aenter__(self) -> AmikaClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    # --- generic secrets -----------------------------------------------------------------

    async def list_secrets(self) -> list[Secret]:
        """List the caller's user-scoped secrets and its org's org-scoped ones (no values).

        Returns:
            The secret summaries, in the server's order.

        Raises:
            AuthenticationError: The token was rejected (after one refresh, if possible).
            AmikaHTTPError: Any other non-2xx answer (see the subclasses).
            AmikaTransportError: The server could not be reached or timed out.
            AmikaResponseError: The answer is not a list of secret summaries.
            InsecureTransportError: Plain http to a non-loopback host was not allowed.
        """
        where = _where("GET", "/secrets")
        shared: dict[str, str] = {}

        def secret(item: Any) -> Secret:
            return _parse_secret(item, where=where, shared=shared)

        # Parsed as the body arrives, each element a `Secret` at once, the ids every
        # secret repeats kept once: at 100,000 secrets the listing's bytes, its text, its
        # dicts and the models are never in memory together.
        async def read(response: httpx.Response) -> list[Secret]:
            try:
                return await read_array(response.aiter_bytes(), secret)
            except NotAnArray as other:
                return _as_list(other.value, where)  # raises, naming what it is
            except InvalidJSON:
                pass
            raise AmikaResponseError(
                "the body is not valid JSON", status=response.status_code, url=where
            )

        return await self._streamed("GET", "/secrets", read)

    async def create_secret(self, name: str, value: str, scope: Scope = Scope.USER) -> Secret:
        """Create a generic secret.

        Args:
            name: The secret's name (e.g. `OPENAI_API_KEY`).
            value: The secret value; it never appears in errors or logs.
            scope: `Scope.USER` (private) or `Scope.ORG` (visible to the whole org).

        Returns:
            The summary of the created secret.

        Raises:
            ConflictError: A secret with that name already exists.
            ValidationError: The server rejected the name, value or scope.
            AmikaTransportError: Not reached or timed out; when `request_sent` is True the
                secret may have been created (a POST is not retried blindly).
            AmikaHTTPError, AmikaResponseError, InsecureTransportError: as `list_secrets`.
        """
        body = {"name": name, "value": value, "scope": Scope(scope).value}
        data = await self._json("POST", "/secrets", body)
        return _parse_secret(data, where="POST /secrets")

    async def update_secret(self, secret_id: str, value: str) -> None:
        """Replace the value of an existing generic secret.

        Args:
            secret_id: The `id` from `list_secrets` / `create_secret`.
            value: The new value.

        Raises:
            NotFoundError: No secret with that id is visible to the caller.
            AmikaHTTPError, AmikaTransportError, InsecureTransportError: as `list_secrets`.
        """
        await self._request("PUT", f"/secrets/{_segment(secret_id, 'secret_id')}", {"value": value})

    # --- provider credentials ------------------------------------------------------------

    async def list_provider_secrets(self, provider: str) -> list[ProviderCredential]:
        """List the credentials stored for a provider (`claude`, `codex`, ...).

        Args:
            provider: The provider path segment.

        Returns:
            The credentials (id, name, type, scope; never values).

        Raises:
            NotFoundError: Unknown provider.
            AmikaHTTPError, AmikaTransportError, AmikaResponseError, InsecureTransportError:
                as `list_secrets`.
        """
        path = f"/secrets/{_segment(provider, 'provider')}"
        data = await self._json("GET", path)
        return [_parse_credential(item, where=f"GET {path}") for item in _as_list(data, path)]

    async def create_provider_secret(
        self,
        provider: str,
        name: str,
        value: str,
        type: CredentialType,
        scope: Scope = Scope.USER,
    ) -> ProviderCredential:
        """Store a provider credential.

        Args:
            provider: The provider path segment (`claude`, `codex`, ...).
            name: Credential name (e.g. `Claude OAuth`).
            value: The whole OAuth JSON document, or the bare API key.
            type: `CredentialType.OAUTH` or `CredentialType.API_KEY`.
            scope: `Scope.USER` or `Scope.ORG` (at most one org credential per provider).

        Returns:
            The created credential; its `type` is the one sent when the server omits it.

        Raises:
            ConflictError: Same name and scope exists, or the org already has one.
            ValidationError: E.g. an OAuth value that is not valid JSON.
            NotFoundError: Unknown provider.
            AmikaTransportError: As `create_secret` (check `request_sent`).
            AmikaHTTPError, AmikaResponseError, InsecureTransportError: as `list_secrets`.
        """
        path = f"/secrets/{_segment(provider, 'provider')}"
        body = {
            "name": name,
            "value": value,
            "type": CredentialType(type).value,
            "scope": Scope(scope).value,
        }
        data = await self._json("POST", path, body)
        return _parse_credential(
            data, where=f"POST {path}", default_type=CredentialType(type), default_scope=scope
        )

    async def delete_provider_secret(self, provider: str, credential_id: str) -> None:
        """Delete a provider credential.

        Args:
            provider: The provider path segment.
            credential_id: The credential's `id`.

        Raises:
            NotFoundError: No such credential (or provider).
            AmikaHTTPError, AmikaTransportError, InsecureTransportError: as `list_secrets`.
        """
        path = f"/secrets/{_segment(provider, 'provider')}/{_segment(credential_id, 'id')}"
        await self._request("DELETE", path)

    # --- tokens --------------------------------------------------------------------------

    async def exchange_api_key(
        self,
        audience: str,
        permissions: Sequence[str],
        *,
        external_user_id: str | None = None,
        expires_in: int | None = None,
    ) -> IssuedToken:
        """Buy a short-lived JWT limited to `audience` and `permissions` with this client's
        API key (`POST /auth/jwt`).

        Args:
            audience: Who the token is for (the server checks it on every request).
            permissions: E.g. `["secrets:read", "providers:read"]` for a read-only token.
            external_user_id: Your own id of the user, recorded in the token.
            expires_in: Requested lifetime in seconds (server default when None).

        Returns:
            The token and when it expires.

        Raises:
            NotFoundError: The server has no token exchange (a 404/405 means unsupported).
            AuthenticationError: The API key was rejected.
            PermissionDeniedError: The bearer is not an API key, or may not grant these.
            ValidationError: Unknown permission, bad audience or lifetime.
            AmikaTransportError, AmikaResponseError, InsecureTransportError: as `list_secrets`.
        """
        body: dict[str, Any] = {"audience": audience, "permissions": list(permissions)}
        if external_user_id is not None:
            body["external_user_id"] = external_user_id
        if expires_in is not None:
            body["expires_in"] = expires_in
        where = _where("POST", "/auth/jwt")
        data = await self._json("POST", "/auth/jwt", body)
        if not isinstance(data, dict):
            raise AmikaResponseError(f"expected a token object, got {_kind(data)}", url=where)
        token = _field(data, "token", where)
        expires_at = _timestamp(_field(data, "expires_at", where), "expires_at", where)
        return IssuedToken(token=token, expires_at=expires_at)

    # --- transport -----------------------------------------------------------------------

    async def _json(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        response = await self._request(method, path, body)
        try:
            return response.json()
        except ValueError:
            pass
        # Raised outside the except block so the decoder error (holding the body) is not chained.
        raise AmikaResponseError(
            "the body is not valid JSON", status=response.status_code, url=_where(method, path)
        )

    async def _streamed(
        self, method: str, path: str, read: Callable[[httpx.Response], Awaitable[_T]]
    ) -> _T:
        """What `read(response)` makes of a successful answer while its body streams in
        (retries and errors as `_request`)."""
        answer: _T = (await self._exchange(method, path, None, read))[1]
        return answer

    async def _request(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        """The successful answer, its body read (retries and errors: see the class)."""
        return (await self._exchange(method, path, body, None))[1]

    async def _exchange(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        read: Callable[[httpx.Response], Awaitable[Any]] | None,
    ) -> tuple[int, Any]:
        """Send the request, retrying as the class says: (status, answer) of a 2xx, where
        the answer is the response with its body read or, with `read`, what `read` made
        of its streaming body. Any other answer raises its `AmikaError`."""
        if self.read_only and method != "GET":
            raise PermissionDeniedError(
                403,
                "",
                "read_only_session",
                f"this session is read-only: {_where(method, path)} was not sent to the server",
            )
        url = self._api_url.copy_with(path=self._api_url.path + path)
        if self._insecure_refused:
            raise InsecureTransportError(str(url))
        retries = 0
        reauthenticated = False
        while True:
            token = await self._token()
            failure: AmikaTransportError | None = None
            request = self._http.build_request(
                method, url, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            try:
                response = await self._http.send(request, stream=True)
                try:
                    if read is not None and response.is_success:
                        answer = await read(response)
                    else:
                        await response.aread()
                        answer = response
                finally:
                    await response.aclose()
            except httpx.RequestError as exc:
                failure = _transport_error(exc, str(url))
            if failure is not None:
                # Raised outside the except block: no chained httpx error (whose request
                # carries the Authorization header) rides along.
                may_retry = method in _IDEMPOTENT or not failure.request_sent
                if not may_retry or retries >= self._max_retries:
                    raise failure
                await asyncio.sleep(self._backoff(retries))
                retries += 1
                continue

            status = response.status_code
            if 200 <= status < 300:
                return status, answer
            if status == 429:
                self.rate_limited_count += 1
            if status == 401 and not reauthenticated:
                reauthenticated = True
                if await invalidate_source(self._source):
                    continue
            retry_after = _retry_after(response.headers.get("Retry-After"))
            # A 429 means the server did not act on the request, so even a POST may repeat.
            retryable = status in _RETRY_STATUSES and (method in _IDEMPOTENT or status == 429)
            too_long = retry_after is not None and retry_after > self._backoff_max
            if retryable and retries < self._max_retries and not too_long:
                await asyncio.sleep(self._backoff(retries, retry_after))
                retries += 1
                continue
            raise error_for_status(status, response.text, retry_after=retry_after)

    async def _token(self) -> str:
        token = await resolve_token(self._source)
        if not isinstance(token, str) or not token.strip():
            raise AuthenticationError(401, "", None, "the token source returned no token")
        token = token.strip()
        # An HTTP header carries printable ASCII only; httpx would fail with an error whose
        # repr quotes the whole "Bearer <token>" (e.g. a key pasted with smart quotes).
        if not (token.isascii() and token.isprintable()):
            raise AuthenticationError(
                401, "", None, "the token contains characters a bearer token cannot have"
            )
        return token

    def _backoff(self, retry: int, retry_after: float | None = None) -> float:
        return backoff_delay(
            retry, base=self._backoff_base, cap=self._backoff_max, retry_after=retry_after
        )


# --- helpers -------------------------------------------------------------------------------


def _segment(value: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string")
    return quote(value, safe="")


def _where(method: str, path: str) -> str:
    return f"{method} {API_PREFIX}{path}"


# (httpx failure, what to say, whether the request may have reached the server); the first
# match wins, so subclasses come before their bases.
_TRANSPORT_FAILURES: tuple[tuple[type[httpx.HTTPError], str, bool], ...] = (
    (httpx.ConnectTimeout, "timed out connecting", False),
    (httpx.ConnectError, "could not connect", False),
    (httpx.PoolTimeout, "no free connection", False),
    (httpx.ReadTimeout, "timed out waiting for the answer", True),
    (httpx.WriteTimeout, "timed out sending the request", True),
    (httpx.RemoteProtocolError, "the server dropped the connection", True),
    (httpx.NetworkError, "the connection failed", True),
    (httpx.DecodingError, "the answer could not be decoded", True),
)


def _transport_error(exc: httpx.RequestError, url: str) -> AmikaTransportError:
    """Map an httpx failure to one error that says whether the request may have landed."""
    for kind, message, sent in _TRANSPORT_FAILURES:
        if isinstance(exc, kind):
            return AmikaTransportError(message, url=url, request_sent=sent)
    return AmikaTransportError(
        f"the request could not be sent ({type(exc).__name__})", url=url, request_sent=False
    )


def _retry_after(header: str | None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date."""
    if header is None:
        return None
    header = header.strip()
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def _as_list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise AmikaResponseError(f"expected a JSON array, got {_kind(data)}", url=where)
    return data


def _kind(data: Any) -> str:
    if data is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(data), "a number"
    )


def _field(item: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    if key not in item or item[key] is None:
        if optional:
            return None
        raise AmikaResponseError(f"missing field {key!r}", url=where)
    value = item[key]
    if not isinstance(value, str):
        raise AmikaResponseError(f"field {key!r} should be a string, got {_kind(value)}", url=where)
    return value


def _scope(value: str | None, where: str, default: Scope | None = None) -> Scope:
    if value is None:
        if default is None:
            raise AmikaResponseError("missing field 'scope'", url=where)
        return Scope(default)
    try:
        return Scope(value)
    except ValueError:
        raise AmikaResponseError(f"unknown scope {value!r}", url=where) from None


def _timestamp(value: str, key: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise AmikaResponseError(f"field {key!r} is not an RFC 3339 time", url=where) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _parse_secret(item: Any, *, where: str, shared: dict[str, str] | None = None) -> Secret:
    """`item` as a `Secret`; with `shared`, equal org and user ids become one string."""
    if not isinstance(item, dict):
        raise AmikaResponseError(f"expected a secret object, got {_kind(item)}", url=where)
    org_id = _field(item, "org_id", where, optional=True)
    user_id = _field(item, "user_id", where, optional=True)
    if shared is not None:
        org_id = org_id and shared.setdefault(org_id, org_id)
        user_id = user_id and shared.setdefault(user_id, user_id)
    created = _field(item, "created_at", where)
    updated = _field(item, "updated_at", where)
    created_at = _timestamp(created, "created_at", where)
    return Secret(
        id=_field(item, "id", where),
        org_id=org_id,
        user_id=user_id,
        name=_field(item, "name", where),
        description=_field(item, "description", where, optional=True),
        scope=_scope(_field(item, "scope", where), where),
        created_at=created_at,
        # a secret never updated has one moment: one object
        updated_at=created_at if updated == created else _timestamp(updated, "updated_at", where),
    )


def _parse_credential(
    item: Any,
    *,
    where: str,
    default_type: CredentialType | None = None,
    default_scope: Scope | None = None,
) -> ProviderCredential:
    if not isinstance(item, dict):
        raise AmikaResponseError(f"expected a credential object, got {_kind(item)}", url=where)
    raw_type = _field(item, "type", where, optional=True)
    try:
        cred_type = CredentialType(raw_type) if raw_type is not None else default_type
    except ValueError:
        cred_type = None  # a type this client does not know yet; still list it
    return ProviderCredential(
        id=_field(item, "id", where),
        name=_field(item, "name", where),
        type=cred_type,
        scope=_scope(_field(item, "scope", where, optional=True), where, default_scope),
    )

"""Refreshing token sources: a backend token provider (local stub, real HTTP) and the API
key → scoped JWT exchange of the reference server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from amika_tui.api import (
    READ_ONLY_PERMISSIONS,
    AmikaClient,
    AmikaTransportError,
    ApiKeyExchangeSource,
    AuthenticationError,
    PermissionDeniedError,
    TokenProviderSource,
    ValidationError,
)
from tests.api.stub_http import closed_port_url, serve_asgi
from tests.conftest import Tenant

READ_ONLY = ("secrets:read", "providers:read")


@dataclass
class Provider:
    """A stand-in for the user's own backend token endpoint."""

    url: str
    answers: list[tuple[int, str]] = field(default_factory=list)
    fetches: int = 0

    def answer(self, status: int, body: object) -> None:
        """Queue an answer (the last one repeats)."""
        self.answers.append((status, body if isinstance(body, str) else json.dumps(body)))


@pytest.fixture(scope="module")
def _provider_server() -> Iterator[tuple[str, list[Provider]]]:
    current: list[Provider] = []

    async def token(request: Request) -> Response:
        provider = current[0]
        provider.fetches += 1
        status, body = provider.answers.pop(0) if len(provider.answers) > 1 else provider.answers[0]
        return Response(body, status_code=status, media_type="application/json")

    with serve_asgi(Starlette(routes=[Route("/token", token)])) as url:
        yield url, current


@pytest.fixture
def provider(_provider_server: tuple[str, list[Provider]]) -> Provider:
    url, current = _provider_server
    current[:] = [Provider(f"{url}/token?session=cookie-secret-42")]
    return current[0]


# --- token provider URL -------------------------------------------------------------------


async def test_provider_token_is_cached_across_requests(tenant: Tenant, provider: Provider) -> None:
    provider.answer(200, {"accessToken": tenant.api_key})
    source = TokenProviderSource(provider.url)
    async with AmikaClient(tenant.url, token_source=source) as client:
        await client.create_secret("VIA_PROVIDER", "provider-value")
        assert [s.name for s in await client.list_secrets()] == ["VIA_PROVIDER"]
    assert provider.fetches == 1


async def test_api_401_refetches_from_the_provider_once(tenant: Tenant, provider: Provider) -> None:
    provider.answer(200, {"accessToken": "stale-token-from-provider"})
    provider.answer(200, {"access_token": tenant.api_key})
    async with AmikaClient(tenant.url, token_source=TokenProviderSource(provider.url)) as client:
        assert await client.list_secrets() == []
    assert provider.fetches == 2
    assert tenant.statuses("GET", "/secrets", at_least=2) == [401, 200]


async def test_invalidate_and_expiry_cause_a_new_fetch(provider: Provider) -> None:
    provider.answer(200, {"accessToken": "t1", "expiresIn": 3600})
    provider.answer(200, {"accessToken": "t2", "expiresAt": int(time.time() * 1000) + 30_000})
    provider.answer(200, {"accessToken": "t3", "expires_at": "2999-01-01T00:00:00Z"})
    source = TokenProviderSource(provider.url)
    assert await source.token() == "t1"
    assert await source.token() == "t1"
    source.invalidate()
    assert await source.token() == "t2"  # expires in 30 s: inside the 60 s margin
    assert await source.token() == "t3"
    assert await source.token() == "t3"
    assert provider.fetches == 3


async def test_concurrent_requests_share_one_fetch(provider: Provider) -> None:
    provider.answer(200, {"accessToken": "shared"})
    source = TokenProviderSource(provider.url)
    assert set(await asyncio.gather(*(source.token() for _ in range(8)))) == {"shared"}
    assert provider.fetches == 1


@pytest.mark.parametrize(
    ("status", "body", "why"),
    [
        (401, {"error": "login required"}, "HTTP 401"),
        (403, {"error": "forbidden"}, "HTTP 403"),
        (503, "down", "HTTP 503"),
        (200, "not json {", "not answer a JSON object"),
        (200, {"token": "wrong-field-token"}, "without an accessToken"),
        (200, {"accessToken": ""}, "without an accessToken"),
    ],
)
async def test_provider_failures_are_authentication_errors_naming_the_url(
    provider: Provider, status: int, body: object, why: str
) -> None:
    provider.answer(status, body)
    source = TokenProviderSource(provider.url)
    with pytest.raises(AuthenticationError) as caught:
        await source.token()
    message = caught.value.user_message()
    assert why in message
    assert provider.url.split("?")[0] in message
    for text in (message, str(caught.value), repr(caught.value), repr(source)):
        assert "cookie-secret-42" not in text
        assert "wrong-field-token" not in text


async def test_unreachable_provider_is_a_transport_error() -> None:
    url = closed_port_url() + "/token"
    with pytest.raises(AmikaTransportError) as caught:
        await TokenProviderSource(url).token()
    assert url in caught.value.user_message()
    assert caught.value.request_sent is False


@pytest.mark.parametrize("url", ["http://tokens.example.com/t", "http://tokens.localhost/t"])
async def test_plain_http_provider_off_loopback_is_refused(url: str) -> None:
    # refused like any failing provider (a 401-kind error naming it), so the app signs out
    with pytest.raises(AuthenticationError) as caught:
        await TokenProviderSource(url).token()
    assert caught.value.user_message() == (
        f"token_provider_error: token provider {url} is not used: tokens never travel over"
        " plain http except to this machine (localhost, 127.0.0.1, [::1]): use https"
    )


# --- API key -> scoped JWT ----------------------------------------------------------------


async def test_read_only_jwt_can_read_but_the_server_refuses_writes(tenant: Tenant) -> None:
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, "amika-api", READ_ONLY)
    async with AmikaClient(tenant.url, token_source=source) as client:
        assert await client.list_secrets() == []
        assert await client.list_provider_secrets("claude") == []
        with pytest.raises(PermissionDeniedError) as caught:
            await client.create_secret("MUST_NOT_LAND", "read-only-value")
    await source.aclose()
    assert "secrets:write" in caught.value.user_message()
    assert tenant.stored_secrets() == []
    assert source.fetches == 1
    assert tenant.statuses("POST", "/auth/jwt", at_least=1) == [200]
    # The refusal is answered to this tenant's token (a fault injected into another test's
    # late request logs no user, so `statuses` would count it too).
    assert [
        e.status
        for e in tenant.server.request_log()
        if e.method == "POST" and e.path.endswith("/secrets") and e.user == tenant.email
    ] == [403]
    assert source.last_issued is not None
    assert source.last_issued.token not in repr(source.last_issued)
    assert tenant.api_key not in repr(source)


async def test_full_permission_jwt_writes_as_the_key_owner(tenant: Tenant) -> None:
    permissions = ("secrets:read", "secrets:write")
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, tenant.url, permissions)
    async with AmikaClient(tenant.url, token_source=source) as client:
        await client.create_secret("VIA_JWT", "jwt-value")
    await source.aclose()
    [row] = [r for r in tenant.stored_secrets() if r["name"] == "VIA_JWT"]
    assert row["email"] == tenant.email


async def test_token_near_expiry_is_exchanged_again(tenant: Tenant) -> None:
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, "amika-api", READ_ONLY, expires_in=30)
    first = await source.token()
    second = await source.token()  # 30 s left is inside the 60 s margin
    await source.aclose()
    assert source.fetches == 2
    assert first and second


async def test_expired_jwt_is_replaced_after_the_servers_401(tenant: Tenant) -> None:
    # The server's clock runs two hours ahead of the client's: the client believes its
    # one-hour token is still good, the server says 401 token_expired; the client
    # invalidates, exchanges again and retries once.
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, "amika-api", READ_ONLY)
    async with AmikaClient(tenant.url, token_source=source) as client:
        await client.list_secrets()
        tenant.server.faults.clock_offset_s = 2 * 3600
        assert await client.list_secrets() == []
    await source.aclose()
    assert source.fetches == 2
    assert tenant.statuses("GET", "/secrets", at_least=3) == [200, 401, 200]


async def test_wrong_audience_is_retried_once_then_an_authentication_error(
    tenant: Tenant,
) -> None:
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, "someone-else", READ_ONLY)
    async with AmikaClient(tenant.url, token_source=source) as client:
        with pytest.raises(AuthenticationError, match="invalid_audience"):
            await client.list_secrets()
    await source.aclose()
    assert source.fetches == 2
    assert tenant.statuses("GET", "/secrets", at_least=2) == [401, 401]


async def test_exchange_errors_surface_as_api_errors(tenant: Tenant) -> None:
    bad_key = ApiKeyExchangeSource(tenant.url, "not-a-key-123", "amika-api", READ_ONLY)
    with pytest.raises(AuthenticationError, match="invalid_api_key") as caught:
        await bad_key.token()
    assert "not-a-key-123" not in str(caught.value)
    await bad_key.aclose()
    unknown = ApiKeyExchangeSource(tenant.url, tenant.api_key, "amika-api", ["secrets:drop"])
    with pytest.raises(ValidationError, match="invalid_permissions"):
        await unknown.token()
    await unknown.aclose()


async def test_probe_says_the_reference_server_supports_the_exchange(tenant: Tenant) -> None:
    source = ApiKeyExchangeSource(tenant.url, tenant.api_key, "amika-api", READ_ONLY_PERMISSIONS)
    assert await source.probe() is True
    await source.token()  # the probe's token is reused
    await source.aclose()
    assert source.fetches == 1

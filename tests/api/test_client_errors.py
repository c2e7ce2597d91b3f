"""Each error class from a real status of the reference server, retries and their limits."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from amika_tui.api import (
    AmikaClient,
    AmikaError,
    AmikaTransportError,
    AuthenticationError,
    ConflictError,
    CredentialType,
    InsecureTransportError,
    NotFoundError,
    RateLimitedError,
    Scope,
    ServerError,
    ValidationError,
)
from tests.api.conftest import ClientFactory
from tests.api.stub_http import closed_port_url
from tests.conftest import Tenant

SECRET_TOKEN = "amk_live_tok_3f9c2d1e8b7a6f5e4d3c2b1a"


def _assert_no_token(error: BaseException, *secrets: str) -> None:
    texts = [str(error), repr(error), error.args.__repr__()]
    if isinstance(error, AmikaError):
        texts.append(error.user_message())
    for secret in secrets:
        for text in texts:
            assert secret not in text
    assert error.__cause__ is None


async def _wait_for(condition: object, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


# --- statuses -> classes ------------------------------------------------------------------


async def test_bad_api_key_is_an_authentication_error_without_the_key(tenant: Tenant) -> None:
    async with AmikaClient(tenant.url, access_token=SECRET_TOKEN) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_secrets()
    error = caught.value
    assert error.status == 401
    assert error.code == "invalid_api_key"
    assert error.user_message() == "invalid_api_key: the API key is not valid"
    _assert_no_token(error, SECRET_TOKEN)


async def test_unknown_provider_is_not_found(make_client: ClientFactory) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.list_provider_secrets("no-such-agent")
    assert caught.value.status == 404
    assert caught.value.user_message().startswith(f"{caught.value.code}: ")


async def test_update_of_unknown_secret_and_delete_of_unknown_credential_are_not_found(
    make_client: ClientFactory,
) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError, match="secret_not_found"):
            await client.update_secret("does-not-exist", "new-secret-value")
        with pytest.raises(NotFoundError, match="credential_not_found"):
            await client.delete_provider_secret("claude", "does-not-exist")


async def test_duplicate_secret_is_a_conflict_without_the_value(
    make_client: ClientFactory,
) -> None:
    async with make_client() as client:
        await client.create_secret("DUPLICATE", "first-secret-value")
        with pytest.raises(ConflictError) as caught:
            await client.create_secret("DUPLICATE", "second-secret-value")
    assert caught.value.status == 409
    assert caught.value.code == "secret_already_exists"
    _assert_no_token(caught.value, "second-secret-value", "first-secret-value")


async def test_second_org_credential_for_a_provider_is_a_conflict(
    make_client: ClientFactory,
) -> None:
    async with make_client() as client:
        await client.create_provider_secret(
            "codex", "One", "sk-one-123456789", CredentialType.API_KEY, Scope.ORG
        )
        with pytest.raises(ConflictError, match="credential_already_exists"):
            await client.create_provider_secret(
                "codex", "Two", "sk-two-123456789", CredentialType.API_KEY, Scope.ORG
            )


async def test_oauth_value_that_is_not_json_is_a_validation_error(
    make_client: ClientFactory,
) -> None:
    async with make_client() as client:
        with pytest.raises(ValidationError) as caught:
            await client.create_provider_secret(
                "claude", "Claude OAuth", "not-json-secret", CredentialType.OAUTH
            )
    assert caught.value.status == 400
    _assert_no_token(caught.value, "not-json-secret")


async def test_rate_limit_with_a_long_retry_after_raises_at_once(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.rate_limit = 0.001  # one request, then ~1000 s until the next
    async with make_client(max_retries=3) as client:
        await client.list_secrets()
        with pytest.raises(RateLimitedError) as caught:
            await client.list_secrets()
    assert caught.value.status == 429
    assert caught.value.retry_after is not None and caught.value.retry_after > 100
    # Not retried: the server asks for a longer wait than backoff_max.
    assert tenant.statuses("GET", at_least=2) == [200, 429]


async def test_persistent_503_is_a_server_error_after_bounded_retries(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.fail_rate = 1.0
    async with make_client(max_retries=2) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_secrets()
    assert caught.value.status == 503
    assert caught.value.user_message() == "service_unavailable: injected failure"
    assert tenant.statuses("GET", at_least=3) == [503, 503, 503]


# --- retries ------------------------------------------------------------------------------


async def test_get_is_retried_on_503_until_it_succeeds(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.fail_rate = 1.0
    async with make_client(max_retries=10_000, backoff_base=0.002, backoff_max=0.005) as client:
        task = asyncio.create_task(client.list_secrets())
        await _wait_for(lambda: len(tenant.statuses("GET")) >= 2, "two failed attempts")
        tenant.server.faults.fail_rate = 0.0
        assert await task == []
    await _wait_for(lambda: 200 in tenant.statuses("GET"), "the successful attempt")
    statuses = tenant.statuses("GET")
    assert statuses[-1] == 200
    assert set(statuses[:-1]) == {503}
    assert len(statuses) >= 3


async def test_put_is_retried_on_503(tenant: Tenant, make_client: ClientFactory) -> None:
    async with make_client(max_retries=10_000, backoff_base=0.002, backoff_max=0.005) as client:
        created = await client.create_secret("RETRIED", "before")
        tenant.server.faults.fail_rate = 1.0
        task = asyncio.create_task(client.update_secret(created.id, "after"))
        await _wait_for(lambda: 503 in tenant.statuses("PUT"), "a failed PUT")
        tenant.server.faults.fail_rate = 0.0
        await task
    await _wait_for(lambda: tenant.statuses("PUT")[-1] < 300, "the successful attempt")
    [row] = [r for r in tenant.stored_secrets() if r["name"] == "RETRIED"]
    assert row["value"] == "after"


async def test_post_is_not_retried_on_503(tenant: Tenant, make_client: ClientFactory) -> None:
    tenant.server.faults.fail_rate = 1.0
    async with make_client(max_retries=5) as client:
        with pytest.raises(ServerError):
            await client.create_secret("NOT_RETRIED", "some-secret-value")
    assert tenant.statuses("POST", at_least=1) == [503]


async def test_post_that_landed_before_a_503_is_not_created_twice(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.fail_after_commit_rate = 1.0
    async with make_client(max_retries=5) as client:
        with pytest.raises(ServerError):
            await client.create_secret("LANDED", "landed-secret-value")
        tenant.server.faults.fail_after_commit_rate = 0.0
        names = [s.name for s in await client.list_secrets()]
    assert names == ["LANDED"]
    assert tenant.statuses("POST", at_least=1) == [503]


async def test_post_whose_connection_dropped_after_commit_is_not_sent_again(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.drop_after_commit_rate = 1.0
    async with make_client(max_retries=5) as client:
        with pytest.raises(AmikaTransportError) as caught:
            await client.create_secret("DROPPED", "dropped-secret-value")
        tenant.server.faults.reset()
        names = [s.name for s in await client.list_secrets()]
    error = caught.value
    assert error.request_sent is True
    assert "may have reached the server" in error.user_message()
    _assert_no_token(error, tenant.api_key, "dropped-secret-value")
    assert names == ["DROPPED"]
    assert tenant.statuses("POST", at_least=1) == [0]  # one POST, its answer never sent


async def test_retry_after_is_honoured(tenant: Tenant, make_client: ClientFactory) -> None:
    # 1 request/second: the second request gets 429 + Retry-After: 1. A client that ignored
    # the header would retry after a millisecond, be refused twice more and give up.
    tenant.server.faults.rate_limit = 1.0
    async with make_client(max_retries=2, backoff_base=0.001, backoff_max=5.0) as client:
        await client.list_secrets()
        assert await client.list_secrets() == []
    assert tenant.statuses("GET", at_least=3) == [200, 429, 200]


async def test_post_is_retried_after_a_429_because_it_was_not_processed(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.faults.rate_limit = 1.0
    async with make_client(max_retries=2, backoff_base=0.001, backoff_max=5.0) as client:
        await client.list_secrets()
        created = await client.create_secret("AFTER_429", "value-after-429")
    assert created.name == "AFTER_429"
    assert tenant.statuses("POST", at_least=2) == [429, 201]


# --- 401 and token sources ----------------------------------------------------------------


class RotatingSource:
    """Hands out `tokens` in turn; `invalidate()` moves to the next one."""

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.invalidations = 0

    def token(self) -> str:
        return self.tokens[min(self.invalidations, len(self.tokens) - 1)]

    def invalidate(self) -> None:
        self.invalidations += 1


async def test_401_invalidates_the_source_and_retries_once(tenant: Tenant) -> None:
    source = RotatingSource(SECRET_TOKEN, tenant.api_key)
    async with AmikaClient(tenant.url, token_source=source) as client:
        created = await client.create_secret("AFTER_REFRESH", "fresh-value")
    assert created.name == "AFTER_REFRESH"
    assert source.invalidations == 1
    assert tenant.statuses("POST", at_least=2) == [401, 201]


async def test_401_twice_raises_after_a_single_retry(tenant: Tenant) -> None:
    source = RotatingSource(SECRET_TOKEN, SECRET_TOKEN + "-still-wrong")
    async with AmikaClient(tenant.url, token_source=source) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_secrets()
    assert source.invalidations == 1
    assert tenant.statuses("GET", at_least=2) == [401, 401]
    _assert_no_token(caught.value, SECRET_TOKEN)


async def test_401_without_invalidate_is_not_retried(tenant: Tenant) -> None:
    async with AmikaClient(tenant.url, access_token=SECRET_TOKEN) as client:
        with pytest.raises(AuthenticationError):
            await client.list_secrets()
    assert tenant.statuses("GET", at_least=1) == [401]


async def test_async_invalidate_is_awaited(tenant: Tenant) -> None:
    class AsyncSource:
        def __init__(self) -> None:
            self.current = SECRET_TOKEN

        async def token(self) -> str:
            return self.current

        async def invalidate(self) -> None:
            self.current = tenant.api_key

    async with AmikaClient(tenant.url, token_source=AsyncSource()) as client:
        assert await client.list_secrets() == []


async def test_empty_token_is_an_authentication_error_before_any_request(
    tenant: Tenant,
) -> None:
    async with AmikaClient(tenant.url, access_token="  ") as client:
        with pytest.raises(AuthenticationError, match="no token"):
            await client.list_secrets()
    assert tenant.statuses("GET", at_least=0) == []


@pytest.mark.parametrize(
    "token", ["\u201camk_pasted_with_smart_quotes_9f8e7d\u201d", "amk_with\ttab_9f8e7d"]
)
async def test_token_a_header_cannot_carry_is_refused_without_quoting_it(
    tenant: Tenant, token: str
) -> None:
    # httpx would raise a UnicodeEncodeError whose repr quotes "Bearer <token>" in full.
    async with AmikaClient(tenant.url, access_token=token) as client:
        with pytest.raises(AuthenticationError, match="characters a bearer token cannot have"):
            await client.list_secrets()
        with pytest.raises(AuthenticationError) as caught:
            await client.create_secret("NEVER", "never-sent-value")
    _assert_no_token(caught.value, token, "9f8e7d", "never-sent-value")
    assert caught.value.__context__ is None
    assert tenant.statuses("GET", at_least=0) == []


# --- transport ----------------------------------------------------------------------------


async def test_read_timeout_says_the_request_may_have_been_sent(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    # A wide gap between the two, so a loaded machine still connects in time and then
    # times out reading long before the answer could come.
    tenant.server.faults.latency_ms = 5000
    async with make_client(timeout=0.3, max_retries=0) as client:
        with pytest.raises(AmikaTransportError) as caught:
            await client.create_secret("SLOW", "slow-secret-value")
    error = caught.value
    assert error.request_sent is True
    assert tenant.url in error.user_message()
    assert "may have reached the server" in error.user_message()
    _assert_no_token(error, tenant.api_key, "slow-secret-value")
    assert error.__context__ is None


async def test_connection_refused_says_nothing_was_sent(tenant: Tenant) -> None:
    url = closed_port_url()
    async with AmikaClient(
        url, access_token=SECRET_TOKEN, max_retries=2, backoff_base=0.001, backoff_max=0.002
    ) as client:
        with pytest.raises(AmikaTransportError) as caught:
            await client.create_secret("NEVER_SENT", "never-sent-value")
    error = caught.value
    assert error.request_sent is False
    assert url in error.user_message()
    _assert_no_token(error, SECRET_TOKEN, "never-sent-value")


@pytest.mark.parametrize(
    "url",
    [
        "http://app.amika.dev",
        "http://10.1.2.3:8080",
        "http://example.localdomain",
        # loopback means exactly `localhost` or a loopback address, never a name to resolve
        "http://evil.localhost",
        "http://localhost.evil.example",
        "http://localhost.",
    ],
)
async def test_bearer_token_is_refused_over_plain_http_to_other_hosts(url: str) -> None:
    async with AmikaClient(url, access_token=SECRET_TOKEN) as client:
        with pytest.raises(InsecureTransportError) as caught:
            await client.list_secrets()
    message = caught.value.user_message()
    assert url in message
    assert "use https" in message
    assert "allow_insecure_http" not in message  # no advice a command-line user cannot take
    _assert_no_token(caught.value, SECRET_TOKEN)


async def test_allow_insecure_http_lets_the_request_go_out(tenant: Tenant) -> None:
    # 0.0.0.0 is not a loopback address by name, yet Linux routes it to this machine: the
    # request reaches the local server instead of being refused up front (no traffic leaves).
    port = httpx.URL(tenant.url).port
    async with AmikaClient(
        f"http://0.0.0.0:{port}", access_token=tenant.api_key, allow_insecure_http=True
    ) as client:
        assert await client.list_secrets() == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.8.9.10"])
async def test_plain_http_to_loopback_is_allowed(host: str) -> None:
    # Loopback is fine even without TLS; nothing listens, so the outcome is a transport error.
    url = closed_port_url().replace("127.0.0.1", host)
    async with AmikaClient(url, access_token=SECRET_TOKEN, max_retries=0) as client:
        with pytest.raises(AmikaTransportError):
            await client.list_secrets()

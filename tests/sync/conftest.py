"""Sync test helpers: a client and an executor bound to a fresh tenant, with tiny backoff."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from amika_tui.api import AmikaClient
from amika_tui.sync.executor import RetryPolicy
from tests.conftest import Tenant

FAST_RETRY = RetryPolicy(max_attempts=20, backoff_base=0.001, backoff_max=0.01)
"""Item-level retries for tests: many and quick, so fault-rate tests converge fast.

With a 30 % fail rate an attempt at a create fails about a third of the time, so 8 attempts
would leave one item of a 30-item push failing about once in 400 runs; 20 make it
practically never."""


@pytest.fixture
async def client(tenant: Tenant) -> AsyncIterator[AmikaClient]:
    """A client for the tenant with fast client-level retries."""
    async with AmikaClient(
        tenant.url, access_token=tenant.api_key, backoff_base=0.001, backoff_max=0.01
    ) as client:
        yield client


def stored(tenant: Tenant, kind: str = "secret") -> list[dict[str, Any]]:
    """What the server holds for the tenant (user's own and its org's), values decrypted."""
    return [
        row
        for row in tenant.server.stored_secrets()
        if row["kind"] == kind and row["org"] == tenant.org
    ]


def stored_values(tenant: Tenant, kind: str = "secret") -> dict[tuple[str, str], str]:
    """(scope, name) -> value; asserts there are no duplicates."""
    rows = stored(tenant, kind)
    keys = [(row["scope"], row["name"]) for row in rows]
    assert len(keys) == len(set(keys)), "duplicate secrets stored"
    return {(row["scope"], row["name"]): row["value"] for row in rows}


class FakeTime:
    """An injected clock and sleep for the executor: time stands still until the executor
    sleeps; a sleep records its length, moves the clock on at once and then runs
    ``on_sleep`` (where a test changes the server's faults "while" the executor waits)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[], Awaitable[None]] | None = None

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, delay: float) -> None:
        """Record ``delay``, advance the clock by it, run ``on_sleep``."""
        self.sleeps.append(delay)
        self.now += delay
        if self.on_sleep is not None:
            await self.on_sleep()


class BeforeRequest:
    """A token source for the tenant's key that runs ``hook`` once, just before the client
    sends its request number ``number`` (counting from 1): a fault can be switched off, or
    someone else can write, between two given requests."""

    def __init__(self, api_key: str, number: int, hook: Callable[[], Awaitable[None]]) -> None:
        self.api_key = api_key
        self.number = number
        self.hook = hook
        self.requests = 0

    async def token(self) -> str:
        """The key, after running the hook when this is the chosen request."""
        self.requests += 1
        if self.requests == self.number:
            await self.hook()
        return self.api_key


class FailingRequests:
    """A token source for the tenant's key that makes the server answer exactly the requests
    numbered in ``failing`` (counting from 1) with a 503, and every other one normally."""

    def __init__(self, tenant: Tenant, failing: set[int]) -> None:
        self.tenant = tenant
        self.failing = failing
        self.requests = 0

    async def token(self) -> str:
        """The key, with the server's fail rate set for the request about to be sent."""
        self.requests += 1
        self.tenant.server.faults.fail_rate = 1.0 if self.requests in self.failing else 0.0
        return self.tenant.api_key


def requests_of(tenant: Tenant) -> list[tuple[str, str, int]]:
    """(method, path after the API prefix, status) of the tenant's logged requests, in order
    (an injected fault answers before authentication, so requests without a user count)."""
    return [
        (entry.method, entry.path.removeprefix("/api/v0beta1"), entry.status)
        for entry in tenant.server.request_log()
        if entry.user in (tenant.email, None)
    ]

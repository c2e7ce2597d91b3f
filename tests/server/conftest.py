"""Raw-HTTP helpers for the server's contract tests (httpx directly, not our client)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant

API = "/api/v0beta1"

SUMMARY_KEYS = {
    "id",
    "org_id",
    "user_id",
    "name",
    "description",
    "scope",
    "created_at",
    "updated_at",
}
"""The fields of a SecretSummary (amika-reference.md section 1)."""


def assert_envelope(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The response is `status` with a `{type, code, message}` body (and `code` if given)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "code", "message"}, body
    assert all(isinstance(body[k], str) and body[k] for k in body), body
    if code is not None:
        assert body["code"] == code, body
    return body


def client_for(tenant: Tenant) -> httpx.Client:
    """A client whose relative paths start at `/api/v0beta1`, authenticated as `tenant`."""
    return httpx.Client(base_url=tenant.url + API, headers=tenant.headers(), timeout=60.0)


@pytest.fixture
def api(tenant: Tenant) -> Iterator[httpx.Client]:
    """Raw HTTP as the `tenant` user."""
    with client_for(tenant) as client:
        yield client


def create_secret(
    client: httpx.Client, name: str, value: str = "v", scope: str = "user"
) -> dict[str, Any]:
    """POST /secrets and return the 201 body."""
    response = client.post("/secrets", json={"name": name, "value": value, "scope": scope})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def create_credential(
    client: httpx.Client,
    provider: str,
    name: str,
    *,
    value: str = "sk-test-123",
    type: str = "api_key",
    scope: str | None = None,
) -> httpx.Response:
    """POST /secrets/{provider}."""
    body: dict[str, Any] = {"name": name, "value": value, "type": type}
    if scope is not None:
        body["scope"] = scope
    return client.post(f"/secrets/{provider}", json=body)


@contextmanager
def listing_in_background(tenant: Tenant) -> Iterator[list[httpx.Response]]:
    """`GET /secrets` as `tenant` in a thread; its answer is in the yielded list once the
    block has ended (open any gate that holds it before then)."""
    answers: list[httpx.Response] = []
    worker = threading.Thread(
        target=lambda: answers.append(
            httpx.get(tenant.url + API + "/secrets", headers=tenant.headers(), timeout=120)
        )
    )
    worker.start()
    try:
        yield answers
    finally:
        worker.join(timeout=120)

"""Routing: the envelope on unknown routes, 405 on deleting generic secrets."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Tenant
from tests.server.conftest import assert_envelope, create_secret


def test_generic_secrets_cannot_be_deleted(api: httpx.Client) -> None:
    secret = create_secret(api, "KEEP")
    response = api.delete(f"/secrets/{secret['id']}")
    body = assert_envelope(response, 405, "method_not_allowed")
    assert "cannot be deleted" in body["message"]
    assert "DELETE" not in response.headers["allow"]
    assert [s["id"] for s in api.get("/secrets").json()] == [secret["id"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v0beta1/nothing"),
        ("GET", "/"),
        ("POST", "/api/v0beta2/secrets"),
        ("GET", "/api/v0beta1/secrets/claude/x/y"),
    ],
)
def test_unknown_routes_are_404_envelopes(tenant: Tenant, method: str, path: str) -> None:
    response = httpx.request(method, tenant.url + path, headers=tenant.headers())
    assert_envelope(response, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/secrets"),
        ("PATCH", "/secrets"),
        ("PUT", "/secrets/claude/psec_1"),
        ("GET", "/secrets/claude/psec_1"),
        ("DELETE", "/secrets/claude"),
    ],
)
def test_wrong_methods_are_405_envelopes(api: httpx.Client, method: str, path: str) -> None:
    assert_envelope(api.request(method, path), 405, "method_not_allowed")


def test_get_by_id_does_not_exist(api: httpx.Client) -> None:
    secret = create_secret(api, "NO_GET")
    # /secrets/{x} is the provider path: an id is an unknown provider
    assert_envelope(api.get(f"/secrets/{secret['id']}"), 404, "provider_not_found")


def test_put_on_a_provider_segment_is_a_secret_update(api: httpx.Client) -> None:
    assert_envelope(api.put("/secrets/claude", json={"value": "v"}), 404, "secret_not_found")

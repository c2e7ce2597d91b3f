"""API key -> scoped JWT: exchange, permissions, audience, expiry, tampering."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from amika_tui.server.auth import Authenticator
from amika_tui.server.testing import JWT_AUDIENCE, PERMISSIONS
from tests.conftest import Tenant
from tests.server.conftest import API, assert_envelope, create_credential, create_secret

READ_ONLY = ["secrets:read", "providers:read"]
READ_ONLY_PERMISSIONS = tuple(READ_ONLY)


def _exchange(tenant: Tenant, **body: Any) -> httpx.Response:
    payload = {"audience": JWT_AUDIENCE, "permissions": list(PERMISSIONS), **body}
    return httpx.post(tenant.url + API + "/auth/jwt", json=payload, headers=tenant.headers())


def _token(tenant: Tenant, **body: Any) -> str:
    response = _exchange(tenant, **body)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def _as(tenant: Tenant, token: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=tenant.url + API, headers=headers, timeout=60)


def test_exchange_answers_a_token_and_its_expiry(tenant: Tenant) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    response = _exchange(tenant, permissions=READ_ONLY, external_user_id="ext-42")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"].endswith("Z")
    expires_at = datetime.fromisoformat(body["expires_at"])
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert jwt.get_unverified_header(body["token"])["alg"] == "HS256"
    assert claims["aud"] == JWT_AUDIENCE
    assert claims["permissions"] == READ_ONLY
    assert claims["external_user_id"] == "ext-42"
    assert datetime.fromtimestamp(claims["exp"], UTC) == expires_at
    assert expires_at >= before + timedelta(seconds=3600)
    assert tenant.api_key not in response.text


def test_expires_in_and_server_default_lifetime(tenant: Tenant) -> None:
    claims = jwt.decode(_token(tenant, expires_in=90), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 90
    tenant.server.jwt_lifetime_s = 30
    try:
        claims = jwt.decode(_token(tenant), options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 30
    finally:
        tenant.server.jwt_lifetime_s = 3600


def test_a_full_token_works_on_every_route(tenant: Tenant) -> None:
    with _as(tenant, _token(tenant)) as api:
        secret = create_secret(api, "SERVER_TEST_JWT_WRITE", "v1")
        assert api.put(f"/secrets/{secret['id']}", json={"value": "v2"}).status_code == 200
        assert [s["name"] for s in api.get("/secrets").json()] == ["SERVER_TEST_JWT_WRITE"]
        credential = create_credential(api, "claude", "jwt cred")
        assert credential.status_code == 201
        assert len(api.get("/secrets/claude").json()) == 1
        assert api.delete(f"/secrets/claude/{credential.json()['id']}").status_code == 204
    assert tenant.email in {e.user for e in tenant.server.request_log()}


@pytest.mark.parametrize(
    ("method", "path", "body", "permission"),
    [
        ("POST", "/secrets", {"name": "W", "value": "v"}, "secrets:write"),
        ("PUT", "/secrets/{secret_id}", {"value": "changed"}, "secrets:write"),
        (
            "POST",
            "/secrets/codex",
            {"name": "c", "value": "k", "type": "api_key"},
            "providers:write",
        ),
        ("DELETE", "/secrets/claude/{credential_id}", None, "providers:delete"),
    ],
)
def test_a_read_only_token_cannot_write(
    tenant: Tenant, method: str, path: str, body: dict[str, str] | None, permission: str
) -> None:
    with httpx.Client(base_url=tenant.url + API, headers=tenant.headers()) as owner:
        secret = create_secret(owner, "ORIGINAL", "unchanged")
        credential = create_credential(owner, "claude", "keep").json()
    before = tenant.server.stored_secrets()
    with _as(tenant, _token(tenant, permissions=READ_ONLY)) as api:
        url = path.format(secret_id=secret["id"], credential_id=credential["id"])
        response = api.request(method, url, json=body)
        message = assert_envelope(response, 403, "insufficient_permissions")["message"]
        assert permission in message
        assert api.get("/secrets").status_code == 200
        assert api.get("/secrets/claude").status_code == 200
    assert tenant.server.stored_secrets() == before


def test_each_read_permission_is_separate(tenant: Tenant) -> None:
    with _as(tenant, _token(tenant, permissions=["secrets:read"])) as api:
        assert api.get("/secrets").status_code == 200
        body = assert_envelope(api.get("/secrets/claude"), 403, "insufficient_permissions")
        assert "providers:read" in body["message"]
    with _as(tenant, _token(tenant, permissions=["providers:read"])) as api:
        assert api.get("/secrets/codex").status_code == 200
        assert "secrets:read" in assert_envelope(api.get("/secrets"), 403)["message"]


def test_the_server_url_is_an_accepted_audience(tenant: Tenant) -> None:
    with _as(tenant, _token(tenant, audience=tenant.url)) as api:
        assert api.get("/secrets").status_code == 200


def test_a_foreign_audience_is_401(tenant: Tenant) -> None:
    token = _token(tenant, audience="https://my-awesome-website.example")
    with _as(tenant, token) as api:
        assert_envelope(api.get("/secrets"), 401, "invalid_audience")


def test_a_minted_token_stays_out_of_reprs(tenant: Tenant) -> None:
    principal = tenant.server.store.principal_for_key(tenant.api_key)
    assert principal is not None
    issued = Authenticator(tenant.server.store, b"k" * 32).issue(
        principal, audience=JWT_AUDIENCE, permissions=READ_ONLY_PERMISSIONS
    )
    assert issued.token and issued.token not in repr(issued)


def test_an_expired_token_is_401(tenant: Tenant) -> None:
    issued = datetime.now(UTC) - timedelta(hours=2)
    token = tenant.server.issue_jwt(tenant.api_key, issued_at=issued, lifetime_s=3600)
    with _as(tenant, token) as api:
        response = api.get("/secrets")
        assert_envelope(response, 401, "token_expired")
        assert token not in response.text


def test_tokens_expire_and_are_issued_by_the_servers_clock(tenant: Tenant) -> None:
    token = _token(tenant, expires_in=60)
    tenant.server.faults.clock_offset_s = 3600  # an hour later, for the server
    with _as(tenant, token) as api:
        assert_envelope(api.get("/secrets"), 401, "token_expired")
        response = _exchange(tenant, expires_in=60)
        issued_at = datetime.fromisoformat(response.json()["expires_at"]) - timedelta(seconds=60)
        assert issued_at > datetime.now(UTC) + timedelta(minutes=50)
    with _as(tenant, response.json()["token"]) as api:
        assert api.get("/secrets").status_code == 200


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_tampered_tokens_are_401(tenant: Tenant) -> None:
    token = _token(tenant, permissions=READ_ONLY)
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    escalated = f"{header}.{_b64({**claims, 'permissions': list(PERMISSIONS)})}.{signature}"
    flipped_signature = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    other_key = jwt.encode(claims, "not-the-server-key-but-32-bytes-long", algorithm="HS256")
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    for forged in (escalated, f"{header}.{payload}.{flipped_signature}", other_key, unsigned):
        with _as(tenant, forged) as api:
            assert_envelope(api.post("/secrets", json={"name": "X", "value": "v"}), 401)
    assert [s for s in tenant.server.stored_secrets() if s["email"] == tenant.email] == []


def test_a_token_cannot_buy_another_token(tenant: Tenant) -> None:
    token = _token(tenant)
    response = httpx.post(
        tenant.url + API + "/auth/jwt",
        json={"audience": JWT_AUDIENCE, "permissions": ["secrets:read"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_envelope(response, 403, "api_key_required")


def test_exchange_needs_a_valid_key(tenant: Tenant) -> None:
    url = tenant.url + API + "/auth/jwt"
    body = {"audience": JWT_AUDIENCE, "permissions": ["secrets:read"]}
    assert_envelope(httpx.post(url, json=body), 401, "unauthorized")
    bad = {"Authorization": "Bearer amk_wrong"}
    assert_envelope(httpx.post(url, json=body, headers=bad), 401, "invalid_api_key")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"audience": None}, "invalid_audience"),
        ({"audience": ""}, "invalid_audience"),
        ({"permissions": []}, "invalid_permissions"),
        ({"permissions": "secrets:read"}, "invalid_permissions"),
        ({"permissions": ["secrets:read", "admin"]}, "invalid_permissions"),
        ({"expires_in": 0}, "invalid_expires_in"),
        ({"expires_in": 86401}, "invalid_expires_in"),
        ({"expires_in": "60"}, "invalid_expires_in"),
        ({"external_user_id": 7}, "invalid_external_user_id"),
    ],
)
def test_exchange_validates_its_body(tenant: Tenant, body: dict[str, Any], code: str) -> None:
    assert_envelope(_exchange(tenant, **body), 400, code)


def test_openapi_documents_the_exchange(tenant: Tenant) -> None:
    document = httpx.get(tenant.url + "/api/openapi.json").json()
    operation = document["paths"]["/api/v0beta1/auth/jwt"]["post"]
    assert JWT_AUDIENCE in operation["description"]
    permissions = document["components"]["schemas"]["JwtRequest"]["properties"]["permissions"]
    assert permissions["items"]["enum"] == list(PERMISSIONS)


def test_the_host_header_does_not_choose_an_accepted_audience(tenant: Tenant) -> None:
    foreign = "http://evil.example:4444"
    token = _token(tenant, audience=foreign)
    with _as(tenant, token) as api:
        response = api.get("/secrets", headers={"Host": "evil.example:4444"})
        assert_envelope(response, 401, "invalid_audience")


def test_a_signature_with_padding_is_refused(tenant: Tenant) -> None:
    token = _token(tenant)
    with _as(tenant, token) as api:
        assert api.get("/secrets").status_code == 200
    for variant in (token + "=", token + "==", token.replace(".", "=.", 1)):
        with _as(tenant, variant) as api:
            assert_envelope(api.get("/secrets"), 401, "invalid_token")


def test_a_non_canonical_last_character_is_refused(tenant: Tenant) -> None:
    token = _token(tenant)
    head, body, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # 43 characters carry 258 bits for 256: the last character's two low bits are unused
    last = alphabet.index(signature[-1])
    same_bytes = signature[:-1] + alphabet[last | 1]
    assert base64.urlsafe_b64decode(same_bytes + "=") == base64.urlsafe_b64decode(signature + "=")
    with _as(tenant, f"{head}.{body}.{same_bytes}") as api:
        assert_envelope(api.get("/secrets"), 401, "invalid_token")

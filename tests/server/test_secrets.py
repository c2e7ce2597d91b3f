"""Generic secrets: list, create, update; shapes and status codes."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.conftest import Tenant
from tests.server.conftest import SUMMARY_KEYS, assert_envelope, create_secret


def _parse_utc(text: str) -> datetime:
    assert text.endswith("Z"), text
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    return moment


def test_a_new_tenant_has_no_secrets(api: httpx.Client) -> None:
    response = api.get("/secrets")
    assert response.status_code == 200
    assert response.json() == []


def test_create_answers_201_with_a_summary_and_never_the_value(api: httpx.Client) -> None:
    response = api.post(
        "/secrets", json={"name": "DB_URL", "value": "postgres://x", "scope": "user"}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == SUMMARY_KEYS
    assert body["name"] == "DB_URL"
    assert body["scope"] == "user"
    assert body["description"] is None
    assert isinstance(body["id"], str) and body["id"]
    assert body["created_at"] == body["updated_at"]
    _parse_utc(body["created_at"])
    assert "postgres://x" not in response.text


def test_list_shows_created_secrets_without_values(api: httpx.Client) -> None:
    first = create_secret(api, "A_KEY", "value-one")
    second = create_secret(api, "B_KEY", "value-two", scope="org")
    response = api.get("/secrets")
    assert response.status_code == 200
    listed = {item["id"]: item for item in response.json()}
    assert listed == {first["id"]: first, second["id"]: second}
    assert "value-one" not in response.text and "value-two" not in response.text
    assert all(set(item) == SUMMARY_KEYS for item in listed.values())


def test_scope_defaults_to_user(api: httpx.Client) -> None:
    response = api.post("/secrets", json={"name": "NO_SCOPE", "value": "v"})
    assert response.status_code == 201
    assert response.json()["scope"] == "user"


def test_description_is_stored_when_given(api: httpx.Client) -> None:
    response = api.post("/secrets", json={"name": "D", "value": "v", "description": "for CI"})
    assert response.status_code == 201
    assert response.json()["description"] == "for CI"
    assert api.get("/secrets").json()[0]["description"] == "for CI"


def test_same_name_in_both_scopes_is_allowed(api: httpx.Client) -> None:
    create_secret(api, "SHARED", scope="user")
    create_secret(api, "SHARED", scope="org")
    assert sorted(s["scope"] for s in api.get("/secrets").json()) == ["org", "user"]


def test_duplicate_name_in_the_same_scope_is_409(api: httpx.Client) -> None:
    create_secret(api, "DUP", "first")
    response = api.post("/secrets", json={"name": "DUP", "value": "second", "scope": "user"})
    assert_envelope(response, 409, "secret_already_exists")
    assert "second" not in response.text
    assert len(api.get("/secrets").json()) == 1


def test_duplicate_org_secret_from_another_member_is_409(tenant: Tenant, api: httpx.Client) -> None:
    create_secret(api, "ORG_DUP", scope="org")
    member = tenant.member()
    response = httpx.post(
        f"{tenant.url}/api/v0beta1/secrets",
        json={"name": "ORG_DUP", "value": "x", "scope": "org"},
        headers=member.headers(),
    )
    assert_envelope(response, 409, "secret_already_exists")


def test_put_replaces_the_value_and_moves_updated_at(tenant: Tenant, api: httpx.Client) -> None:
    created = create_secret(api, "ROTATE", "old-value")
    response = api.put(f"/secrets/{created['id']}", json={"value": "new-value"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SUMMARY_KEYS
    assert body["id"] == created["id"]
    assert body["created_at"] == created["created_at"]
    assert _parse_utc(body["updated_at"]) > _parse_utc(created["updated_at"])
    assert "new-value" not in response.text
    [listed] = api.get("/secrets").json()
    assert listed["updated_at"] == body["updated_at"]
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == created["id"]]
    assert stored["value"] == "new-value"


def test_put_of_an_unknown_id_is_404(api: httpx.Client) -> None:
    assert_envelope(api.put("/secrets/sec_nope", json={"value": "v"}), 404, "secret_not_found")


def test_values_round_trip_exactly(tenant: Tenant, api: httpx.Client) -> None:
    value = "  spaces, 'quotes', \"dq\", $VAR, ünïcødé, emoji 🔑, tab\t, newline\n  "
    created = create_secret(api, "WEIRD", value)
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == created["id"]]
    assert stored["value"] == value
    assert stored["email"] == tenant.email and stored["org"] == tenant.org


def test_empty_value_is_accepted(api: httpx.Client) -> None:
    assert api.post("/secrets", json={"name": "EMPTY", "value": ""}).status_code == 201

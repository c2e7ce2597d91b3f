"""Provider credentials: claude, codex, github; uniqueness rules; delete."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import Tenant
from tests.server.conftest import assert_envelope, client_for, create_credential

PROVIDERS = ("claude", "codex", "github")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_create_list_delete_round_trip(api: httpx.Client, provider: str) -> None:
    response = create_credential(api, provider, "My key", value="sk-ant-secret")
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "name", "scope"}
    assert created["name"] == "My key" and created["scope"] == "user"
    assert "sk-ant-secret" not in response.text

    listed = api.get(f"/secrets/{provider}")
    assert listed.status_code == 200
    assert listed.json() == [
        {"id": created["id"], "name": "My key", "type": "api_key", "scope": "user"}
    ]
    assert "sk-ant-secret" not in listed.text

    deleted = api.delete(f"/secrets/{provider}/{created['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api.get(f"/secrets/{provider}").json() == []


def test_providers_are_separate_lists(api: httpx.Client) -> None:
    assert create_credential(api, "claude", "k").status_code == 201
    assert api.get("/secrets/codex").json() == []


def test_unknown_provider_is_404(api: httpx.Client) -> None:
    assert_envelope(api.get("/secrets/gemini"), 404, "provider_not_found")
    assert_envelope(create_credential(api, "gemini", "k"), 404, "provider_not_found")
    assert_envelope(api.delete("/secrets/gemini/psec_1"), 404, "provider_not_found")


def test_oauth_value_must_be_json(api: httpx.Client) -> None:
    response = create_credential(api, "claude", "OAuth", value="not json {", type="oauth")
    assert_envelope(response, 400, "invalid_value")
    assert "not json" not in response.text


def test_oauth_json_document_is_stored_whole(tenant: Tenant, api: httpx.Client) -> None:
    document = json.dumps(
        {"claudeAiOauth": {"accessToken": "at", "refreshToken": "rt", "expiresAt": 1}}
    )
    response = create_credential(api, "claude", "Claude OAuth", value=document, type="oauth")
    assert response.status_code == 201
    [listed] = api.get("/secrets/claude").json()
    assert listed["type"] == "oauth"
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == response.json()["id"]]
    assert stored["value"] == document and stored["provider"] == "claude"


def test_user_scope_is_unique_by_name(api: httpx.Client) -> None:
    assert create_credential(api, "codex", "Codex API Key").status_code == 201
    again = create_credential(api, "codex", "Codex API Key", value="other")
    assert_envelope(again, 409, "credential_already_exists")
    assert create_credential(api, "codex", "Another name").status_code == 201
    # the same name is fine for another provider
    assert create_credential(api, "claude", "Codex API Key").status_code == 201


def test_org_scope_allows_one_credential_per_provider(tenant: Tenant, api: httpx.Client) -> None:
    first = create_credential(api, "claude", "Team key", scope="org")
    assert first.status_code == 201 and first.json()["scope"] == "org"
    # any name, any type, any member of the org: still a conflict
    with client_for(tenant.member()) as other:
        response = create_credential(
            other, "claude", "Other", value="{}", type="oauth", scope="org"
        )
        assert_envelope(response, 409, "credential_already_exists")
        # a different provider is independent
        assert create_credential(other, "codex", "Team key", scope="org").status_code == 201
        # after delete, a new org credential is allowed
        assert other.delete(f"/secrets/claude/{first.json()['id']}").status_code == 204
        assert create_credential(other, "claude", "Other", scope="org").status_code == 201


def test_user_and_org_credentials_with_one_name_coexist(api: httpx.Client) -> None:
    assert create_credential(api, "claude", "Same", scope="user").status_code == 201
    assert create_credential(api, "claude", "Same", scope="org").status_code == 201
    assert sorted(c["scope"] for c in api.get("/secrets/claude").json()) == ["org", "user"]


def test_delete_of_an_unknown_id_is_404(api: httpx.Client) -> None:
    assert_envelope(api.delete("/secrets/claude/psec_nope"), 404, "credential_not_found")


def test_delete_through_the_wrong_provider_is_404(api: httpx.Client) -> None:
    created = create_credential(api, "claude", "k").json()
    assert_envelope(api.delete(f"/secrets/codex/{created['id']}"), 404, "credential_not_found")
    assert len(api.get("/secrets/claude").json()) == 1


def test_invalid_type_is_400(api: httpx.Client) -> None:
    assert_envelope(create_credential(api, "claude", "k", type="password"), 400, "invalid_type")
    response = api.post("/secrets/claude", json={"name": "k", "value": "v"})
    assert_envelope(response, 400, "invalid_type")


def test_empty_credential_value_is_400(api: httpx.Client) -> None:
    assert_envelope(create_credential(api, "claude", "k", value=""), 400, "invalid_value")

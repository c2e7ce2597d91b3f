"""Visibility: user secrets only for their owner, org secrets only inside the org."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant
from tests.server.conftest import assert_envelope, client_for, create_credential, create_secret


def test_another_user_cannot_list_update_a_user_secret(tenant: Tenant) -> None:
    colleague = tenant.member()
    with client_for(tenant) as alice, client_for(colleague) as bob:
        secret = create_secret(alice, "ALICE_ONLY", "alice-value")
        assert bob.get("/secrets").json() == []
        assert_envelope(bob.put(f"/secrets/{secret['id']}", json={"value": "x"}), 404)
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == secret["id"]]
    assert stored["value"] == "alice-value"


def test_org_secrets_are_shared_within_the_org(tenant: Tenant) -> None:
    colleague = tenant.member()
    with client_for(tenant) as alice, client_for(colleague) as bob:
        secret = create_secret(alice, "TEAM", "v1", scope="org")
        assert [s["id"] for s in bob.get("/secrets").json()] == [secret["id"]]
        assert bob.put(f"/secrets/{secret['id']}", json={"value": "v2"}).status_code == 200
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == secret["id"]]
    assert stored["value"] == "v2"


def test_another_org_sees_nothing(tenant: Tenant) -> None:
    outsider_key = tenant.server.create_user("outsider-" + tenant.email, tenant.org + "-other")
    outsider = Tenant(tenant.url, outsider_key, "outsider", tenant.org + "-other", tenant.server)
    with client_for(tenant) as insider, client_for(outsider) as other:
        org_secret = create_secret(insider, "ORG_ONLY", scope="org")
        credential = create_credential(insider, "claude", "Org cred", scope="org").json()
        user_credential = create_credential(insider, "claude", "Mine").json()
        assert other.get("/secrets").json() == []
        assert other.get("/secrets/claude").json() == []
        assert_envelope(other.put(f"/secrets/{org_secret['id']}", json={"value": "x"}), 404)
        assert_envelope(other.delete(f"/secrets/claude/{credential['id']}"), 404)
        # and another org may hold its own org credential for the same provider
        assert create_credential(other, "claude", "Org cred", scope="org").status_code == 201
        assert len(insider.get("/secrets/claude").json()) == 2
        assert user_credential["id"] in {c["id"] for c in insider.get("/secrets/claude").json()}


def test_user_credentials_are_private_but_org_credentials_shared(tenant: Tenant) -> None:
    colleague = tenant.member()
    with client_for(tenant) as alice, client_for(colleague) as bob:
        private = create_credential(alice, "codex", "Alice key").json()
        shared = create_credential(alice, "codex", "Team key", scope="org").json()
        assert [c["id"] for c in bob.get("/secrets/codex").json()] == [shared["id"]]
        assert_envelope(bob.delete(f"/secrets/codex/{private['id']}"), 404)
        assert bob.delete(f"/secrets/codex/{shared['id']}").status_code == 204
        assert [c["id"] for c in alice.get("/secrets/codex").json()] == [private["id"]]


def test_missing_or_wrong_credentials_are_401(tenant: Tenant) -> None:
    url = f"{tenant.url}/api/v0beta1/secrets"
    assert_envelope(httpx.get(url), 401, "unauthorized")
    assert_envelope(httpx.get(url, headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    wrong = httpx.get(url, headers={"Authorization": "Bearer amk_not-a-real-key"})
    assert_envelope(wrong, 401, "invalid_api_key")
    assert "amk_not-a-real-key" not in wrong.text
    almost = tenant.api_key[:-1] + ("A" if tenant.api_key[-1] != "A" else "B")
    assert_envelope(httpx.get(url, headers={"Authorization": f"Bearer {almost}"}), 401)
    # every route refuses anonymous callers
    for method, path in [
        ("POST", "/secrets"),
        ("PUT", "/secrets/x"),
        ("GET", "/secrets/claude"),
        ("POST", "/secrets/codex"),
        ("DELETE", "/secrets/github/x"),
    ]:
        response = httpx.request(method, f"{tenant.url}/api/v0beta1{path}", json={})
        assert_envelope(response, 401)


def test_api_keys_are_stored_only_as_hashes(tenant: Tenant) -> None:
    database = tenant.server.store.path
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert tenant.api_key.encode() not in raw

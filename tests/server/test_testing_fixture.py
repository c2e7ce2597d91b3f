"""The test fixture itself: request log, seeding, direct views, isolation."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from amika_tui.server.testing import Faults, run_server
from tests.conftest import Tenant
from tests.server.conftest import API, create_credential, create_secret


def test_request_log_names_the_user_but_never_values_or_tokens(
    tenant: Tenant, api: httpx.Client
) -> None:
    tenant.server.clear_request_log()
    create_secret(api, "LOGGED", "log-canary-value")
    create_credential(api, "claude", "c", value="log-canary-key")
    httpx.get(tenant.url + API + "/secrets")
    # Entries without a user were answered before authentication; another test's request
    # still in flight would carry that test's user.
    entries = [e for e in tenant.server.request_log() if e.user in (tenant.email, None)]
    assert [(e.method, e.path, e.status, e.user) for e in entries] == [
        ("POST", "/api/v0beta1/secrets", 201, tenant.email),
        ("POST", "/api/v0beta1/secrets/claude", 201, tenant.email),
        ("GET", "/api/v0beta1/secrets", 401, None),
    ]
    assert entries[0].key_id and entries[0].key_id.startswith("key_")
    text = repr(entries)
    assert "log-canary" not in text and tenant.api_key not in text


def test_seed_secrets_bulk_inserts_a_large_list(tenant: Tenant, api: httpx.Client) -> None:
    rows = [(f"SEED_{i:05d}", f"value-{i}", "user" if i % 2 else "org") for i in range(10_000)]
    assert tenant.server.seed_secrets(tenant.api_key, rows) == 10_000
    listed = api.get("/secrets").json()
    assert len(listed) == 10_000
    assert listed[0]["name"] == "SEED_00000"
    assert {s["scope"] for s in listed} == {"user", "org"}


def test_tenants_are_isolated(tenant: Tenant, api: httpx.Client) -> None:
    create_secret(api, "MINE", scope="org")
    default_user = {"Authorization": f"Bearer {tenant.server.api_key}"}
    listed = httpx.get(tenant.url + API + "/secrets", headers=default_user).json()
    assert "MINE" not in {s["name"] for s in listed}


def test_tenant_repr_hides_the_key(tenant: Tenant) -> None:
    assert tenant.api_key not in repr(tenant)


def test_seed_provider_secrets_respects_the_rules(tenant: Tenant, api: httpx.Client) -> None:
    ids = tenant.server.seed_provider_secrets(
        tenant.api_key,
        "claude",
        [
            ("Claude OAuth", '{"claudeAiOauth": {}}', "oauth", "user"),
            ("Team", "sk", "api_key", "org"),
        ],
    )
    listed = api.get("/secrets/claude").json()
    assert sorted(c["id"] for c in listed) == sorted(ids)
    with pytest.raises(ValueError, match="conflicts"):
        tenant.server.seed_provider_secrets(
            tenant.api_key, "claude", [("X", "k", "api_key", "org")]
        )


def test_faults_given_to_run_server_apply_from_the_start(tmp_path: Path) -> None:
    with run_server(tmp_path, faults=Faults(fail_rate=1.0)) as server:
        response = httpx.get(server.url + API + "/secrets")
        assert response.status_code == 503
        assert server.api_key not in repr(server)

"""`GET /secrets` is cached per caller view: every write shows in the next listing, from
any write path and from another process on the same database, and no caller ever gets
another's listing."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from amika_tui.server.embedded import run_embedded
from amika_tui.server.faults import Gate
from amika_tui.server.listing_cache import ListingCache
from amika_tui.server.testing import RunningServer, run_server
from tests.conftest import Tenant
from tests.server.conftest import (
    API,
    assert_envelope,
    client_for,
    create_credential,
    create_secret,
    listing_in_background,
)


def _names(client: httpx.Client) -> list[tuple[str, str]]:
    response = client.get("/secrets")
    assert response.status_code == 200, response.text
    return [(s["name"], s["scope"]) for s in response.json()]


def _listed(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in client.get("/secrets").json()}


def _outsider(tenant: Tenant) -> Tenant:
    """A user in another org of the same server."""
    token = uuid.uuid4().hex[:12]
    email, org = f"outsider-{token}@example.com", f"outsider-{token}"
    return Tenant(tenant.url, tenant.server.create_user(email, org), email, org, tenant.server)


def test_every_write_path_shows_in_the_next_listing(tenant: Tenant) -> None:
    colleague = tenant.member()
    with client_for(tenant) as alice, client_for(colleague) as bob:
        assert _names(alice) == _names(alice) == []  # the second one from the cache
        assert _names(bob) == []
        mine = create_secret(alice, "MINE")
        assert _names(alice) == [("MINE", "user")]
        assert _names(bob) == []  # a user secret of someone else changes nothing for bob
        shared = create_secret(alice, "SHARED", scope="org")
        # bob's cached listing was built before alice wrote to the org
        assert _names(bob) == [("SHARED", "org")]
        assert _names(alice) == [("MINE", "user"), ("SHARED", "org")]
        for client, secret in ((alice, mine), (bob, shared)):
            updated = client.put(f"/secrets/{secret['id']}", json={"value": "new"}).json()
            assert _listed(client)[secret["id"]]["updated_at"] == updated["updated_at"]
        assert _listed(alice)[shared["id"]] == _listed(bob)[shared["id"]]


def test_provider_credentials_are_listings_of_their_own(tenant: Tenant) -> None:
    with client_for(tenant) as api:
        create_secret(api, "GENERIC")
        before = api.get("/secrets").json()
        created = create_credential(api, "claude", "Mine").json()
        assert api.get("/secrets").json() == before
        assert [c["id"] for c in api.get("/secrets/claude").json()] == [created["id"]]
        assert api.delete(f"/secrets/claude/{created['id']}").status_code == 204
        assert api.get("/secrets/claude").json() == []
        assert api.get("/secrets").json() == before


def test_no_caller_gets_another_callers_cached_listing(tenant: Tenant) -> None:
    colleague, outsider = tenant.member(), _outsider(tenant)
    with (
        client_for(tenant) as alice,
        client_for(colleague) as bob,
        client_for(outsider) as carol,
    ):
        create_secret(alice, "ALICE_OWN")
        create_secret(alice, "TEAM", scope="org")
        create_secret(bob, "BOB_OWN")
        create_secret(carol, "CAROL_OWN")
        create_secret(carol, "OTHER_TEAM", scope="org")
        for _ in range(2):  # built, then from the cache
            assert _names(alice) == [("ALICE_OWN", "user"), ("TEAM", "org")]
            assert _names(bob) == [("BOB_OWN", "user"), ("TEAM", "org")]
            assert _names(carol) == [("CAROL_OWN", "user"), ("OTHER_TEAM", "org")]
    token = tenant.server.issue_jwt(tenant.api_key, permissions=["secrets:read"])
    with httpx.Client(
        base_url=tenant.url + API, headers={"Authorization": f"Bearer {token}"}
    ) as scoped:
        assert _names(scoped) == [("ALICE_OWN", "user"), ("TEAM", "org")]
        assert_envelope(scoped.post("/secrets", json={"name": "X", "value": "v"}), 403)
    with client_for(colleague) as bob:
        assert _names(bob) == [("BOB_OWN", "user"), ("TEAM", "org")]


def test_a_token_without_read_permission_gets_no_cached_listing(tenant: Tenant) -> None:
    with client_for(tenant) as api:
        create_secret(api, "SECRET")
        assert _names(api) == _names(api) == [("SECRET", "user")]
    token = tenant.server.issue_jwt(tenant.api_key, permissions=["secrets:write"])
    answer = httpx.get(tenant.url + API + "/secrets", headers={"Authorization": f"Bearer {token}"})
    assert_envelope(answer, 403, "insufficient_permissions")


def test_listings_are_in_name_then_scope_order_with_exact_text(tenant: Tenant) -> None:
    description = 'quotes " and \\ backslash, tab\t, ünïcødé, 🔑, \u2028 and \x7f'
    with client_for(tenant) as api:
        for name, scope in (("B", "user"), ("C", "org"), ("A", "user"), ("A", "org")):
            created = api.post(
                "/secrets",
                json={"name": name, "value": "v", "scope": scope, "description": description},
            )
            assert created.status_code == 201, created.text
        listed = api.get("/secrets").json()
    assert [(s["name"], s["scope"]) for s in listed] == [
        ("A", "org"),
        ("A", "user"),
        ("B", "user"),
        ("C", "org"),
    ]
    assert {s["description"] for s in listed} == {description}


def test_a_cached_listing_still_counts_against_the_rate_limit(
    tenant: Tenant, api: httpx.Client
) -> None:
    create_secret(api, "LIMITED")
    assert _names(api) == [("LIMITED", "user")]
    tenant.server.reset_rate_limits()
    tenant.server.faults.rate_limit = 1
    assert api.get("/secrets").status_code == 200
    assert_envelope(api.get("/secrets"), 429, "rate_limited")


def test_a_cached_listing_is_still_held_by_the_hold_next_listing_knob(
    tenant: Tenant, api: httpx.Client
) -> None:
    create_secret(api, "HELD")
    assert _names(api) == _names(api) == [("HELD", "user")]
    gate = Gate()
    tenant.server.faults.hold_next_listing = gate
    with listing_in_background(tenant) as answers:
        try:
            assert gate.entered.wait(60), "the cached listing was not held"
            assert not answers
        finally:
            gate.open()
    assert [s["name"] for s in answers[0].json()] == ["HELD"]


@contextmanager
def _second_serve(data_dir: Path) -> Iterator[str]:
    """`amika-tui serve` in another process on `data_dir`; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "amika_tui", "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "listening on " in line:
                yield line.split("listening on ", 1)[1].strip()
                break
        else:
            raise AssertionError("the second serve did not start")
    finally:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[RunningServer]:
    with run_server(tmp_path) as server:
        yield server


def test_writes_of_another_process_on_the_same_database_show(
    own_server: RunningServer,
) -> None:
    headers = {"Authorization": f"Bearer {own_server.api_key}"}
    with httpx.Client(base_url=own_server.url + API, headers=headers) as here:
        assert _names(here) == _names(here) == []  # cached, and checked since
        with (
            _second_serve(own_server.data_dir) as there_url,
            httpx.Client(base_url=there_url + API, headers=headers) as there,
        ):
            created = create_secret(there, "FROM_THERE")
            assert _names(here) == [("FROM_THERE", "user")]
            assert _names(here) == [("FROM_THERE", "user")]
            updated = there.put(f"/secrets/{created['id']}", json={"value": "v2"}).json()
            assert _listed(here)[created["id"]]["updated_at"] == updated["updated_at"]
            create_secret(here, "FROM_HERE", scope="org")
            assert _names(there) == [("FROM_HERE", "org"), ("FROM_THERE", "user")]


def test_writes_stored_directly_show_in_the_listing(
    own_server: RunningServer,
) -> None:
    headers = {"Authorization": f"Bearer {own_server.api_key}"}
    with httpx.Client(base_url=own_server.url + API, headers=headers) as api:
        assert _names(api) == _names(api) == []
        own_server.seed_secrets(own_server.api_key, [("SEEDED", "v", "org")])
        assert _names(api) == [("SEEDED", "org")]


def test_the_cache_keeps_the_most_recent_listings_within_its_budget() -> None:
    cache = ListingCache(max_bytes=10)
    cache.put(("user:a", "org:o"), (1, 1), b"s", b"12345")
    cache.put(("user:b", "org:o"), (1, 1), b"s", b"12345")
    assert cache.get(("user:a", "org:o"), (1, 1), b"s") == b"12345"  # a is now the newest
    cache.put(("user:c", "org:o"), (1, 1), b"s", b"12345")
    assert cache.get(("user:b", "org:o"), (1, 1), b"s") is None
    assert cache.fresh(("user:a", "org:o"), b"s") == b"12345"
    assert cache.get(("user:a", "org:o"), (2, 1), b"t") is None  # another version: rebuilt
    cache.put(("user:big", "org:o"), (1, 1), b"s", b"x" * 11)  # never kept: over the budget
    assert cache.fresh(("user:big", "org:o"), b"s") is None


def test_an_embedded_server_without_a_listing_cache_keeps_no_copy(tmp_path: Path) -> None:
    # `amika-tui --local`: its one client is in the same process, a copy would double it
    with run_embedded(tmp_path, listing_cache_bytes=0) as server:
        headers = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.url + API, headers=headers) as api:
            created = api.post("/secrets", json={"name": "A", "value": "v", "scope": "user"})
            assert created.status_code == 201, created.text
            assert _names(api) == _names(api) == [("A", "user")]
            api.post("/secrets", json={"name": "B", "value": "v", "scope": "org"})
            assert _names(api) == [("A", "user"), ("B", "org")]
        store = server.state.store
        principal = store.principal_for_key(server.api_key)
        assert principal is not None
        assert store.fresh_listing(principal) is None
        cache = ListingCache(max_bytes=0)
        cache.put(("user:a", "org:o"), (1, 1), b"s", b"[]")
        assert cache.get(("user:a", "org:o"), (1, 1), b"s") is None

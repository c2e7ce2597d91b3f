"""Concurrent requests: no duplicate creates, no lost writes."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx

from amika_tui.server.faults import Gate
from amika_tui.server.testing import RunningServer, run_server
from tests.conftest import Tenant
from tests.server.conftest import API, create_secret, listing_in_background


def _fresh_tenant(server: RunningServer) -> Tenant:
    """A user in an org of its own, with no secrets."""
    token = uuid.uuid4().hex[:12]
    email, org = f"quiet-{token}@example.com", f"quiet-{token}"
    return Tenant(server.url, server.create_user(email, org), email, org, server)


def _client(tenant: Tenant) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=50)
    return httpx.AsyncClient(
        base_url=tenant.url + API, headers=tenant.headers(), limits=limits, timeout=30
    )


async def test_fifty_parallel_creates_of_one_name_make_exactly_one(tenant: Tenant) -> None:
    async with _client(tenant) as api:
        responses = await asyncio.gather(
            *(api.post("/secrets", json={"name": "RACE", "value": f"v{i}"}) for i in range(50))
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] + [409] * 49
        assert [s["name"] for s in (await api.get("/secrets")).json()] == ["RACE"]


async def test_fifty_parallel_org_credentials_make_exactly_one(tenant: Tenant) -> None:
    async with _client(tenant) as api:
        responses = await asyncio.gather(
            *(
                api.post(
                    "/secrets/claude",
                    json={"name": f"n{i}", "value": "k", "type": "api_key", "scope": "org"},
                )
                for i in range(50)
            )
        )
        assert sorted(r.status_code for r in responses) == [201] + [409] * 49


async def test_parallel_creates_of_distinct_names_all_land(tenant: Tenant) -> None:
    async with _client(tenant) as api:
        responses = await asyncio.gather(
            *(api.post("/secrets", json={"name": f"K{i}", "value": f"v{i}"}) for i in range(50))
        )
        assert all(r.status_code == 201 for r in responses)
        assert len((await api.get("/secrets")).json()) == 50
    values = {
        s["name"]: s["value"] for s in tenant.server.stored_secrets() if s["email"] == tenant.email
    }
    assert values == {f"K{i}": f"v{i}" for i in range(50)}


async def test_parallel_updates_leave_one_of_the_written_values(tenant: Tenant) -> None:
    with httpx.Client(base_url=tenant.url + API, headers=tenant.headers()) as sync_api:
        secret = create_secret(sync_api, "CONTENDED", "start")
    async with _client(tenant) as api:
        responses = await asyncio.gather(
            *(api.put(f"/secrets/{secret['id']}", json={"value": f"w{i}"}) for i in range(50))
        )
        assert all(r.status_code == 200 for r in responses)
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == secret["id"]]
    assert stored["value"] in {f"w{i}" for i in range(50)}
    assert stored["updated_at"] == max(r.json()["updated_at"] for r in responses)


def test_a_quiet_tenant_is_answered_while_a_big_listing_is_in_progress(tmp_path: Path) -> None:
    with run_server(tmp_path) as server:  # its own server: the held listing stalls no other test
        big, quiet = _fresh_tenant(server), _fresh_tenant(server)
        rows = ((f"BIG_{i:05d}", "v", "user") for i in range(10_000))
        server.seed_secrets(big.api_key, rows)
        gate = Gate()
        server.faults.hold_next_listing = gate
        with listing_in_background(big) as listing:
            try:
                assert gate.entered.wait(60), "the big listing never reached the database"
                # the big listing is in its database work now, and stays there until the
                # gate opens
                answer = httpx.get(
                    quiet.url + API + "/secrets", headers=quiet.headers(), timeout=30
                )
                assert answer.status_code == 200 and answer.json() == []
                assert not gate.finished.is_set(), "the quiet request waited for the big listing"
                assert not listing
            finally:
                gate.open()
        assert len(listing[0].json()) == 10_000


async def test_a_refused_write_among_parallel_ones_undoes_only_itself(tenant: Tenant) -> None:
    with httpx.Client(base_url=tenant.url + API, headers=tenant.headers()) as sync_api:
        for i in range(0, 50, 2):
            create_secret(sync_api, f"K{i}", "old")
    async with _client(tenant) as api:  # writes that commit together: half of them refused
        responses = await asyncio.gather(
            *(api.post("/secrets", json={"name": f"K{i}", "value": f"v{i}"}) for i in range(50))
        )
    assert [r.status_code for r in responses] == [409, 201] * 25
    values = {
        s["name"]: s["value"] for s in tenant.server.stored_secrets() if s["email"] == tenant.email
    }
    assert values == {f"K{i}": "old" if i % 2 == 0 else f"v{i}" for i in range(50)}

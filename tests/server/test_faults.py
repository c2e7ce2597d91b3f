"""Fault knobs: latency, fail-rate, fail-after-commit, drop-after-commit, rate limit."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from amika_tui.server.testing import Faults
from tests.conftest import Tenant
from tests.server.conftest import API, assert_envelope, client_for, create_credential, create_secret


def test_latency_delays_answers(tenant: Tenant, api: httpx.Client) -> None:
    # 25 times the client's read timeout, so even a starved client times out first; it
    # has a minute to connect, so a busy machine cannot turn this into a connect timeout.
    tenant.server.faults.latency_ms = 5000
    with pytest.raises(httpx.ReadTimeout):
        timeout = httpx.Timeout(60, read=0.2)
        httpx.get(tenant.url + API + "/secrets", headers=tenant.headers(), timeout=timeout)
    tenant.server.faults.latency_ms = 0
    assert api.get("/secrets").status_code == 200


def test_fail_rate_answers_503_before_doing_anything(tenant: Tenant, api: httpx.Client) -> None:
    tenant.server.faults.fail_rate = 1.0
    assert_envelope(api.get("/secrets"), 503, "service_unavailable")
    assert_envelope(api.post("/secrets", json={"name": "LOST", "value": "v"}), 503)
    assert_envelope(create_credential(api, "claude", "lost"), 503)
    tenant.server.faults.fail_rate = 0.0
    assert api.get("/secrets").json() == []
    assert api.get("/secrets/claude").json() == []


def test_fail_retry_after_makes_the_503s_say_when_to_come_back(
    tenant: Tenant, api: httpx.Client
) -> None:
    tenant.server.faults.fail_rate = 1.0
    assert "retry-after" not in api.get("/secrets").headers
    tenant.server.faults.fail_retry_after = 120
    down = api.post("/secrets", json={"name": "LATER", "value": "v"})
    assert_envelope(down, 503, "service_unavailable")
    assert down.headers["retry-after"] == "120"
    tenant.server.faults.reset()
    assert tenant.server.faults.fail_retry_after is None
    assert api.get("/secrets").json() == []


def test_fail_after_commit_stores_then_answers_503(tenant: Tenant, api: httpx.Client) -> None:
    secret = create_secret(api, "ROTATED", "old")
    credential = create_credential(api, "codex", "gone").json()
    tenant.server.faults.fail_after_commit_rate = 1.0
    assert_envelope(api.post("/secrets", json={"name": "GHOST", "value": "v"}), 503)
    assert_envelope(api.put(f"/secrets/{secret['id']}", json={"value": "new"}), 503)
    assert_envelope(create_credential(api, "claude", "ghost cred"), 503)
    assert_envelope(api.delete(f"/secrets/codex/{credential['id']}"), 503)
    # reads are unaffected by this knob
    assert api.get("/secrets").status_code == 200
    tenant.server.faults.fail_after_commit_rate = 0.0
    assert sorted(s["name"] for s in api.get("/secrets").json()) == ["GHOST", "ROTATED"]
    [stored] = [s for s in tenant.server.stored_secrets() if s["id"] == secret["id"]]
    assert stored["value"] == "new"
    assert [c["name"] for c in api.get("/secrets/claude").json()] == ["ghost cred"]
    assert api.get("/secrets/codex").json() == []
    # the retried create now conflicts: the hard case for clients
    assert_envelope(api.post("/secrets", json={"name": "GHOST", "value": "v"}), 409)


def test_drop_after_commit_stores_then_closes_the_connection(
    tenant: Tenant, api: httpx.Client
) -> None:
    secret = create_secret(api, "ROTATED", "old")
    credential = create_credential(api, "codex", "gone").json()
    tenant.server.faults.drop_after_commit_rate = 1.0
    # a dropped connection, not an answer: no status, no body
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.post("/secrets", json={"name": "GHOST", "value": "ghost-value"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.put(f"/secrets/{secret['id']}", json={"value": "new"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        create_credential(api, "claude", "ghost cred")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.delete(f"/secrets/codex/{credential['id']}")
    # reads are unaffected by this knob
    assert api.get("/secrets").status_code == 200
    tenant.server.faults.reset()
    assert tenant.server.faults.drop_after_commit_rate == 0.0
    stored = {row["name"]: row["value"] for row in tenant.stored_secrets()}
    assert stored == {"GHOST": "ghost-value", "ROTATED": "new", "ghost cred": stored["ghost cred"]}
    assert api.get("/secrets/codex").json() == []
    # the log says no answer was sent
    assert tenant.statuses("POST", "/secrets", at_least=2) == [201, 0]


def test_rate_limit_answers_429_with_retry_after_per_key(tenant: Tenant, api: httpx.Client) -> None:
    tenant.server.faults.rate_limit = 0.01  # one request now, the next in 100 s
    assert api.get("/secrets").status_code == 200
    limited = api.get("/secrets")
    assert_envelope(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    # another key has its own budget
    with client_for(tenant.member()) as other:
        assert other.get("/secrets").status_code == 200
    tenant.server.faults.rate_limit = None
    assert api.get("/secrets").status_code == 200


def test_faults_are_off_by_default(tenant: Tenant) -> None:
    faults = tenant.server.faults
    assert (faults.latency_ms, faults.fail_rate, faults.fail_after_commit_rate) == (0, 0.0, 0.0)
    assert faults.rate_limit is None and faults.clock_offset_s == 0


def test_replacing_the_faults_object_takes_effect(tenant: Tenant, api: httpx.Client) -> None:
    tenant.server.faults = Faults(fail_rate=1.0)
    assert_envelope(api.get("/secrets"), 503)
    tenant.server.faults.reset()
    assert api.get("/secrets").status_code == 200


def test_tokens_minted_from_one_key_share_its_rate_limit(tenant: Tenant, raw: httpx.Client) -> None:
    tokens = [tenant.server.issue_jwt(tenant.api_key) for _ in range(10)]
    tenant.server.faults.rate_limit = 0.001  # one request now, the next in 1000 s
    statuses = [api_status(raw, token) for token in tokens]
    assert statuses == [200] + [429] * 9
    assert api_status(raw, tenant.api_key) == 429  # the key itself is in the same budget


def test_bad_tokens_are_limited_per_address_and_keep_no_state_per_token(
    tenant: Tenant, raw: httpx.Client
) -> None:
    tenant.server.faults.rate_limit = 0.001
    statuses = [api_status(raw, f"amk_guess_{i}") for i in range(20)]
    statuses += [api_status(raw, f"eyJguess.{i}.x") for i in range(5)]
    statuses.append(api_status(raw, None))
    assert statuses[0] == 401
    assert set(statuses[1:]) == {429}
    assert tenant.server.rate_limit_buckets() == 1  # this client address, nothing per token
    # while this address is over its limit, a valid key from it waits as well
    assert api_status(raw, tenant.api_key) == 429
    tenant.server.reset_rate_limits()
    assert api_status(raw, tenant.api_key) == 200


def api_status(raw: httpx.Client, token: str | None) -> int:
    """Status of `GET /secrets` with `token` as the bearer (None: no header)."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return raw.get("/secrets", headers=headers).status_code


@pytest.fixture
def raw(tenant: Tenant) -> Iterator[httpx.Client]:
    """HTTP to the API without a bearer of its own."""
    with httpx.Client(base_url=tenant.url + API, timeout=30) as client:
        yield client

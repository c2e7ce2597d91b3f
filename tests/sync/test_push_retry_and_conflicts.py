"""The executor's retry hook, and a second secret of a name created beside the other scope's."""

from __future__ import annotations

from amika_tui.api import AmikaClient, Scope
from amika_tui.sync.executor import PushExecutor, PushRetry, RetryPolicy
from amika_tui.sync.plan import ConflictResolution, entries_from_mapping, plan_secrets
from tests.conftest import Tenant
from tests.sync.conftest import FAST_RETRY, stored_values


async def test_each_retry_is_announced_with_the_error_and_the_attempt(
    tenant: Tenant, client: AmikaClient
) -> None:
    retries: list[PushRetry] = []
    tenant.server.faults.fail_rate = 1.0
    executor = PushExecutor(
        client, retry=RetryPolicy(max_attempts=3, backoff_base=0.001), on_retry=retries.append
    )
    report = await executor.run(plan_secrets(entries_from_mapping({"A": "x"}), [], "user").items())
    assert report.failed
    assert [r.attempt for r in retries] == [2, 3]
    assert all(r.status == 503 and "unavailable" in r.error and r.item.name == "A" for r in retries)


async def test_creating_beside_the_other_scope_survives_an_uncertain_answer(
    tenant: Tenant, client: AmikaClient
) -> None:
    await client.create_secret("SHARED", "org-value", Scope.ORG)
    plan = plan_secrets(
        entries_from_mapping({"SHARED": "mine"}), await client.list_secrets(), "user"
    )
    plan = plan.with_resolution("SHARED", ConflictResolution.CREATE_HERE)

    def server_recovers(_: PushRetry) -> None:
        tenant.server.faults.reset()

    # The first POST gets a 503 (it may have landed); the next attempt lists first and finds
    # only the org one, which is no reason to stop: the user asked for a second one.
    tenant.server.faults.fail_rate = 1.0
    executor = PushExecutor(client, retry=FAST_RETRY, on_retry=server_recovers)
    report = await executor.run(plan.items())
    assert report.ok and report.summary() == "1 created"
    assert stored_values(tenant) == {("org", "SHARED"): "org-value", ("user", "SHARED"): "mine"}

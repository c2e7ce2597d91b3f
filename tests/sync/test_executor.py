"""The push executor against the reference server: faults, no duplicates, cancel, retry."""

from __future__ import annotations

from amika_tui.api import AmikaClient, CredentialType, Scope
from amika_tui.sync.executor import Outcome, PushExecutor, PushProgress, RetryPolicy
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.sync.plan import entries_from_mapping, plan_provider, plan_secrets
from tests.conftest import Tenant
from tests.sync.conftest import FAST_RETRY, stored_values

OAUTH_OLD = '{"claudeAiOauth": {"accessToken": "old-access-token"}}'
OAUTH_NEW = '{"claudeAiOauth": {"accessToken": "new-access-token"}}'


def values(n: int, prefix: str = "KEY") -> dict[str, str]:
    return {f"{prefix}_{i:03d}": f"value-{prefix}-{i}-{'x' * 20}" for i in range(n)}


async def test_push_creates_updates_and_updates_the_other_scope(
    tenant: Tenant, client: AmikaClient
) -> None:
    await client.create_secret("EXISTING", "old", Scope.USER)
    await client.create_secret("ORG_ONLY", "old-org", Scope.ORG)
    wanted = {"NEW_A": "a-value", "NEW_B": "b-value", "EXISTING": "new", "ORG_ONLY": "new-org"}
    plan = plan_secrets(entries_from_mapping(wanted), await client.list_secrets(), Scope.USER)
    plan = plan.with_resolution("ORG_ONLY", "update_other")
    events: list[PushProgress] = []
    report = await PushExecutor(client, on_progress=events.append).run(plan.items())

    assert report.ok and report.summary() == "2 created, 2 updated"
    assert {r.label for r in report.created} == {"user/NEW_A", "user/NEW_B"}
    assert {r.label for r in report.updated} == {"user/EXISTING", "org/ORG_ONLY"}
    assert stored_values(tenant) == {
        ("user", "NEW_A"): "a-value",
        ("user", "NEW_B"): "b-value",
        ("user", "EXISTING"): "new",
        ("org", "ORG_ONLY"): "new-org",
    }
    finished = [e for e in events if e.result is not None]
    assert len(events) == 8 and len(finished) == 4
    assert finished[-1].done == finished[-1].total == 4


async def test_reports_never_show_values_and_a_broken_progress_callback_is_harmless(
    tenant: Tenant, client: AmikaClient
) -> None:
    def broken(event: PushProgress) -> None:
        raise RuntimeError("progress bar exploded")

    tenant.server.faults.fail_rate = 1.0
    executor = PushExecutor(client, retry=RetryPolicy(max_attempts=1), on_progress=broken)
    report = await executor.run([PushItem.create_secret("HIDDEN", "hunter2-secret-value")])
    assert report.failed and "hunter2" not in repr(report) and "hunter2" not in report.summary()
    tenant.server.faults.reset()
    retried = await executor.retry_failed(report)
    assert retried.ok and "hunter2" not in repr(retried)
    assert stored_values(tenant) == {("user", "HIDDEN"): "hunter2-secret-value"}


async def test_transient_503s_are_retried_until_everything_lands(
    tenant: Tenant, client: AmikaClient
) -> None:
    for name, value in values(10, "OLD").items():
        await client.create_secret(name, value)
    wanted = values(30) | {name: "updated" for name in values(10, "OLD")}
    plan = plan_secrets(entries_from_mapping(wanted), await client.list_secrets(), Scope.USER)
    tenant.server.faults.fail_rate = 0.3
    report = await PushExecutor(client, retry=FAST_RETRY).run(plan.items())
    tenant.server.faults.reset()

    assert report.ok, [(r.label, r.error) for r in report.failed]
    assert (len(report.created), len(report.updated)) == (30, 10)
    assert 503 in tenant.statuses("POST") + tenant.statuses("PUT")
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


async def test_failure_after_commit_never_duplicates(tenant: Tenant, client: AmikaClient) -> None:
    wanted = values(30)
    plan = plan_secrets(entries_from_mapping(wanted), [], Scope.ORG)
    tenant.server.faults.fail_after_commit_rate = 0.5
    report = await PushExecutor(client, retry=FAST_RETRY).run(plan.items())
    tenant.server.faults.reset()

    assert report.ok and len(report.created) == 30
    confirmed = [r for r in report.created if r.note and "uncertain" in r.note]
    assert confirmed, "some creates should have been confirmed by listing"
    assert 503 in tenant.statuses("POST")
    assert 409 not in tenant.statuses("POST"), "an uncertain create was blindly re-posted"
    assert stored_values(tenant) == {("org", k): v for k, v in wanted.items()}  # no duplicates


async def test_dropped_connections_after_commit_never_duplicate(
    tenant: Tenant, client: AmikaClient
) -> None:
    wanted = values(30, "DROP")
    plan = plan_secrets(entries_from_mapping(wanted), [], Scope.USER)
    tenant.server.faults.drop_after_commit_rate = 0.3
    report = await PushExecutor(client, retry=FAST_RETRY).run(plan.items())
    tenant.server.faults.reset()

    assert report.ok and len(report.created) == 30
    assert 0 in tenant.statuses("POST"), "some connections should have been dropped"
    assert 409 not in tenant.statuses("POST"), "an uncertain create was blindly re-posted"
    rows = [r for r in tenant.stored_secrets() if r["kind"] == "secret"]
    assert len(rows) == 30  # no duplicates
    assert {r["name"]: r["value"] for r in rows} == wanted
    assert {r["scope"] for r in rows} == {"user"}


async def test_429_retry_after_is_honoured(tenant: Tenant) -> None:
    # The client does not retry here, so the executor sees each 429 and waits Retry-After.
    async with AmikaClient(tenant.url, access_token=tenant.api_key, max_retries=0) as client:
        tenant.server.faults.rate_limit = 6.0
        wanted = values(10)
        report = await PushExecutor(client, retry=FAST_RETRY).run(
            plan_secrets(entries_from_mapping(wanted), [], Scope.USER).items()
        )
    assert report.ok and len(report.created) == 10
    assert 429 in tenant.statuses("POST")
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


async def test_a_retry_after_longer_than_allowed_fails_with_the_server_message(
    tenant: Tenant,
) -> None:
    async with AmikaClient(tenant.url, access_token=tenant.api_key, max_retries=0) as client:
        # One request per 10 s: the second create is refused with Retry-After 10, even on a
        # machine slow enough to take a second between the two.
        tenant.server.faults.rate_limit = 0.1
        impatient = RetryPolicy(max_attempts=5, backoff_base=0.001, max_retry_after=0.5)
        items = [PushItem.create_secret("FIRST", "1"), PushItem.create_secret("SECOND", "2")]
        report = await PushExecutor(client, concurrency=1, retry=impatient).run(items)
    assert [r.outcome for r in report.results] == [Outcome.CREATED, Outcome.FAILED]
    failed = report.failed[0]
    assert failed.error is not None and failed.error.startswith("rate_limited:")
    assert failed.error_status == 429
    assert failed.retry_item is not None and failed.retry_item.value == "2"


async def test_cancel_stops_scheduling_and_reports_what_finished(
    tenant: Tenant, client: AmikaClient
) -> None:
    tenant.server.faults.latency_ms = 20
    executor = PushExecutor(client, concurrency=2, retry=FAST_RETRY)

    def cancel_after_three(event: PushProgress) -> None:
        if event.done >= 3:
            executor.cancel()

    executor.on_progress = cancel_after_three
    wanted = values(20)
    report = await executor.run(plan_secrets(entries_from_mapping(wanted), [], "user").items())
    tenant.server.faults.reset()

    assert report.cancelled and report.summary().endswith("(cancelled)")
    assert 3 <= len(report.created) <= 4  # the other worker's item in flight finishes
    assert len(report.skipped) == 20 - len(report.created)
    assert stored_values(tenant) == {("user", r.item.name): r.item.value for r in report.created}

    executor.on_progress = None
    finished = await executor.retry_failed(report, include_skipped=True)
    assert finished.ok and len(finished.created) == 20 and not finished.cancelled
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


async def test_retry_failed_reruns_only_the_failures_with_the_values_kept(
    tenant: Tenant, client: AmikaClient
) -> None:
    await client.create_secret("ALREADY", "old")
    plan = plan_secrets(
        entries_from_mapping({"ALREADY": "new", "FRESH": "fresh-value"}),
        await client.list_secrets(),
        Scope.USER,
    )
    tenant.server.faults.fail_rate = 1.0
    executor = PushExecutor(client, retry=RetryPolicy(max_attempts=2, backoff_base=0.001))
    report = await executor.run(plan.items())
    assert len(report.failed) == 2 and not report.ok
    assert all(r.error == "service_unavailable: injected failure" for r in report.failed)

    tenant.server.faults.reset()
    tenant.server.clear_request_log()
    retried = await executor.retry_failed(report)
    assert retried.ok and retried.summary() == "1 created, 1 updated"
    assert stored_values(tenant) == {("user", "ALREADY"): "new", ("user", "FRESH"): "fresh-value"}
    assert len(tenant.statuses("POST")) == 1 and len(tenant.statuses("PUT")) == 1
    again = await executor.retry_failed(retried)
    assert again is retried  # nothing left to retry


async def test_a_create_that_landed_but_failed_is_fixed_up_on_retry(
    tenant: Tenant, client: AmikaClient
) -> None:
    tenant.server.faults.fail_after_commit_rate = 1.0
    executor = PushExecutor(client, retry=RetryPolicy(max_attempts=1))
    report = await executor.run([PushItem.create_secret("LANDED", "the-value")])
    assert report.failed and "may have stored it" in (report.failed[0].note or "")
    tenant.server.faults.reset()
    retried = await executor.retry_failed(report)
    assert retried.ok
    assert stored_values(tenant) == {("user", "LANDED"): "the-value"}


async def test_a_stale_plan_updates_instead_of_failing_on_409(
    tenant: Tenant, client: AmikaClient
) -> None:
    plan = plan_secrets(entries_from_mapping({"RACE": "mine", "ELSEWHERE": "x"}), [], "user")
    await client.create_secret("RACE", "theirs", Scope.USER)  # created after planning
    # The server allows one name per scope, so a same-named org secret does not block a create.
    await client.create_secret("ELSEWHERE", "org-value", Scope.ORG)
    report = await PushExecutor(client).run(plan.items())
    assert [r.outcome for r in report.results] == [Outcome.UPDATED, Outcome.CREATED]
    assert "already existed" in (report.results[0].note or "")
    assert stored_values(tenant) == {
        ("user", "RACE"): "mine",
        ("user", "ELSEWHERE"): "x",
        ("org", "ELSEWHERE"): "org-value",
    }


async def test_bad_credentials_stop_the_push(tenant: Tenant) -> None:
    async with AmikaClient(tenant.url, access_token="wrong-key") as client:
        items = [PushItem.create_secret(f"K{i}", "v") for i in range(20)]
        report = await PushExecutor(client, concurrency=2).run(items)
    assert 1 <= len(report.failed) <= 2
    assert all(r.error_status == 401 for r in report.failed), "the UI routes 401 to sign-in"
    assert len(report.skipped) == 20 - len(report.failed)
    assert all((r.error or "").startswith("not attempted:") for r in report.skipped)
    assert all(r.error_status is None for r in report.skipped)
    assert stored_values(tenant) == {}


# --------------------------------------------------------------------------- providers


async def test_provider_replace_with_a_failing_create_keeps_the_value_and_retry_works(
    tenant: Tenant,
) -> None:
    async with AmikaClient(tenant.url, access_token=tenant.api_key, max_retries=0) as client:
        await client.create_provider_secret(
            "claude", "Claude OAuth", OAUTH_OLD, CredentialType.OAUTH
        )
        existing = await client.list_provider_secrets("claude")
        plan = plan_provider("claude", "Claude OAuth", OAUTH_NEW, "oauth", "user", existing)
        item = plan.to_item()
        assert item is not None and item.action is PushAction.REPLACE
        # One request per 10 s: the DELETE passes, the POST is refused with Retry-After 10.
        tenant.server.reset_rate_limits()
        tenant.server.faults.rate_limit = 0.1
        executor = PushExecutor(client, retry=RetryPolicy(max_attempts=3, max_retry_after=0.1))
        report = await executor.run([item])

        [failed] = report.failed
        assert "old credential was already deleted" in (failed.note or "")
        assert failed.retry_item is not None and failed.retry_item.value == OAUTH_NEW
        assert failed.retry_item.replaces_ids == ()  # only the upload is left
        assert stored_values(tenant, "provider") == {}

        tenant.server.faults.reset()
        retried = await executor.retry_failed(report)
    assert retried.ok and retried.summary() == "1 replaced"
    assert stored_values(tenant, "provider") == {("user", "Claude OAuth"): OAUTH_NEW}


async def test_provider_org_replace_and_uncertain_create(
    tenant: Tenant, client: AmikaClient
) -> None:
    await client.create_provider_secret(
        "codex", "Old team key", "sk-old", CredentialType.API_KEY, Scope.ORG
    )
    plan = plan_provider(
        "codex", "Team key", "sk-new", "api_key", "org", await client.list_provider_secrets("codex")
    )
    fresh = plan_provider("claude", "Mine", "sk-ant-mine", CredentialType.API_KEY, "user", [])
    items = [i for i in (plan.to_item(), fresh.to_item()) if i is not None]
    tenant.server.faults.fail_after_commit_rate = 1.0  # every write lands, then answers 503
    report = await PushExecutor(client, retry=FAST_RETRY).run(items)
    tenant.server.faults.reset()

    assert [r.outcome for r in report.results] == [Outcome.REPLACED, Outcome.CREATED]
    assert stored_values(tenant, "provider") == {
        ("org", "Team key"): "sk-new",
        ("user", "Mine"): "sk-ant-mine",
    }

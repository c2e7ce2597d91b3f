"""The push executor against the reference server: faults, no duplicates, cancel, retry."""

from __future__ import annotations

from amika_tui.api import AmikaClient, CredentialType, Scope
from amika_tui.sync.executor import Outcome, PushExecutor, PushProgress, PushRetry, RetryPolicy
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.sync.plan import entries_from_mapping, plan_provider, plan_secrets
from tests.conftest import Tenant
from tests.sync.conftest import (
    FAST_RETRY,
    BeforeRequest,
    FailingRequests,
    FakeTime,
    requests_of,
    stored_values,
)

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
    posts = tenant.statuses("POST")
    assert 503 in posts
    assert 409 in posts, "an uncertain create is simply posted again; the server refuses it"
    assert len(tenant.statuses("GET", "/secrets")) <= posts.count(409), "listed only after a 409"
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
    posts = tenant.statuses("POST")
    assert 0 in posts, "some connections should have been dropped"
    assert len(tenant.statuses("GET", "/secrets")) <= posts.count(409), "listed only after a 409"
    rows = [r for r in tenant.stored_secrets() if r["kind"] == "secret"]
    assert len(rows) == 30  # no duplicates
    assert {r["name"]: r["value"] for r in rows} == wanted
    assert {r["scope"] for r in rows} == {"user"}


async def test_an_uncertain_create_is_posted_again_without_listing_first(
    tenant: Tenant,
) -> None:
    async def server_recovers() -> None:
        tenant.server.faults.reset()

    source = BeforeRequest(tenant.api_key, 2, server_recovers)
    tenant.server.faults.fail_rate = 1.0  # the first POST gets a 503: did it land?
    async with AmikaClient(tenant.url, token_source=source) as client:
        report = await PushExecutor(client, retry=FAST_RETRY).run(
            [PushItem.create_secret("AGAIN", "the-value")]
        )

    assert report.summary() == "1 created" and report.results[0].attempts == 2
    assert requests_of(tenant) == [("POST", "/secrets", 503), ("POST", "/secrets", 201)]
    assert stored_values(tenant) == {("user", "AGAIN"): "the-value"}


async def test_a_409_after_an_uncertain_create_counts_as_created_with_our_value(
    tenant: Tenant,
) -> None:
    # The first POST stores the secret, then answers 503. Before the retry a colleague
    # overwrites the org secret; the retry's 409 leads to one listing and our value.
    colleague = tenant.member()

    async def colleague_writes_meanwhile() -> None:
        tenant.server.faults.reset()
        async with AmikaClient(tenant.url, access_token=colleague.api_key) as other:
            [landed] = [s for s in await other.list_secrets() if s.name == "SHARED"]
            await other.update_secret(landed.id, "the-colleague's-value")

    source = BeforeRequest(tenant.api_key, 2, colleague_writes_meanwhile)
    tenant.server.faults.fail_after_commit_rate = 1.0
    async with AmikaClient(tenant.url, token_source=source) as client:
        report = await PushExecutor(client, retry=FAST_RETRY).run(
            [PushItem.create_secret("SHARED", "our-value", Scope.ORG)]
        )

    [result] = report.results
    assert result.outcome is Outcome.CREATED and "uncertain" in (result.note or "")
    assert [(method, status) for method, _, status in requests_of(tenant)] == [
        ("POST", 503),
        ("POST", 409),
        ("GET", 200),
        ("PUT", 200),
    ]
    assert stored_values(tenant) == {("org", "SHARED"): "our-value"}


async def test_an_item_waiting_to_retry_holds_no_slot(tenant: Tenant, client: AmikaClient) -> None:
    # One slot. FIRST gets a 503, is retried at once (one fault between successes), gets
    # another and must wait; SECOND is pushed meanwhile.
    time = FakeTime()
    finished: list[tuple[str, int, int]] = []
    executor = PushExecutor(
        client, concurrency=1, retry=FAST_RETRY, clock=time.clock, sleep=time.sleep
    )

    def progress(event: PushProgress) -> None:
        if event.result is None and event.current.name == "SECOND":
            tenant.server.faults.reset()
        elif event.result is not None:
            finished.append((event.current.name, executor.in_flight, executor.waiting))

    executor.on_progress = progress
    tenant.server.faults.fail_rate = 1.0
    items = [PushItem.create_secret("FIRST", "1"), PushItem.create_secret("SECOND", "2")]
    report = await executor.run(items)

    assert report.summary() == "2 created"
    # SECOND finished while nothing was in flight and FIRST waited for its retry.
    assert finished == [("SECOND", 0, 1), ("FIRST", 0, 0)]
    assert [r.attempts for r in report.results] == [3, 1]
    assert len(time.sleeps) == 1, "the first retry went at once, the second waited"
    assert stored_values(tenant) == {("user", "FIRST"): "1", ("user", "SECOND"): "2"}


async def test_an_item_failing_again_among_successes_is_retried_at_once(
    tenant: Tenant,
) -> None:
    # One slot, so the requests go in order: six creates land, the seventh item's first two
    # attempts get 503s, one after the other; the server is not down, so neither waits.
    time = FakeTime()
    retries: list[PushRetry] = []
    source = FailingRequests(tenant, failing={7, 8})
    async with AmikaClient(tenant.url, token_source=source) as client:
        executor = PushExecutor(
            client, concurrency=1, clock=time.clock, sleep=time.sleep, on_retry=retries.append
        )
        wanted = values(8)
        report = await executor.run(plan_secrets(entries_from_mapping(wanted), [], "user").items())

    assert report.ok and [r.attempts for r in report.results] == [1] * 6 + [3, 1]
    assert [(r.attempt, r.status, r.delay) for r in retries] == [(2, 503, 0.0), (3, 503, 0.0)]
    assert time.sleeps == [], "nothing waited"
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


async def test_a_server_that_is_down_gets_ever_longer_waits(tenant: Tenant) -> None:
    # Six creates land, then every request fails: once half of the recent attempts failed,
    # each item waits before its retries, longer after each failure.
    time = FakeTime()
    retries: list[PushRetry] = []
    source = FailingRequests(tenant, failing=set(range(7, 1000)))
    policy = RetryPolicy(max_attempts=5, backoff_base=0.1, backoff_max=10.0)
    async with AmikaClient(tenant.url, token_source=source) as client:
        executor = PushExecutor(
            client,
            concurrency=1,
            retry=policy,
            clock=time.clock,
            sleep=time.sleep,
            on_retry=retries.append,
        )
        report = await executor.run(
            plan_secrets(entries_from_mapping(values(8)), [], "user").items()
        )

    assert report.summary() == "6 created, 2 failed"
    last = [r.delay for r in retries if r.item.name == "KEY_007"]
    assert len(last) == 4 and last[0] == 0.0, "its first failure is retried at once"
    assert 0.05 <= last[1] <= last[2] <= last[3] <= 0.4, "then the waits grow"
    assert time.sleeps, "the push waited for the server"


async def test_cancel_fails_an_item_waiting_to_retry_at_once_keeping_its_value(
    tenant: Tenant, client: AmikaClient
) -> None:
    time = FakeTime()
    executor = PushExecutor(client, retry=FAST_RETRY, clock=time.clock, sleep=time.sleep)

    async def user_cancels() -> None:
        executor.cancel()

    time.on_sleep = user_cancels
    tenant.server.faults.fail_rate = 1.0
    report = await executor.run([PushItem.create_secret("WAITING", "kept-value")])

    [failed] = report.failed
    assert report.cancelled and failed.attempts == 2
    assert "cancelled before this retry" in (failed.note or "")
    assert failed.retry_item is not None and failed.retry_item.value == "kept-value"
    tenant.server.faults.reset()
    assert (await executor.retry_failed(report)).ok
    assert stored_values(tenant) == {("user", "WAITING"): "kept-value"}


async def test_concurrency_grows_while_latency_holds(tenant: Tenant, client: AmikaClient) -> None:
    time = FakeTime()  # every answer takes no time at all: latency always holds
    executor = PushExecutor(client, clock=time.clock, sleep=time.sleep)
    limits: list[int] = []
    executor.on_progress = lambda event: limits.append(executor.concurrency)
    report = await executor.run([PushItem.create_secret(f"G{i:03d}", "v") for i in range(80)])

    assert report.ok
    assert _distinct(limits) == [8, 16, 32], "doubles per healthy window, up to the ceiling"


async def test_concurrency_halves_once_on_a_burst_of_429s_and_grows_again(
    tenant: Tenant,
) -> None:
    time = FakeTime()

    async def limit_lifted() -> None:
        tenant.server.faults.reset()

    time.on_sleep = limit_lifted
    # No client-level retries, so every 429 reaches the executor.
    async with AmikaClient(tenant.url, access_token=tenant.api_key, max_retries=0) as client:
        executor = PushExecutor(client, retry=FAST_RETRY, clock=time.clock, sleep=time.sleep)
        limits: list[int] = []
        executor.on_progress = lambda event: limits.append(executor.concurrency)
        tenant.server.faults.rate_limit = 0.1  # one request, then 429 with Retry-After 10
        wanted = values(40)
        items = plan_secrets(entries_from_mapping(wanted), [], Scope.USER).items()
        report = await executor.run(items)

    assert report.ok and 429 in tenant.statuses("POST")
    assert _distinct(limits)[:3] == [8, 4, 5], "halved once for the burst, then grows by one"
    assert min(limits) == 4
    assert time.sleeps and max(time.sleeps) >= 9, "nothing started before Retry-After passed"
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


async def test_a_429_the_client_retried_by_itself_still_halves_concurrency(
    tenant: Tenant,
) -> None:
    # One request per second: of two creates sent together one is refused (Retry-After 1)
    # and the client's own retry gets it through a second later.
    async with AmikaClient(tenant.url, access_token=tenant.api_key, backoff_max=2.0) as client:
        executor = PushExecutor(client, concurrency=2, retry=FAST_RETRY)
        limits: list[int] = []
        executor.on_progress = lambda event: limits.append(executor.concurrency)
        tenant.server.faults.rate_limit = 1.0
        report = await executor.run([PushItem.create_secret(f"R{i}", "v") for i in range(2)])

    assert report.ok and all(r.attempts == 1 for r in report.results)
    assert client.rate_limited_count == 1
    assert _distinct(limits) == [2, 1]


def _distinct(seen: list[int]) -> list[int]:
    """``seen`` without consecutive repeats."""
    return [value for i, value in enumerate(seen) if i == 0 or seen[i - 1] != value]


async def test_a_503_saying_when_the_service_is_back_holds_the_push_and_halves_it(
    tenant: Tenant, client: AmikaClient
) -> None:
    # Down for maintenance: every answer is a 503 with Retry-After 30, until the push has
    # waited. No item comes back before then, and the push resumes at half its pace.
    time = FakeTime()

    async def service_is_back() -> None:
        tenant.server.faults.reset()

    time.on_sleep = service_is_back
    retries: list[PushRetry] = []
    executor = PushExecutor(
        client, retry=FAST_RETRY, clock=time.clock, sleep=time.sleep, on_retry=retries.append
    )
    limits: list[int] = []
    executor.on_progress = lambda event: limits.append(executor.concurrency)
    tenant.server.faults.fail_rate = 1.0
    tenant.server.faults.fail_retry_after = 30
    wanted = values(20)
    report = await executor.run(plan_secrets(entries_from_mapping(wanted), [], "user").items())

    assert report.ok and len(report.created) == 20
    assert len(retries) == 8, "the first eight attempts were refused, nothing sent after them"
    assert all(r.status == 503 and r.delay >= 30 for r in retries)
    assert time.sleeps and max(time.sleeps) >= 29, "nothing started before Retry-After passed"
    assert _distinct(limits)[:2] == [8, 4], "halved once for the whole refused window"
    assert stored_values(tenant) == {("user", k): v for k, v in wanted.items()}


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

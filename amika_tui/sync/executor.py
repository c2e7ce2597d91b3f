"""The one push path: concurrent, fault-tolerant execution of push items, with a report.

Every way of pushing (typed by hand, a ``.env`` file, extracted credentials, provider
credentials, ``amika-tui push``) ends here as a list of :class:`PushItem` s.

Scheduling
----------
Items wait in one queue. An item is *in flight* while one attempt at it (one request, or a
few: delete, create, list, update) is running; how many may be in flight adapts
(:mod:`amika_tui.sync.pacing`): a push starts at 8, grows while latency holds, halves when
the server asks it to slow down (a 429, or a 5xx with ``Retry-After``), and never exceeds
its ceiling (32 by default, or the ``concurrency`` given). An attempt that fails
transiently does not sleep in its slot: the item goes back into the queue with the time it
is due again, and the slot serves the next item meanwhile. Whether to wait before a retry
is judged on the server's recent answers, not the item's alone: while at least half of the
last 32 finished attempts failed for a passing reason the server counts as failing, and an
item's wait grows exponentially (with jitter) in its failures; a fault among successes (a
flaky network, one bad backend) is retried at once, however often that item failed before.
Retries count against the in-flight limit like first attempts, so retrying at once never
puts more requests in flight. A request to slow down is never retried at once, and its
``Retry-After`` holds back every new attempt until then (a 503 saying when the service is
back is about the service, not one item). Time (the clock and the wait for the next due
item) is injectable.

Retry layering
--------------
The executor constructs nothing: it receives an :class:`AmikaClient`, whose own retry
settings apply to every single request. The client already retries GET, PUT and DELETE on
transient failures, and a POST only when it cannot have landed (connection never opened, or
a 429). On top of that the executor retries whole *items*, with two budgets so the layers do
not multiply absurdly: updates and deletes, already retried by the client, get few attempts
(``RetryPolicy.max_attempts_idempotent``, default 3, so at most 3 × 4 requests with the
client's defaults); creates get more (``max_attempts``, default 10), because for a POST that
may have landed the executor is the only retry layer.

Creates that may have landed
----------------------------
A create that failed ambiguously (5xx, a malformed 2xx, or a transport error after the
request was sent) is simply POSTed again: the server refuses a second secret with the same
name in the same scope (409), so a repeat cannot duplicate. Only a 409 costs a listing (one
listing, started after the 409, is shared by every item waiting for one): if the name now
exists in that scope the item counts as created (after an uncertain answer) or updated (it
existed before), and a generic secret is also updated with the intended value, so the
stored value is right whatever happened.

Replace, cancellation, the report
---------------------------------
A replace deletes the conflicting provider credentials, then creates; when the create fails
after a delete the result says so and keeps the value for ``retry_failed``.
:meth:`PushExecutor.cancel` stops starting new items: items in flight finish, items waiting
to retry are reported failed at once (values kept), items never started are reported
skipped. A 401 stops the push the same way. The report has one result per item, in the
order given, and never a value.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeGuard, TypeVar

from amika_tui.api import (
    AmikaClient,
    AmikaError,
    AmikaHTTPError,
    AmikaResponseError,
    AmikaTransportError,
    AuthenticationError,
    ConflictError,
    InsecureTransportError,
    NotFoundError,
    ProviderCredential,
    RateLimitedError,
    Scope,
    Secret,
    ServerError,
)
from amika_tui.api.backoff import backoff_delay
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.sync.pacing import MAX_CONCURRENCY, AdaptiveConcurrency

__all__ = [
    "Clock",
    "ItemResult",
    "Outcome",
    "ProgressCallback",
    "PushExecutor",
    "PushProgress",
    "PushReport",
    "PushRetry",
    "RetryCallback",
    "RetryPolicy",
    "Sleep",
]

_log = logging.getLogger(__name__)

_E = TypeVar("_E")


class Outcome(StrEnum):
    """What finally happened to one item."""

    CREATED = "created"
    UPDATED = "updated"
    REPLACED = "replaced"
    SKIPPED = "skipped"
    """Never attempted: the push was cancelled or stopped before reaching it."""
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The result of one item. A failed result keeps the value (in ``retry_item``)."""

    item: PushItem
    outcome: Outcome
    attempts: int = 0
    error: str | None = None
    """FAILED: the error's ``user_message()``; SKIPPED: why it was not attempted."""
    error_status: int | None = None
    """FAILED: the HTTP status of the error, when the server answered (401: sign in again)."""
    note: str | None = None
    """Anything the user should know, e.g. that an old credential is already deleted."""
    retry_item: PushItem | None = None
    """FAILED / SKIPPED: what ``retry_failed`` runs (for a half-done replace: the create)."""

    @property
    def label(self) -> str:
        """The item's unique label."""
        return self.item.label

    @property
    def ok(self) -> bool:
        """True when the item was written."""
        return self.outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.REPLACED)


@dataclass(frozen=True, slots=True)
class PushReport:
    """Every item's result, in the order the items were given."""

    results: tuple[ItemResult, ...]
    cancelled: bool = False

    def _of(self, outcome: Outcome) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.outcome is outcome)

    @property
    def created(self) -> tuple[ItemResult, ...]:
        """Results of items created."""
        return self._of(Outcome.CREATED)

    @property
    def updated(self) -> tuple[ItemResult, ...]:
        """Results of items updated."""
        return self._of(Outcome.UPDATED)

    @property
    def replaced(self) -> tuple[ItemResult, ...]:
        """Results of provider credentials replaced."""
        return self._of(Outcome.REPLACED)

    @property
    def skipped(self) -> tuple[ItemResult, ...]:
        """Results of items never attempted."""
        return self._of(Outcome.SKIPPED)

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        """Results of items that failed (each with ``error`` and ``retry_item``)."""
        return self._of(Outcome.FAILED)

    @property
    def ok(self) -> bool:
        """True when every item was written."""
        return all(r.ok for r in self.results)

    def counts(self) -> dict[Outcome, int]:
        """Number of results per outcome (every outcome present, zero or not)."""
        return {o: sum(1 for r in self.results if r.outcome is o) for o in Outcome}

    def summary(self) -> str:
        """E.g. ``"12 created, 3 updated, 1 failed"`` (zero parts left out)."""
        parts = [f"{n} {o}" for o, n in self.counts().items() if n]
        text = ", ".join(parts) if parts else "nothing pushed"
        return text + " (cancelled)" if self.cancelled else text

    def merged(self, retried: PushReport) -> PushReport:
        """This report with the results of a retry put in place of the earlier ones."""
        newer = {r.label: r for r in retried.results}
        results = tuple(newer.pop(r.label, r) for r in self.results)
        return PushReport(results + tuple(newer.values()), cancelled=retried.cancelled)


@dataclass(frozen=True, slots=True)
class PushProgress:
    """A progress event: an item started (``result`` is None) or finished."""

    done: int
    total: int
    current: PushItem
    result: ItemResult | None = None


ProgressCallback = Callable[[PushProgress], None]
Clock = Callable[[], float]
"""Seconds on a monotonic clock (``time.monotonic``)."""
Sleep = Callable[[float], Awaitable[None]]
"""Waits that many seconds (``asyncio.sleep``)."""


@dataclass(frozen=True, slots=True)
class PushRetry:
    """An item's attempt failed for a passing reason; the next one starts after ``delay``."""

    item: PushItem
    attempt: int
    """The attempt about to be made (2 for the first retry)."""
    error: str
    """What went wrong, as the error's ``user_message()`` (never a value)."""
    status: int | None
    """The HTTP status of the failure, when the server answered."""
    delay: float
    """Seconds until the next attempt."""


RetryCallback = Callable[[PushRetry], None]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Item-level retries, on top of the client's per-request retries (see module doc)."""

    max_attempts: int = 10
    """Attempts for a create. The client never retries a POST that may have landed, so the
    executor is the only retry layer there (each attempt POSTs; a 409 is then looked up)."""
    max_attempts_idempotent: int = 3
    """Attempts for an update or a delete, each of which the client already retries."""
    backoff_base: float = 0.1
    """The first wait (jittered down to half) of an item failing a second time while the
    server is failing; it doubles with each further failure of the item. A fault among
    successes is retried at once."""
    backoff_max: float = 4.0
    """The longest wait between two attempts at one item (a Retry-After can be longer)."""
    max_retry_after: float = 60.0
    """A 429 (or a 5xx) asking to wait longer than this fails the item instead of waiting."""


# Worth another attempt. A malformed 2xx counts: after a create it may well have landed.
_TRANSIENT = (RateLimitedError, ServerError, AmikaTransportError, AmikaResponseError)

_HEALTH_WINDOW = 32
"""The last this many finished attempts tell whether the server is failing."""


def _call(callback: Callable[[_E], None] | None, event: _E) -> None:
    """Tell ``callback`` about ``event``; a broken progress view must not break the push."""
    if callback is None:
        return
    try:
        callback(event)
    except Exception:
        _log.exception("push %s callback failed", type(event).__name__)


def _slow_down(error: object) -> TypeGuard[AmikaHTTPError]:
    """The server asked us to slow down: a 429, or a 5xx saying when to come back."""
    return isinstance(error, RateLimitedError) or (
        isinstance(error, ServerError) and error.retry_after is not None
    )


class _Fatal(Exception):
    """An error that would fail every other item too (bad credentials)."""

    def __init__(self, error: AmikaError) -> None:
        super().__init__(error.user_message())
        self.status = _status_of(error)


def _status_of(error: AmikaError) -> int | None:
    return error.status if isinstance(error, AmikaHTTPError) else None


@dataclass
class _Run:
    """The mutable state of one item while it is being pushed."""

    index: int
    original: PushItem
    item: PushItem
    attempts: int = 0
    deleted: bool = False
    was_ambiguous: bool = False
    """A create got an answer that does not say whether it landed."""
    error: AmikaError | None = None
    """The last attempt's error, while the item waits to be tried again."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Attempt:
    """One attempt in flight: what it is for, and what it started with."""

    run: _Run
    started: float
    epoch: int
    rate_limited_count: int


@dataclass
class _Listing:
    seq: int
    secrets: list[Secret] | list[ProviderCredential]


class PushExecutor:
    """Pushes items through one shared client with adaptive, bounded concurrency.

    Args:
        client: The client to use; its retry settings apply per request.
        concurrency: At most this many items in flight (default 32); a push starts at 8
            (or this, when lower) and adapts (see the module doc).
        retry: Item-level retry policy.
        on_progress: Called (on the event loop) when an item starts and when it finishes.
        clock: The monotonic clock that due times and latencies are measured on.
        sleep: How to wait until the next item is due.
        on_retry: Called (on the event loop) before an item waits to be tried again.
    """

    def __init__(
        self,
        client: AmikaClient,
        *,
        concurrency: int = MAX_CONCURRENCY,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        on_retry: RetryCallback | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.client = client
        self.max_concurrency = concurrency
        """The hard ceiling of items in flight."""
        self.retry = retry or RetryPolicy()
        self.on_progress = on_progress
        self.pacing = AdaptiveConcurrency(concurrency)
        """The current run's in-flight limit (a fresh one per run)."""
        self.on_retry = on_retry
        self._clock = clock
        self._sleep = sleep
        self._cancel = asyncio.Event()
        self._abort: str | None = None
        self._resume_at = 0.0
        self._recent: deque[bool] = deque(maxlen=_HEALTH_WINDOW)
        """Whether each of the last finished attempts failed for a passing reason."""
        self._schedule: _Schedule | None = None
        self._seq = 0
        self._listings: dict[str | None, _Listing] = {}
        self._list_locks: dict[str | None, asyncio.Lock] = {}

    # --- public ----------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop starting new items; the running ``run`` returns once in-flight ones end."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once ``cancel()`` was called during the current run."""
        return self._cancel.is_set()

    @property
    def concurrency(self) -> int:
        """How many items may be in flight now (it adapts while a push runs)."""
        return self.pacing.limit

    @property
    def in_flight(self) -> int:
        """How many items have an attempt running now (after a cut of ``concurrency``,
        running attempts finish, so this may exceed it for a moment)."""
        return len(self._schedule.in_flight) if self._schedule is not None else 0

    @property
    def waiting(self) -> int:
        """How many items are waiting to be tried again (they hold no slot)."""
        return len(self._schedule.waiting) if self._schedule is not None else 0

    async def run(self, items: Sequence[PushItem]) -> PushReport:
        """Push ``items``; returns the report (never raises for a failed item)."""
        labels = [item.label for item in items]
        if len(set(labels)) != len(labels):
            raise ValueError("push items must have distinct labels (provider, scope and name)")
        self._cancel.clear()  # cancel() applies to the run in progress
        self._abort = None
        self._resume_at = 0.0
        self._recent.clear()
        self._listings.clear()
        self.pacing = AdaptiveConcurrency(self.max_concurrency)
        results: list[ItemResult | None] = [None] * len(items)
        self._schedule = _Schedule(self, items, results)
        try:
            await self._schedule.run()
        finally:
            self._schedule = None
        reason = self._abort or "cancelled before it started"
        final = tuple(
            r if r is not None else ItemResult(item, Outcome.SKIPPED, error=reason, retry_item=item)
            for r, item in zip(results, items, strict=True)
        )
        return PushReport(final, cancelled=self._cancel.is_set())

    async def retry_failed(
        self, report: PushReport, *, include_skipped: bool = False
    ) -> PushReport:
        """Run again only the failed items (and the skipped ones if asked), with the values
        kept in memory; returns ``report`` with those results replaced."""
        wanted = {Outcome.FAILED, Outcome.SKIPPED} if include_skipped else {Outcome.FAILED}
        items = [
            r.retry_item for r in report.results if r.outcome in wanted and r.retry_item is not None
        ]
        if not items:
            return report
        return report.merged(await self.run(items))

    # --- one item --------------------------------------------------------------------------

    def _emit(self, event: PushProgress) -> None:
        _call(self.on_progress, event)

    @property
    def _stopping(self) -> bool:
        return self._cancel.is_set() or self._abort is not None

    def _begin(self, run: _Run) -> _Attempt:
        """Account for an attempt that is about to start."""
        run.attempts += 1
        return _Attempt(run, self._clock(), self.pacing.epoch, self.client.rate_limited_count)

    def _after_attempt(self, attempt: _Attempt, outcome: Outcome | BaseException) -> float | None:
        """Account for a finished attempt; returns the seconds until the item is due again,
        or None when the item is done."""
        run = attempt.run
        self.pacing.finished(attempt.epoch, self._clock() - attempt.started)
        if _slow_down(outcome) or self.client.rate_limited_count > attempt.rate_limited_count:
            self.pacing.rate_limited(attempt.epoch)
        self._recent.append(isinstance(outcome, _TRANSIENT))
        if isinstance(outcome, Outcome):
            return None
        if isinstance(outcome, _Fatal):
            self._abort = f"not attempted: {outcome}"
            return None
        assert isinstance(outcome, AmikaError)
        run.error = outcome
        delay = self._retry_delay(outcome, run)
        if delay is None:
            return None
        if _slow_down(outcome) and outcome.retry_after is not None:
            # The server asked this caller, not this item, to wait: start nothing until then.
            self._resume_at = max(self._resume_at, self._clock() + outcome.retry_after)
        retry = PushRetry(
            run.original, run.attempts + 1, outcome.user_message(), _status_of(outcome), delay
        )
        _call(self.on_retry, retry)
        return delay

    def _result(self, run: _Run, outcome: Outcome | BaseException) -> ItemResult:
        """The final result of an item whose last attempt ended with ``outcome``."""
        if isinstance(outcome, Outcome):
            note = "; ".join(run.notes) or None
            return ItemResult(run.original, outcome, run.attempts, note=note)
        if isinstance(outcome, _Fatal):
            return self._failed(run, str(outcome), status=outcome.status)
        assert isinstance(outcome, AmikaError)
        return self._failed(run, outcome.user_message(), status=_status_of(outcome))

    def _stopped(self, run: _Run) -> ItemResult:
        """The result of an item that was waiting to retry when the push stopped."""
        assert run.error is not None
        why = "cancelled" if self._cancel.is_set() else "stopped"
        return self._failed(
            run,
            run.error.user_message(),
            f"the push was {why} before this retry",
            status=_status_of(run.error),
        )

    def _failed(
        self,
        run: _Run,
        error: str,
        note: str | None = None,
        *,
        status: int | None = None,
    ) -> ItemResult:
        notes = list(run.notes)
        if note:
            notes.append(note)
        if run.was_ambiguous:
            notes.append("the server may have stored it; a retry cannot store it twice")
        if run.deleted:
            notes.append(
                "the old credential was already deleted and the new one was not stored; "
                "the value is kept, retry to upload it"
            )
        return ItemResult(
            run.original,
            Outcome.FAILED,
            run.attempts,
            error=error,
            error_status=status,
            note="; ".join(notes) or None,
            retry_item=run.item,
        )

    def _retry_delay(self, exc: AmikaError, run: _Run) -> float | None:
        """Seconds to wait before the next attempt, or None when ``exc`` is final."""
        attempt = run.attempts
        creating = run.item.action is not PushAction.UPDATE and not run.item.replaces_ids
        limit = self.retry.max_attempts if creating else self.retry.max_attempts_idempotent
        if attempt >= limit:
            return None
        if not isinstance(exc, _TRANSIENT):
            return None
        retry_after = exc.retry_after if _slow_down(exc) else None
        if retry_after is not None and retry_after > self.retry.max_retry_after:
            return None
        # The backoff grows with the item's failures only while the server is failing: a
        # fault among successes is retried at once (a request to slow down never).
        failures = attempt if self._server_failing else 1
        if _slow_down(exc):
            failures = max(failures, 2)
        if failures <= 1:
            return 0.0
        return backoff_delay(
            failures - 2,
            base=self.retry.backoff_base,
            cap=self.retry.backoff_max,
            retry_after=retry_after,
        )

    @property
    def _server_failing(self) -> bool:
        """At least half of the recent finished attempts failed for a passing reason."""
        return 2 * sum(self._recent) >= len(self._recent)

    async def _attempt(self, run: _Run) -> Outcome:
        try:
            return await self._attempt_inner(run)
        except (AuthenticationError, InsecureTransportError) as exc:
            raise _Fatal(exc) from None

    async def _attempt_inner(self, run: _Run) -> Outcome:
        item = run.item
        if item.action is PushAction.UPDATE:
            assert item.secret_id is not None
            await self.client.update_secret(item.secret_id, item.value)
            return Outcome.UPDATED
        if item.action is PushAction.REPLACE and item.replaces_ids:
            await self._delete_replaced(run)
        done = Outcome.REPLACED if item.action is PushAction.REPLACE else Outcome.CREATED
        try:
            await self._create(run.item)
        except ConflictError:
            found = await self._settle(run, since=self._next_seq())
            if found is None:
                raise
            return done if found is Outcome.CREATED else found
        except (ServerError, AmikaResponseError):
            run.was_ambiguous = True
            raise
        except AmikaTransportError as exc:
            if exc.request_sent:
                run.was_ambiguous = True
            raise
        return done

    async def _delete_replaced(self, run: _Run) -> None:
        item = run.item
        assert item.provider is not None
        remaining = list(item.replaces_ids)
        while remaining:
            with contextlib.suppress(NotFoundError):  # already gone: what we wanted
                await self.client.delete_provider_secret(item.provider, remaining[0])
            remaining.pop(0)
            run.deleted = True
            run.item = replace(item, replaces_ids=tuple(remaining))

    async def _create(self, item: PushItem) -> None:
        if item.provider is None:
            await self.client.create_secret(item.name, item.value, item.scope)
        else:
            assert item.credential_type is not None
            await self.client.create_provider_secret(
                item.provider, item.name, item.value, item.credential_type, item.scope
            )

    async def _settle(self, run: _Run, *, since: int) -> Outcome | None:
        """After a 409: look whether the name exists in the item's scope.

        Returns CREATED when it does after an uncertain create (ours landed), UPDATED when it
        existed before; generic secrets get the intended value written either way. Returns
        None when it is not there. Raises ConflictError when it exists in the other scope
        (generic) or another credential blocks it (provider).
        """
        item = run.item
        listing = await self._listing(item.provider, since)
        if item.provider is None:
            same = [s for s in listing if s.name == item.name and s.scope is item.scope]
            if not same:
                other = [s for s in listing if s.name == item.name]
                if other and not item.beside_other_scope:
                    raise ConflictError(
                        409,
                        "",
                        "secret_already_exists",
                        f"{item.name} exists in the {other[0].scope} scope; push it with that "
                        "scope to update it",
                    )
                return None
            # The secret exists; make sure it holds the intended value.
            await self.client.update_secret(same[0].id, item.value)
            if run.was_ambiguous:
                run.notes.append("confirmed after an uncertain answer from the server")
                return Outcome.CREATED
            run.notes.append("it already existed, so it was updated")
            return Outcome.UPDATED
        matches = [c for c in listing if c.name == item.name and c.scope is item.scope]
        if matches and run.was_ambiguous:
            run.notes.append("confirmed after an uncertain answer from the server")
            return Outcome.CREATED
        if matches or (item.scope is Scope.ORG and any(c.scope is Scope.ORG for c in listing)):
            raise ConflictError(
                409,
                "",
                "credential_already_exists",
                "a conflicting credential exists; plan the push again to replace it",
            )
        return None

    async def _listing(
        self, provider: str | None, since: int
    ) -> list[Secret] | list[ProviderCredential]:
        """A listing started after event ``since``; concurrent callers share one request."""
        lock = self._list_locks.setdefault(provider, asyncio.Lock())
        async with lock:
            cached = self._listings.get(provider)
            if cached is not None and cached.seq > since:
                return cached.secrets
            seq = self._next_seq()
            secrets: list[Secret] | list[ProviderCredential]
            if provider is None:
                secrets = await self.client.list_secrets()
            else:
                secrets = await self.client.list_provider_secrets(provider)
            self._listings[provider] = _Listing(seq, secrets)
            return secrets

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq


class _Schedule:
    """One run's queue: items never started, items due again later, attempts in flight."""

    def __init__(
        self, executor: PushExecutor, items: Sequence[PushItem], results: list[ItemResult | None]
    ) -> None:
        self.executor = executor
        self.results = results
        self.total = len(items)
        self.done = 0
        self.fresh = deque(enumerate(items))
        self.waiting: list[tuple[float, int, _Run]] = []
        """A heap of (due time, tie-breaker, item) of items to try again."""
        self.in_flight: dict[asyncio.Task[Outcome], _Attempt] = {}
        self._order = itertools.count()

    async def run(self) -> None:
        """Until every item has its result (or the push stopped and in-flight ones ended)."""
        executor = self.executor
        stop = asyncio.ensure_future(executor._cancel.wait())
        timer: asyncio.Future[None] | None = None
        try:
            while True:
                if executor._stopping:
                    self._fail_waiting()
                else:
                    self._start_due()
                if not self.in_flight and (executor._stopping or not (self.waiting or self.fresh)):
                    return
                wake: set[asyncio.Future[Any]] = set(self.in_flight)
                if not stop.done():
                    wake.add(stop)
                delay = self._until_next_start()
                if delay is not None:
                    timer = asyncio.ensure_future(executor._sleep(delay))
                    wake.add(timer)
                await asyncio.wait(wake, return_when=asyncio.FIRST_COMPLETED)
                if timer is not None:
                    timer.cancel()
                    timer = None
                for task in [task for task in self.in_flight if task.done()]:
                    self._collect(self.in_flight.pop(task), task)
        finally:
            stop.cancel()
            if timer is not None:
                timer.cancel()
            for task in self.in_flight:  # only when run itself fails or is cancelled
                task.cancel()

    def _start_due(self) -> None:
        """Start attempts while there are free slots and items due."""
        executor = self.executor
        while len(self.in_flight) < executor.pacing.limit:
            now = executor._clock()
            if now < executor._resume_at:
                return
            if self.waiting and self.waiting[0][0] <= now:
                run = heapq.heappop(self.waiting)[2]
            elif self.fresh:
                index, item = self.fresh.popleft()
                run = _Run(index, item, item)
                executor._emit(PushProgress(self.done, self.total, item))
            else:
                return
            attempt = executor._begin(run)
            self.in_flight[asyncio.ensure_future(executor._attempt(run))] = attempt

    def _until_next_start(self) -> float | None:
        """Seconds until something could start, when a slot is free and something waits."""
        executor = self.executor
        if len(self.in_flight) >= executor.pacing.limit or executor._stopping:
            return None
        due = [when for when, _, _ in self.waiting[:1]]
        if self.fresh:
            due.append(0.0)
        if not due:
            return None
        return max(0.0, max(min(due), executor._resume_at) - executor._clock())

    def _collect(self, attempt: _Attempt, task: asyncio.Task[Outcome]) -> None:
        executor = self.executor
        outcome: Outcome | BaseException
        try:
            outcome = task.result()
        except (AmikaError, _Fatal) as exc:
            outcome = exc
        run = attempt.run
        delay = executor._after_attempt(attempt, outcome)
        if delay is None:
            self._finish(run, executor._result(run, outcome))
        elif executor._stopping:
            self._finish(run, executor._stopped(run))
        else:
            due = executor._clock() + delay
            heapq.heappush(self.waiting, (due, next(self._order), run))

    def _fail_waiting(self) -> None:
        while self.waiting:
            run = heapq.heappop(self.waiting)[2]
            self._finish(run, self.executor._stopped(run))

    def _finish(self, run: _Run, result: ItemResult) -> None:
        self.results[run.index] = result
        self.done += 1
        self.executor._emit(PushProgress(self.done, self.total, run.original, result))

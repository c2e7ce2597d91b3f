"""The one push path: concurrent, fault-tolerant execution of push items, with a report.

Every way of pushing (typed by hand, a ``.env`` file, extracted credentials, provider
credentials) ends here as a list of :class:`PushItem` s.

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

That is also what makes creates safe: a create that failed ambiguously (5xx, a malformed
2xx, or a transport error after the request was sent) is never simply re-POSTed. The
executor lists again (one listing, started after the failure, is shared by every item
waiting for one); if the name now exists in that scope it counts as created, and a generic
secret is also updated with the intended value, so the stored value is right whatever
happened. Only when the name is absent is the POST sent again.

Cancellation
------------
:meth:`PushExecutor.cancel` stops scheduling new items; items in flight finish (an item
waiting to retry stops waiting and is reported failed, with its value kept for a retry).
Items never started are reported as skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

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

__all__ = [
    "DEFAULT_CONCURRENCY",
    "ItemResult",
    "Outcome",
    "ProgressCallback",
    "PushExecutor",
    "PushProgress",
    "PushReport",
    "PushRetry",
    "RetryCallback",
    "RetryPolicy",
]

_log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8

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
    executor is the only retry layer there (each attempt: look, then POST if absent)."""
    max_attempts_idempotent: int = 3
    """Attempts for an update or a delete, each of which the client already retries."""
    backoff_base: float = 0.1
    backoff_max: float = 4.0
    max_retry_after: float = 60.0
    """A 429 asking to wait longer than this fails the item instead of waiting."""


# Worth another attempt. A malformed 2xx counts: after a create it may well have landed.
_TRANSIENT = (RateLimitedError, ServerError, AmikaTransportError, AmikaResponseError)


def _call(callback: Callable[[_E], None] | None, event: _E) -> None:
    """Tell ``callback`` about ``event``; a broken progress view must not break the push."""
    if callback is None:
        return
    try:
        callback(event)
    except Exception:
        _log.exception("push %s callback failed", type(event).__name__)


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

    original: PushItem
    item: PushItem
    attempts: int = 0
    deleted: bool = False
    ambiguous_seq: int | None = None
    """Set after a create that may have landed: the next attempt looks before POSTing."""
    was_ambiguous: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class _Listing:
    seq: int
    secrets: list[Secret] | list[ProviderCredential]


class PushExecutor:
    """Pushes items through one shared client with bounded concurrency.

    Args:
        client: The client to use; its retry settings apply per request.
        concurrency: At most this many items in flight (default 8).
        retry: Item-level retry policy.
        on_progress: Called (on the event loop) when an item starts and when it finishes.
        on_retry: Called (on the event loop) before an item waits to be tried again.
    """

    def __init__(
        self,
        client: AmikaClient,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        on_retry: RetryCallback | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.client = client
        self.concurrency = concurrency
        self.retry = retry or RetryPolicy()
        self.on_progress = on_progress
        self.on_retry = on_retry
        self._cancel = asyncio.Event()
        self._abort: str | None = None
        self._seq = 0
        self._listings: dict[str | None, _Listing] = {}
        self._list_locks: dict[str | None, asyncio.Lock] = {}

    # --- public ----------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop scheduling new items; the running ``run`` returns once in-flight ones end."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once ``cancel()`` was called during the current run."""
        return self._cancel.is_set()

    async def run(self, items: Sequence[PushItem]) -> PushReport:
        """Push ``items``; returns the report (never raises for a failed item)."""
        labels = [item.label for item in items]
        if len(set(labels)) != len(labels):
            raise ValueError("push items must have distinct labels (provider, scope and name)")
        self._cancel.clear()  # cancel() applies to the run in progress
        self._abort = None
        self._listings.clear()
        total = len(items)
        results: list[ItemResult | None] = [None] * total
        pending: Iterator[tuple[int, PushItem]] = iter(enumerate(items))
        done = 0

        async def worker() -> None:
            nonlocal done
            while not self._cancel.is_set() and self._abort is None:
                try:
                    index, item = next(pending)
                except StopIteration:
                    return
                self._emit(PushProgress(done, total, item))
                result = await self._process(item)
                results[index] = result
                done += 1
                self._emit(PushProgress(done, total, item, result))

        async with asyncio.TaskGroup() as group:
            for _ in range(min(self.concurrency, total)):
                group.create_task(worker())

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

    async def _process(self, item: PushItem) -> ItemResult:
        run = _Run(original=item, item=item)
        while True:
            run.attempts += 1
            try:
                outcome = await self._attempt(run)
            except _Fatal as exc:
                self._abort = f"not attempted: {exc}"
                return self._failed(run, str(exc), status=exc.status)
            except AmikaError as exc:
                status = _status_of(exc)
                delay = self._retry_delay(exc, run)
                if delay is None:
                    return self._failed(run, exc.user_message(), status=status)
                _call(
                    self.on_retry,
                    PushRetry(item, run.attempts + 1, exc.user_message(), status, delay),
                )
                if await self._cancelled_within(delay):
                    return self._failed(
                        run,
                        exc.user_message(),
                        "the push was cancelled before this retry",
                        status=status,
                    )
                continue
            return ItemResult(
                item,
                outcome,
                run.attempts,
                note="; ".join(run.notes) or None,
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
            notes.append("the server may have stored it; a retry looks before creating again")
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
        retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
        if retry_after is not None and retry_after > self.retry.max_retry_after:
            return None
        return backoff_delay(
            attempt - 1,
            base=self.retry.backoff_base,
            cap=self.retry.backoff_max,
            retry_after=retry_after,
        )

    async def _cancelled_within(self, delay: float) -> bool:
        """Wait ``delay`` seconds, or less when the push is cancelled; True if cancelled."""
        try:
            await asyncio.wait_for(self._cancel.wait(), timeout=delay)
        except TimeoutError:
            return False
        return True

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
        if run.ambiguous_seq is not None:
            found = await self._settle(run, since=run.ambiguous_seq)
            if found is not None:
                return done if found is Outcome.CREATED else found
            run.ambiguous_seq = None  # not there, so the earlier POST did not land
        try:
            await self._create(run.item)
        except ConflictError:
            found = await self._settle(run, since=self._next_seq())
            if found is None:
                raise
            return done if found is Outcome.CREATED else found
        except (ServerError, AmikaResponseError):
            self._mark_ambiguous(run)
            raise
        except AmikaTransportError as exc:
            if exc.request_sent:
                self._mark_ambiguous(run)
            raise
        return done

    def _mark_ambiguous(self, run: _Run) -> None:
        run.ambiguous_seq = self._next_seq()
        run.was_ambiguous = True

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
        """After an uncertain create or a 409: look whether the name exists in the scope.

        Returns the outcome when it does (generic secrets get the intended value written),
        None when it does not. Raises ConflictError-like failures as AmikaErrors.
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

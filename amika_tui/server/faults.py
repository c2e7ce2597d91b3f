"""Fault knobs (latency, 503s, failure or dropped connection after commit, rate limit,
a held listing, a clock running ahead), log."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field


class Gate:
    """Holds one piece of database work until opened: a slow query on demand, whose
    progress a test can wait on instead of the clock."""

    def __init__(self, *, timeout: float = 60.0) -> None:
        self.entered = threading.Event()
        """Set once the held work has started (and is waiting)."""
        self.finished = threading.Event()
        """Set once the held work was let go (opened, or the timeout passed)."""
        self._open = threading.Event()
        self._timeout = timeout  # only a hang catcher: the work goes on after it

    def hold(self) -> None:
        """Called by the held work, in its database thread: wait until opened."""
        self.entered.set()
        self._open.wait(self._timeout)
        self.finished.set()

    def open(self) -> None:
        """Let the held work go on."""
        self._open.set()


@dataclass
class Faults:
    """Fault knobs, mutable at runtime; applied to every following request."""

    latency_ms: int = 0
    fail_rate: float = 0.0
    fail_retry_after: int | None = None  # the fail_rate 503s carry Retry-After: this many s
    fail_after_commit_rate: float = 0.0
    drop_after_commit_rate: float = 0.0  # commit, then close the connection without an answer
    rate_limit: float | None = None  # requests/second per API key (or address); 429
    hold_next_listing: Gate | None = None  # the next GET /secrets waits in its DB thread
    clock_offset_s: float = 0.0  # the server's clock runs this far ahead: JWTs expire early

    def reset(self) -> None:
        """Turn every knob off."""
        self.latency_ms = 0
        self.fail_rate = 0.0
        self.fail_retry_after = None
        self.fail_after_commit_rate = 0.0
        self.drop_after_commit_rate = 0.0
        self.rate_limit = None
        self.clock_offset_s = 0.0
        gate, self.hold_next_listing = self.hold_next_listing, None
        if gate is not None:
            gate.open()

    def take_listing_gate(self) -> Gate | None:
        """The `hold_next_listing` gate, cleared so it holds one listing only."""
        gate, self.hold_next_listing = self.hold_next_listing, None
        return gate


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One answered request: never a value or a token."""

    method: str
    path: str
    status: int  # 0 when the connection was dropped without an answer
    user: str | None  # email of the authenticated caller, None when unauthenticated
    key_id: str | None  # id of the API key used (not the key itself)


@dataclass
class RequestLog:
    """Thread-safe bounded log of answered requests."""

    maxlen: int = 100_000
    _entries: deque[RequestLogEntry] = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._entries = deque(maxlen=self.maxlen)

    def append(self, entry: RequestLogEntry) -> None:
        """Record one request."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RequestLogEntry]:
        """A snapshot of the log, oldest first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


class RateLimiter:
    """Token buckets per caller key: `rate` requests/second, burst of max(1, rate)."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, rate: float, *, take: bool = True) -> float | None:
        """Take one token for `key` (only look when `take` is False, keeping no state for
        a new key); None when allowed, else seconds until the next token."""
        now = time.monotonic()
        capacity = max(1.0, rate)
        with self._lock:
            if not take and key not in self._buckets:
                return None
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                if take:
                    self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate if rate > 0 else math.inf

    def __len__(self) -> int:
        """How many buckets are kept."""
        with self._lock:
            return len(self._buckets)

    def reset(self) -> None:
        """Refill every bucket."""
        with self._lock:
            self._buckets.clear()

"""Fault knobs (latency, 503s, failure or dropped connection after commit, rate limit, a
clock running ahead), log."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Faults:
    """Fault knobs, mutable at runtime; applied to every following request."""

    latency_ms: int = 0
    fail_rate: float = 0.0
    fail_after_commit_rate: float = 0.0
    drop_after_commit_rate: float = 0.0  # commit, then close the connection without an answer
    rate_limit: float | None = None  # requests/second per key; 429 + Retry-After
    clock_offset_s: float = 0.0  # the server's clock runs this far ahead: JWTs expire early

    def reset(self) -> None:
        """Turn every knob off."""
        self.latency_ms = 0
        self.fail_rate = 0.0
        self.fail_after_commit_rate = 0.0
        self.drop_after_commit_rate = 0.0
        self.rate_limit = None
        self.clock_offset_s = 0.0


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

    def check(self, key: str, rate: float) -> float | None:
        """Take one token for `key`; None when allowed, else seconds until the next token."""
        now = time.monotonic()
        capacity = max(1.0, rate)
        with self._lock:
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate if rate > 0 else math.inf

    def reset(self) -> None:
        """Refill every bucket."""
        with self._lock:
            self._buckets.clear()

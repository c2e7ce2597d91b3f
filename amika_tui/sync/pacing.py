"""How many items a push keeps in flight: adaptive, between 1 and a hard ceiling.

The limit starts at ``initial`` and is judged once per *window*: as many finished attempts,
all started under the current limit, as the limit itself. While a window's median latency
stays within ``tolerance`` times the best window median seen so far, the limit grows: it
doubles until the first sign of trouble, then grows by one per healthy window (the way TCP
opens its congestion window). A window whose latency did not hold only stops the doubling.
A request to slow down (a 429, or a 5xx with Retry-After) halves the limit at once, never
below 1; attempts started before that cut cannot cut again, so a burst of 429s answering
one window halves the limit once, not once per 429.
"""

from __future__ import annotations

import statistics

__all__ = ["INITIAL_CONCURRENCY", "MAX_CONCURRENCY", "AdaptiveConcurrency"]

INITIAL_CONCURRENCY = 8
"""Where every push starts (unless its ceiling is lower)."""

MAX_CONCURRENCY = 32
"""The default hard ceiling: fast enough for a 1,000-secret push, gentle on a hosted API."""


class AdaptiveConcurrency:
    """The in-flight limit of one push.

    Args:
        ceiling: The limit never grows above this.
        initial: The starting limit (capped at ``ceiling``).
        tolerance: A window's median latency "holds" while it is at most this many times
            the best window median seen.

    Raises:
        ValueError: ``ceiling`` or ``initial`` below 1, or ``tolerance`` below 1.
    """

    def __init__(
        self,
        ceiling: int = MAX_CONCURRENCY,
        *,
        initial: int = INITIAL_CONCURRENCY,
        tolerance: float = 2.0,
    ) -> None:
        if ceiling < 1 or initial < 1 or tolerance < 1:
            raise ValueError("concurrency limits must be at least 1, tolerance at least 1")
        self.ceiling = ceiling
        """The hard upper bound."""
        self.tolerance = tolerance
        """How much slower than the best window a window may be and still count as healthy."""
        self.limit = min(initial, ceiling)
        """How many items may be in flight now."""
        self.epoch = 0
        """Bumped at every change of ``limit``; an attempt remembers the epoch it started in."""
        self._doubling = True
        self._window: list[float] = []
        self._best: float | None = None

    def finished(self, epoch: int, latency: float) -> None:
        """An attempt started in ``epoch`` got an answer after ``latency`` seconds."""
        if epoch != self.epoch:
            return  # started under another limit: says nothing about this one
        self._window.append(latency)
        if len(self._window) < self.limit:
            return
        median = statistics.median(self._window)
        self._window.clear()
        if self._best is None or median < self._best:
            self._best = median
        if median > self._best * self.tolerance:
            self._doubling = False
            return
        grown = self.limit * 2 if self._doubling else self.limit + 1
        self._set(min(self.ceiling, grown))

    def rate_limited(self, epoch: int) -> None:
        """An attempt started in ``epoch`` was asked to slow down: halve, once per epoch."""
        if epoch != self.epoch:
            return
        self._doubling = False
        self._set(max(1, self.limit // 2))

    def _set(self, limit: int) -> None:
        if limit != self.limit:
            self.limit = limit
            self.epoch += 1
            self._window.clear()

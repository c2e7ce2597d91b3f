"""Exponential backoff with jitter: the one delay rule of every retry (client and push)."""

from __future__ import annotations

import random

__all__ = ["backoff_delay"]


def backoff_delay(
    retry: int, *, base: float, cap: float, retry_after: float | None = None
) -> float:
    """Seconds to wait before retry number ``retry`` (0 for the first retry).

    A random delay in [d/2, d] with d = min(cap, base * 2**retry), so requests that failed
    together do not all come back at once; never less than the server's ``retry_after``.
    """
    delay = min(cap, base * 2**retry) * random.uniform(0.5, 1.0)
    return delay if retry_after is None else max(delay, retry_after)

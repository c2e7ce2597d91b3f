"""The adaptive in-flight limit on its own: windows of latencies and 429s in, limits out."""

from __future__ import annotations

import pytest

from amika_tui.sync.pacing import AdaptiveConcurrency


def window(pacing: AdaptiveConcurrency, latency: float) -> int:
    """Finish one full window of attempts at ``latency``; returns the new limit."""
    epoch = pacing.epoch
    for _ in range(pacing.limit):
        pacing.finished(epoch, latency)
    return pacing.limit


def test_doubles_until_latency_stops_holding_then_grows_by_one() -> None:
    pacing = AdaptiveConcurrency(64)
    assert pacing.limit == 8
    assert window(pacing, 0.050) == 16
    assert window(pacing, 0.060) == 32
    assert window(pacing, 0.200) == 32, "4x slower than the best window: no growth"
    assert window(pacing, 0.060) == 33, "healthy again, but no more doubling"
    assert window(pacing, 0.055) == 34


def test_never_above_the_ceiling_and_starts_below_a_low_one() -> None:
    pacing = AdaptiveConcurrency(12)
    assert window(pacing, 0.01) == 12
    assert window(pacing, 0.01) == 12
    assert AdaptiveConcurrency(2).limit == 2


def test_a_429_halves_once_per_epoch_never_below_one() -> None:
    pacing = AdaptiveConcurrency(32)
    started = pacing.epoch
    for _ in range(8):  # a burst of 429s answering attempts started under one limit
        pacing.rate_limited(started)
    assert pacing.limit == 4
    pacing.rate_limited(pacing.epoch)
    pacing.rate_limited(pacing.epoch)
    pacing.rate_limited(pacing.epoch)
    assert pacing.limit == 1
    pacing.rate_limited(pacing.epoch)
    assert pacing.limit == 1


def test_attempts_started_under_an_older_limit_do_not_count() -> None:
    pacing = AdaptiveConcurrency(32)
    old = pacing.epoch
    assert window(pacing, 0.05) == 16
    for _ in range(32):
        pacing.finished(old, 0.05)  # late answers from the first window
    assert pacing.limit == 16
    pacing.rate_limited(old)
    assert pacing.limit == 16


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        AdaptiveConcurrency(0)
    with pytest.raises(ValueError):
        AdaptiveConcurrency(8, tolerance=0.5)

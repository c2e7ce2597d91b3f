"""The one backoff rule: doubling, capped, jittered downwards only, never under Retry-After."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amika_tui.api.backoff import backoff_delay


@given(retry=st.integers(0, 40), base=st.floats(0, 10), cap=st.floats(0, 60))
def test_delay_doubles_up_to_the_cap_with_jitter(retry: int, base: float, cap: float) -> None:
    full = min(cap, base * 2**retry)
    assert full / 2 <= backoff_delay(retry, base=base, cap=cap) <= full


@given(retry=st.integers(0, 10), retry_after=st.floats(0, 120))
def test_the_servers_retry_after_is_a_floor(retry: int, retry_after: float) -> None:
    delay = backoff_delay(retry, base=0.25, cap=8.0, retry_after=retry_after)
    assert delay >= retry_after
    assert delay <= max(retry_after, 8.0)

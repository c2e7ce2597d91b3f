"""Helpers the UI benchmarks share: wait for app state, find a screen."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen

_S = TypeVar("_S", bound=Screen[Any])


async def until(condition: Callable[[], bool], pause: Callable[[], Awaitable[None]]) -> None:
    """Let the app run (``pause``) until ``condition()`` holds; a minute catches hangs."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark condition not reached")
        await pause()


def screen_of(app: App[Any], kind: type[_S]) -> _S | None:
    """The screen of type ``kind`` on the app's stack, if any."""
    for screen in app.screen_stack:
        if isinstance(screen, kind):
            return screen
    return None


def print_ratio_row(row: str, what: str, ratio: float, goal: float) -> None:
    """Print a table row of issue 15 (``P3``, ``P9``): the ratio against its ceiling."""
    verdict = "meets" if ratio <= goal else "MISSES"
    print(f"{row} {what}: {ratio:.2f}x (goal ≤ {goal}x: {verdict})")

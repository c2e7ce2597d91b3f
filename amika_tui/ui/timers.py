"""The app's injectable timer: delayed work (a revealed value masked again, the clipboard
cleared) is scheduled through it, so tests advance a clock instead of waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["Schedule", "Stoppable"]


class Stoppable(Protocol):
    """A scheduled call that can still be called off (Textual's ``Timer`` is one)."""

    def stop(self) -> object:
        """Call it off; nothing happens when it already ran."""
        ...


Schedule = Callable[[float, Callable[[], object]], Stoppable]
"""Calls a callback once, after a delay in seconds (Textual's ``set_timer`` by default)."""

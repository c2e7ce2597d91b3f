"""Revealing secret values: `Reveal`, the one reveal-and-re-mask state of the UI, and
`RevealableValue`, a label showing one value masked until revealed.

Every place that shows a value in clear (the import preview, the extract pane, the value
editor, the add-credential dialog) keeps its state in a `Reveal` and masks with
`amika_tui.masking.mask_on_screen`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from amika_tui.masking import mask_on_screen
from amika_tui.ui.timers import Schedule, Stoppable

REMASK_SECONDS = 30.0
"""How long any revealed secret value stays visible before it is masked again (the default
of `AppSettings.remask_seconds`)."""

__all__ = ["REMASK_SECONDS", "Reveal", "RevealableValue"]

K = TypeVar("K", bound=Hashable)


class Reveal(Generic[K]):
    """Which values (by key) are shown in clear; each is masked again once it has been
    shown for the app's re-mask delay (`AppSettings.remask_seconds`; `REMASK_SECONDS`
    outside an `AmikaApp`).

    ``on_change(key)`` is called after a key is revealed or masked again, whatever did it
    (a key, a click, the delay), so the owner redraws that value.
    """

    def __init__(self, owner: Widget, on_change: Callable[[K], object]) -> None:
        """Args:
        owner: The widget or screen showing the values (the timers run on it).
        on_change: Called with the key whose state changed.
        """
        self._owner = owner
        self._on_change = on_change
        self._timers: dict[K, Stoppable] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._timers

    def __bool__(self) -> bool:
        return bool(self._timers)

    def __repr__(self) -> str:  # keys are names or row ids, never values
        return f"Reveal({len(self._timers)} revealed)"

    def shown(self, key: K, value: str) -> str:
        """``value`` when ``key`` is revealed, else its on-screen mask."""
        return value if key in self._timers else mask_on_screen(value)

    def reveal(self, key: K) -> None:
        """Show ``key``'s value in clear, for the full re-mask delay from now."""
        previous = self._timers.pop(key, None)
        if previous is not None:
            previous.stop()
        self._timers[key] = self._schedule()(self._delay(), lambda: self.hide(key))
        self._on_change(key)

    def hide(self, key: K) -> None:
        """Mask ``key``'s value again (nothing happens when it is masked)."""
        timer = self._timers.pop(key, None)
        if timer is None:
            return
        timer.stop()
        self._on_change(key)

    def toggle(self, key: K) -> bool:
        """Reveal ``key`` when masked, mask it when revealed; True when now revealed."""
        if key in self._timers:
            self.hide(key)
            return False
        self.reveal(key)
        return True

    def hide_all(self) -> None:
        """Mask every value again."""
        for key in list(self._timers):
            self.hide(key)

    def _schedule(self) -> Schedule:
        from amika_tui.ui.app import AmikaApp  # the app imports this module

        app = self._owner.app
        return app.schedule if isinstance(app, AmikaApp) else self._owner.set_timer

    def _delay(self) -> float:
        from amika_tui.ui.app import AmikaApp  # the app imports this module

        app = self._owner.app
        return app.settings.remask_seconds if isinstance(app, AmikaApp) else REMASK_SECONDS


class RevealableValue(Static):
    """Shows one value masked; `reveal()` shows it until the re-mask delay passes."""

    class Changed(Message):
        """Revealed or masked again, whatever did it (handler:
        ``on_revealable_value_changed``), so a Reveal/Hide label can follow."""

        def __init__(self, value: RevealableValue) -> None:
            super().__init__()
            self.value = value
            """The widget (its ``revealed`` says which)."""

        @property
        def control(self) -> RevealableValue:
            return self.value

    def __init__(self, value: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._value = value
        self._reveal: Reveal[None] = Reveal(self, lambda _: self._render_value())

    def __repr__(self) -> str:
        return f"RevealableValue(id={self.id!r}, revealed={self.revealed})"

    def on_mount(self) -> None:
        self._render_value()

    @property
    def revealed(self) -> bool:
        """True while the clear value is on screen."""
        return None in self._reveal

    def set_value(self, value: str) -> None:
        """Show another value (masked again)."""
        self._value = value
        self._reveal.hide(None)
        self._render_value()

    def reveal(self) -> None:
        """Show the clear value; it is masked again after the re-mask delay."""
        self._reveal.reveal(None)

    def hide(self) -> None:
        """Mask the value again."""
        self._reveal.hide(None)

    def toggle(self) -> None:
        """Reveal when masked, mask when revealed."""
        self._reveal.toggle(None)

    def _render_value(self) -> None:
        self.update(self._reveal.shown(None, self._value) or "(empty)")
        self.set_class(self.revealed, "-revealed")
        self.post_message(self.Changed(self))

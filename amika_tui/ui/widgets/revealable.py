"""`RevealableValue`: a secret shown masked, revealed on request, re-masked after 30 s."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from amika_tui.masking import mask

REMASK_SECONDS = 30.0
"""How long any revealed secret value stays visible before it is masked again (the default
of `AppSettings.remask_seconds`)."""

__all__ = ["REMASK_SECONDS", "RemaskTimer", "RevealableValue", "compact_mask"]

_LONG = 48


def compact_mask(value: str, width: int = _LONG, *, show_length: bool = True) -> str:
    """``mask(value)`` on one line (every masked cell and label uses this), shortened when
    longer than ``width``.

    Line breaks in the kept characters become spaces, so a multi-line OAuth document is not
    shown as just its first line (``{``). The shortened form keeps the mask's first and last
    4 characters and, with ``show_length``, says how long the value is, so a 2 KB JSON
    document does not fill the dialog with stars; without it, it is cut to ``width``.
    """
    masked = " ".join(mask(value).split())
    if len(masked) <= width:
        return masked
    if show_length:
        return f"{masked[:4]}{'*' * 16}…{masked[-4:]}  ({len(value)} characters)"
    return masked[: width - 5] + "…" + masked[-4:]


class RemaskTimer:
    """Masks revealed values again once they have been shown for the app's re-mask delay
    (`AppSettings.remask_seconds`; `REMASK_SECONDS` outside an `AmikaApp`)."""

    def __init__(self, owner: Widget, mask_again: Callable[[], object]) -> None:
        """Args:
        owner: The widget or screen showing the values (the timer runs on it).
        mask_again: Called when the delay has passed.
        """
        self._owner = owner
        self._mask_again = mask_again
        self._timer: Timer | None = None

    def start(self) -> None:
        """Start the countdown again from the full delay."""
        self.stop()
        self._timer = self._owner.set_timer(self._delay(), self._expired)

    def stop(self) -> None:
        """Cancel the countdown (the values were masked another way)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _delay(self) -> float:
        from amika_tui.ui.app import AmikaApp  # the app imports this module

        app = self._owner.app
        return app.settings.remask_seconds if isinstance(app, AmikaApp) else REMASK_SECONDS

    def _expired(self) -> None:
        self._timer = None
        self._mask_again()


class RevealableValue(Static):
    """Shows ``mask(value)``; `reveal()` shows the value until the re-mask delay passes."""

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
        self._revealed = False
        self._remask = RemaskTimer(self, self.hide)

    def __repr__(self) -> str:
        return f"RevealableValue(id={self.id!r}, revealed={self._revealed})"

    def on_mount(self) -> None:
        self._render_value()

    @property
    def revealed(self) -> bool:
        """True while the clear value is on screen."""
        return self._revealed

    def set_value(self, value: str) -> None:
        """Show another value (masked again)."""
        self._value = value
        self.hide()

    def reveal(self) -> None:
        """Show the clear value; it is masked again after the re-mask delay."""
        self._revealed = True
        self._remask.start()
        self._render_value()

    def hide(self) -> None:
        """Mask the value again."""
        self._revealed = False
        self._remask.stop()
        self._render_value()

    def toggle(self) -> None:
        """Reveal when masked, mask when revealed."""
        if self._revealed:
            self.hide()
        else:
            self.reveal()

    def _render_value(self) -> None:
        shown = self._value if self._revealed else compact_mask(self._value)
        self.update(shown or "(empty)")
        self.set_class(self._revealed, "-revealed")
        self.post_message(self.Changed(self))

"""`RevealableValue`: a secret shown masked, revealed on request, re-masked after 30 s."""

from __future__ import annotations

from typing import ClassVar

from textual.timer import Timer
from textual.widgets import Static

from amika_tui.masking import mask

REMASK_SECONDS = 30.0
"""How long any revealed secret value stays visible before it is masked again."""

__all__ = ["RevealableValue", "compact_mask"]

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


class RevealableValue(Static):
    """Shows ``mask(value)``; `reveal()` shows the value until `REMASK_SECONDS` pass."""

    REMASK_SECONDS: ClassVar[float] = REMASK_SECONDS
    """How long a revealed value stays visible (tests shorten it)."""

    def __init__(self, value: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._value = value
        self._revealed = False
        self._timer: Timer | None = None

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
        """Show the clear value; it is masked again after `REMASK_SECONDS`."""
        self._revealed = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.REMASK_SECONDS, self.hide)
        self._render_value()

    def hide(self) -> None:
        """Mask the value again."""
        self._revealed = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
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

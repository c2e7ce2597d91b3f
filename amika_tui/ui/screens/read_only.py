"""Read-only sessions: write actions disappear from the footer and palette, and explain
themselves when their key is pressed anyway.

A screen lists its write actions in `WRITE_ACTIONS` and adds, after its real bindings,
``read_only_bindings(...)`` for the same keys. While ``settings.read_only`` is set,
`check_action` hides the real bindings, so Textual falls through to the explaining ones
(which have no description, so neither the footer nor the palette lists them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen

    from amika_tui.ui.app import AmikaApp

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

__all__ = ["READ_ONLY_MESSAGE", "ReadOnlyAware", "read_only_bindings"]

READ_ONLY_MESSAGE = (
    "This session is read-only (--read-only), so {what} is not available. "
    "Start amika-tui without --read-only to change anything."
)


def read_only_bindings(keys_to_what: dict[str, str], *, priority: bool = False) -> list[Binding]:
    """Hidden bindings that explain, per key, what a read-only session cannot do (``priority``
    must match the real bindings' for the explanation to take over their keys)."""
    return [
        Binding(keys, f"explain_read_only({what!r})", "", show=False, priority=priority)
        for keys, what in keys_to_what.items()
    ]


class ReadOnlyAware(_ScreenBase):
    """Mixin for screens and dialogs with write actions (put it before the screen class)."""

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions (without the ``action_`` prefix) that write to Amika."""

    @property
    def read_only(self) -> bool:
        """True in a ``--read-only`` session."""
        return cast("AmikaApp", self.app).settings.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide writes in a read-only session; only then enable the explanations."""
        if action in self.WRITE_ACTIONS:
            return not self.read_only
        if action == "explain_read_only":
            return self.read_only
        return True

    def action_explain_read_only(self, what: str) -> None:
        """Say why a write key does nothing."""
        self.notify(READ_ONLY_MESSAGE.format(what=what), title="Read-only", severity="warning")

    def refuse_if_read_only(self, what: str) -> bool:
        """For writes reached another way (buttons, row activation): explain and return True
        in a read-only session."""
        if self.read_only:
            self.action_explain_read_only(what)
        return self.read_only

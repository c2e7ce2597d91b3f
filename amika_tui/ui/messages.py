"""App-wide messages (a widget's own messages nest inside the widget class)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

__all__ = ["SecretsChanged"]


@dataclass
class SecretsChanged(Message, bubble=False):
    """Secrets were written on the server: screens showing them should reload.

    Posted to the app (``app.post_message``); the app forwards it to every mode's screen.
    """

    reason: str = ""
    """What changed, for logs (never a value)."""

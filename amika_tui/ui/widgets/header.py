"""The header every main screen shows: app name, which API, who, connection state, modes."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

if TYPE_CHECKING:
    from amika_tui.ui.app import AmikaApp

__all__ = ["AmikaHeader", "ModeTab"]

#: (mode name, label, key) in the order the header shows them.
MODE_TABS: tuple[tuple[str, str, str], ...] = (
    ("secrets", "Secrets", "1"),
    ("providers", "Providers", "2"),
    ("extract", "Extract", "3"),
    ("account", "Account", "4"),
)


class ModeTab(Static):
    """A clickable mode name in the header (the mouse way to switch screens)."""

    def __init__(self, mode: str, label: str, key: str) -> None:
        super().__init__(f"{key} {label}", id=f"mode-tab-{mode}", classes="mode-tab")
        self.mode = mode
        """The app mode this tab opens."""

    def on_click(self, event: events.Click) -> None:
        """Switch to this tab's mode."""
        event.stop()
        cast("AmikaApp", self.app).action_open_mode(self.mode)


class AmikaHeader(Horizontal):
    """One-line header: ``amika  LOCAL | host  who  ● state      1 Secrets 2 Providers …``."""

    def compose(self) -> ComposeResult:
        app = cast("AmikaApp", self.app)
        yield Static("amika", id="header-title")
        yield Static(
            app.settings.api_label,
            id="header-api",
            classes="-local" if app.settings.local else "",
        )
        yield Static("", id="header-read-only")
        yield Static("", id="header-who")
        yield Static("", id="header-state")
        with Horizontal(id="header-modes"):
            for mode, label, key in MODE_TABS:
                yield ModeTab(mode, label, key)

    def on_mount(self) -> None:
        app = cast("AmikaApp", self.app)
        self.watch(app, "connection", self._show_state)
        self.watch(app, "identity", self._show_identity)
        self.watch(app, "read_only_badge", self._show_read_only)
        self.show_mode()

    def show_mode(self) -> None:
        """Highlight the tab of the current mode (called when a screen resumes)."""
        current = self.app.current_mode
        for tab in self.query(ModeTab):
            tab.set_class(tab.mode == current, "-active")

    def _show_identity(self, identity: str) -> None:
        self.query_one("#header-who", Static).update(identity)

    def _show_read_only(self, badge: str) -> None:
        widget = self.query_one("#header-read-only", Static)
        widget.update(badge)
        widget.display = bool(badge)

    def _show_state(self, state: str) -> None:
        widget = self.query_one("#header-state", Static)
        widget.update(f"● {state}")
        for name in ("online", "offline", "connecting", "signed-out", "refused"):
            widget.set_class(state.split(":")[0].replace(" ", "-") == name, f"-{name}")

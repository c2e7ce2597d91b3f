"""`AmikaScreen`: the base of every main screen (header on top, footer at the bottom)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from amika_tui.ui.widgets.footer import AmikaFooter
from amika_tui.ui.widgets.header import AmikaHeader
from amika_tui.ui.workers import ReportsWorkerFailures

__all__ = ["AmikaScreen"]


class AmikaScreen(ReportsWorkerFailures, Screen[None]):
    """A main screen: subclasses implement `compose_body()` instead of `compose()`.

    The failures of its workers reach the user through the app (`ReportsWorkerFailures`).
    """

    def compose(self) -> ComposeResult:
        yield AmikaHeader()
        yield from self.compose_body()
        yield AmikaFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between header and footer."""
        yield from ()

    def on_screen_resume(self) -> None:
        """Keep the header's mode tabs in step with the visible screen."""
        for header in self.query(AmikaHeader):
            header.show_mode()

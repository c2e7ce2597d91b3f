"""`AmikaFooter`: Textual's footer, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["AmikaFooter"]


class AmikaFooter(Footer):
    """A `Footer` that rebuilds its keys once for any number of binding changes that
    arrive before the next refresh.

    Textual's footer queues a full rebuild (every key mounted and styled again) for each
    change: a screen's start-up changes its bindings three times before the first frame
    (mounted, resumed, focused), and each rebuild restyles every key three times over.
    The one rebuild that runs reads the bindings as they are then, as the last one would.
    """

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._rebuild_queued:
            # The queued rebuild has not run yet: it will read these bindings too.
            self._bindings_ready = True
            return
        super().bindings_changed(screen)
        # Textual queued `recompose` when the footer is on the shown screen; hold back
        # the next ones until that has run.
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._rebuild_queued = True

    async def recompose(self) -> None:
        self._rebuild_queued = False
        await super().recompose()

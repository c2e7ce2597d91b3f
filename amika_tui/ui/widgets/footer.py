"""`AmikaFooter`: Textual's footer, rebuilt once per burst of binding changes, and fitted
to the terminal's width so that Help and Quit always show."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["AmikaFooter"]

#: Keys that stay in the footer however narrow the terminal: how to find every other key
#: (the help lists them all) and how to leave.
ALWAYS_SHOWN = frozenset({"help", "request_quit"})


class AmikaFooter(Footer):
    """A `Footer` that rebuilds its keys once for any number of binding changes that
    arrive before the next refresh, and hides keys that do not fit.

    Textual's footer queues a full rebuild (every key mounted and styled again) for each
    change: a screen's start-up changes its bindings three times before the first frame
    (mounted, resumed, focused), and each rebuild restyles every key three times over.
    The one rebuild that runs reads the bindings as they are then, as the last one would.

    Textual's footer cuts its keys at the right edge, so at 80 columns the Secrets
    screen lost "? Help" and "q Quit". Here the keys that do not fit are hidden from the
    right, Help and Quit excepted (`ALWAYS_SHOWN`).
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
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys from the left while they fit beside Help, Quit and the palette
        key; hide the rest."""
        keys = list(self.query_children(FooterKey))
        if not keys or not self.size.width:
            return
        room = self.size.width
        optional: list[FooterKey] = []
        for key in keys:
            if key.has_class("-command-palette") or key.action in ALWAYS_SHOWN:
                room -= _width(key)
            else:
                optional.append(key)
        for key in optional:
            key.display = _width(key) <= room
            # Once one key is hidden, so is every key after it: the order stays the help's.
            room = room - _width(key) if key.display else 0


def _width(key: FooterKey) -> int:
    """The cells ``key`` takes in the footer's row (its label and its margins)."""
    styles = key.styles
    return key.render().cell_len + styles.gutter.width + styles.margin.width

"""The floor of `bench_launch`: a bare Textual app that shows one line of text.

Run: ``python -m benchmarks.bare_textual`` draws ``BARE TEXTUAL FIRST PAINT`` and waits.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "BARE TEXTUAL FIRST PAINT"


class BareApp(App[None]):
    """One `Static`, default styles."""

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    BareApp().run()

"""The one place amika-tui relies on Textual internals; everything else uses public API.

- `App._fatal_error`: Textual's crash report prints the local variables of every frame,
  which here hold API keys, tokens and secret values, and it offers no public switch.
  `NoLocalsCrashReport` overrides that hook to print the traceback without them, through
  the public `App.bell` and `App.panic`.

When upgrading Textual: `tests/ui/test_crash_report.py` fails loudly if the hook is renamed
(the secret would show again) or if Textual stops printing locals (its control test).
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import App

ReturnType = TypeVar("ReturnType")

__all__ = ["NoLocalsCrashReport"]


class NoLocalsCrashReport(App[ReturnType]):
    """An `App` whose unhandled exceptions exit with a traceback without local variables."""

    def _fatal_error(self) -> None:
        # Replaces Textual's `App._fatal_error` (called from `_handle_exception` while the
        # exception is being handled, so `Traceback()` reads it from `sys.exc_info()`).
        import rich
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

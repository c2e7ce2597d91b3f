"""The one place amika-tui relies on Textual internals; everything else uses public API.

- `App._fatal_error`: Textual's crash report prints the local variables of every frame,
  which here hold API keys, tokens and secret values, and it offers no public switch.
  `NoLocalsCrashReport` overrides that hook to print the traceback without them, through
  the public `App.bell` and `App.panic`.

- `Stylesheet.reparse` / `set_variables`: Textual re-parses every stylesheet from scratch
  whenever a screen is first shown (twice for a new mode) and whenever it refreshes its CSS,
  even when neither the sources nor the variables changed: ~10 ms per pass for our TCSS,
  several passes before the first frame. `ReusingStylesheet` keeps the parsed rules until a
  variable (the theme) really changes, through the stylesheet's own parse cache.

When upgrading Textual: `tests/ui/test_crash_report.py` fails loudly if the hook is renamed
(the secret would show again) or if Textual stops printing locals (its control test);
`tests/ui/test_stylesheet_reuse.py` checks that styles still follow sources and themes.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import App
from textual.css.stylesheet import Stylesheet

ReturnType = TypeVar("ReturnType")

__all__ = ["NoLocalsCrashReport", "ReusingStylesheet"]


class ReusingStylesheet(Stylesheet):
    """A `Stylesheet` whose re-parse reuses the rules of every source parsed before with
    the same variables (Textual's own `_parse_cache`, which its `reparse` throws away)."""

    def set_variables(self, variables: dict[str, str]) -> None:
        # Textual clears the parse cache on every call; only a change of value needs it.
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        # Textual parses into a fresh stylesheet, so a broken source leaves this one as it
        # was; `parse` does too (it assigns the rules only once every source parsed). With
        # a source that failed before, do exactly what Textual does: it raises again.
        if self._invalid_css:
            super().reparse()
        else:
            self.parse()


class NoLocalsCrashReport(App[ReturnType]):
    """An `App` whose unhandled exceptions exit with a traceback without local variables."""

    def _fatal_error(self) -> None:
        # Replaces Textual's `App._fatal_error` (called from `_handle_exception` while the
        # exception is being handled, so `Traceback()` reads it from `sys.exc_info()`).
        import rich
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))

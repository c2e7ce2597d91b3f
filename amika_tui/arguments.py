"""argparse, with help sized once per process and without importing ``shutil``.

``argparse.HelpFormatter`` asks ``shutil.get_terminal_size`` for the width once per
declared argument, and ``shutil`` imports its compression modules: about 2 ms of every
`amika-tui extract`.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["ArgumentParser", "HelpFormatter"]


def _columns() -> int:
    """The terminal's width, as ``shutil.get_terminal_size`` finds it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns or 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, sized without importing ``shutil`` (its compression modules
    cost `amika-tui extract` about 2 ms), once per process instead of once per argument."""

    _terminal_width: int | None = None

    def __init__(self, prog: str) -> None:
        if HelpFormatter._terminal_width is None:
            HelpFormatter._terminal_width = _columns() - 2
        super().__init__(prog, width=HelpFormatter._terminal_width)


class ArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, subcommands' included, uses :class:`HelpFormatter`."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(**kwargs)  # type: ignore[arg-type]

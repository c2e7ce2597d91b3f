"""`amika-tui extract`: run the reference extractr (stub until the extractr lands)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Declare `extract`."""
    subparsers.add_parser("extract", help="run the Amika-compatible reference extractr")


def run(args: argparse.Namespace) -> int:
    """Run `extract`."""
    raise SystemExit("extract: not implemented yet")

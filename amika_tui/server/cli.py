"""`amika-tui serve`: run the reference server (stub until the server lands)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Declare `serve`."""
    subparsers.add_parser("serve", help="run the Amika-compatible reference server")


def run(args: argparse.Namespace) -> int:
    """Run `serve`."""
    raise SystemExit("serve: not implemented yet")

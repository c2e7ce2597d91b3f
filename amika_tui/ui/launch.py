"""Start the Textual app from parsed command line arguments (stub)."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    """Open the UI; returns the exit code."""
    raise SystemExit("the UI is not implemented yet")

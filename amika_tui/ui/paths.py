"""Paths as the UI shows them."""

from __future__ import annotations

import os

__all__ = ["home_relative"]


def home_relative(path: str | os.PathLike[str], home: str | os.PathLike[str] | None = None) -> str:
    """``~/.claude/.credentials.json`` for a file under ``home`` (default: the user's), else
    the full path."""
    text = os.fspath(path)
    base = os.fspath(home) if home is not None else os.path.expanduser("~")
    base = base.rstrip("/") or "/"
    if text == base:
        return "~"
    if text.startswith(base.rstrip("/") + "/"):
        return "~/" + text[len(base.rstrip("/")) + 1 :]
    return text

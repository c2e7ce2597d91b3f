"""Picking a `.env` file: path completion and a directory tree with `.env`-like files first."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import DirectoryTree

__all__ = ["EnvFileTree", "PathSuggester", "complete_path", "env_first", "is_env_like"]


def is_env_like(path: Path) -> bool:
    """True for `.env`, `.env.local`, `prod.env`, `env` and the like."""
    name = path.name.lower()
    return (
        name in {".env", "env", ".envrc"}
        or name.startswith(".env.")
        or name.endswith(".env")
        or ".env." in name
    )


def _ordering(path: Path) -> tuple[int, str]:
    """`.env`-like files first, then directories, then everything else; by name."""
    try:
        is_dir = path.is_dir()
    except OSError:
        is_dir = False
    if not is_dir and is_env_like(path):
        rank = 0
    elif is_dir:
        rank = 1
    else:
        rank = 2
    return rank, path.name.lower()


def complete_path(value: str) -> str | None:
    """The first completion of a partly typed path (directories get a trailing ``/``)."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    base = Path(folder or ".")
    try:
        candidates = [p for p in base.iterdir() if p.name.lower().startswith(prefix.lower())]
    except OSError:
        return None
    if prefix and not prefix.startswith("."):
        candidates = [p for p in candidates if not p.name.startswith(".")] or candidates
    if not candidates:
        return None
    best = min(candidates, key=_ordering)
    completed = best.name + ("/" if best.is_dir() else "")
    # Keep what the user typed (``~`` included) and append the rest of the name.
    return value + completed[len(prefix) :]


class PathSuggester(Suggester):
    """Inline completion of file paths (accept with → or end)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class EnvFileTree(DirectoryTree):
    """A directory tree listing `.env`-like files first and hiding other dot entries."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return env_first(paths)


def env_first(paths: Iterable[Path]) -> list[Path]:
    """`.env`-like files, then directories, then other files; other dot entries hidden."""
    shown = [p for p in paths if not p.name.startswith(".") or is_env_like(p)]
    return sorted(shown, key=_ordering)

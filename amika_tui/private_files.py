"""Atomic writes of private files (mode 0600 in a 0700 directory).

A plain file-system helper shared by the credential store and the reference server's key
files; it knows neither the API nor its contract.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["create_private_text", "write_private_text"]


def write_private_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: temp file created 0600, fsync, rename over.

    A missing parent directory is created with mode 0700. Readers see the old file or the
    new one, never a partial write, and no temp file is left behind on failure.

    Raises:
        OSError: The directory or the file could not be written.
    """
    tmp = _synced_temp_file(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_private_text(path: Path, text: str) -> bool:
    """Create `path` holding `text` unless it exists; True when this call created it.

    The text goes to a synced 0600 temp file that is then hard-linked into place, which
    fails when `path` exists: of several processes creating the same file at once exactly
    one wins and all of them afterwards read the winner's file, which never appears empty
    or half-written. The directory is synced, so the new name survives a crash too.

    Raises:
        OSError: The directory or the file could not be written.
    """
    tmp = _synced_temp_file(path, text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        _sync_directory(path.parent)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _synced_temp_file(path: Path, text: str) -> Path:
    """A 0600 temp file beside `path` holding `text`, flushed to disk."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a directory
            os.fsync(fd)
    finally:
        os.close(fd)

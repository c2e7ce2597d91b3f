"""Atomic writes of private files (mode 0600 in a 0700 directory).

A plain file-system helper shared by the credential store and the reference server's key
files; it knows neither the API nor its contract.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_private_text"]


def write_private_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: temp file created 0600, fsync, rename over.

    A missing parent directory is created with mode 0700. Readers see the old file or the
    new one, never a partial write, and no temp file is left behind on failure.

    Raises:
        OSError: The directory or the file could not be written.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

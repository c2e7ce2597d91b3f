"""A cheap "has anything committed since?" check on a WAL-mode SQLite database, so a
cached answer can be served without a trip to a database thread.

SQLite keeps the WAL-index header in the first 96 bytes of `<database>-shm`: two copies
of a 48-byte header (https://www.sqlite.org/walformat.html, section 2.1). Every commit,
from any process, changes it (its change counter, `mxFrame` and checksums), and so does
a WAL reset. Reading it through a shared read-only mapping costs no system call; a read
that catches a writer between the two copies counts as unknown.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

_HEADER_BYTES = 96


class WalStamp:
    """The WAL-index header of one database, readable at any moment from any thread."""

    def __init__(self, database: Path) -> None:
        """Map `<database>-shm` (the database must be open in WAL mode by this process)."""
        self._map: mmap.mmap | None = None
        try:
            fd = os.open(f"{database}-shm", os.O_RDONLY)
        except OSError:
            return
        try:
            self._map = mmap.mmap(fd, _HEADER_BYTES, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            self._map = None
        finally:
            os.close(fd)

    def read(self) -> bytes | None:
        """The current header, or None when unknown (no mapping, or caught mid-write).

        Two equal reads mean that nothing was committed in between.
        """
        if self._map is None:
            return None
        header = self._map[:_HEADER_BYTES]
        half = _HEADER_BYTES // 2
        return header if header[:half] == header[half:] else None

    def close(self) -> None:
        """Drop the mapping."""
        if self._map is not None:
            self._map.close()
            self._map = None

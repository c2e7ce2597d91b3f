"""Serialized `GET /secrets` listings, kept per caller view until a write changes them.

A view is what one user sees: its own user-scoped secrets and its org's org-scoped ones.
Each entry remembers the versions of both owners (`user:<id>`, `org:<id>`) it was built
from; the store bumps an owner's version in the same transaction as every write to its
secrets, so an entry is used only while the database still holds those versions (checked
in a database thread, which also sees writes of other processes). It also remembers the
database's WAL stamp (`wal_stamp`) read before that check: while the stamp is unchanged,
nothing was committed since, and the entry is served without asking the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_CACHED_BYTES = 64 * 1024 * 1024
"""Listings kept at most (least recently used go first): 10,000 secrets are ~2.7 MB."""

Versions = tuple[int, int]
"""(user owner's version, org owner's version) of a view."""


class ListingCache:
    """Thread-safe LRU of listing bodies by view, bounded in bytes."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def keeps_any(self) -> bool:
        """False for a cache of 0 bytes, which keeps nothing."""
        return self._max_bytes > 0

    def get(self, view: tuple[str, str], versions: Versions, stamp: bytes | None) -> bytes | None:
        """The body cached for `view` when it was built from `versions`, else None; a hit
        remembers `stamp` (read before `versions` were) for `fresh`."""
        with self._lock:
            entry = self._entries.get(view)
            if entry is None or entry.versions != versions:
                return None
            entry.stamp = stamp
            self._entries.move_to_end(view)
            return entry.body

    def fresh(self, view: tuple[str, str], stamp: bytes | None) -> bytes | None:
        """The body cached for `view` if it was checked at WAL stamp `stamp`, else None."""
        if stamp is None:
            return None
        with self._lock:
            entry = self._entries.get(view)
            if entry is None or entry.stamp != stamp:
                return None
            self._entries.move_to_end(view)
            return entry.body

    def put(
        self, view: tuple[str, str], versions: Versions, stamp: bytes | None, body: bytes
    ) -> None:
        """Keep `body` as `view`'s listing at `versions`, checked at `stamp`."""
        with self._lock:
            old = self._entries.pop(view, None)
            if old is not None:
                self._bytes -= len(old.body)
            if len(body) > self._max_bytes:
                return
            self._entries[view] = _Entry(versions, stamp, body)
            self._bytes += len(body)
            while self._bytes > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)


class _Entry:
    __slots__ = ("body", "stamp", "versions")

    def __init__(self, versions: Versions, stamp: bytes | None, body: bytes) -> None:
        self.versions = versions
        self.stamp = stamp
        self.body = body

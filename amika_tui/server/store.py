"""SQLite storage (WAL mode) for orgs, users, API keys, secrets and provider credentials.

Threads and connections (the design later speed work builds on):
- Every thread that reads gets its own SQLite connection (thread-local, opened on first
  use with the same pragmas); writes all run on one more connection, under the writer
  lock, whose page cache so survives from commit to commit. `close()` closes them all.
- The app never calls the store on its event loop: `await store.run(fn, *args)` runs the
  work in the store's own pool of `DB_THREADS` threads, so a big listing of one tenant
  runs beside a quiet tenant's request instead of in front of it. WAL lets those readers
  run in parallel with each other and with the one writer.
- Writes are group-committed: a write queues its work, and one thread at a time (holding
  the writer lock) runs everything queued in one `BEGIN IMMEDIATE` transaction, each piece
  in a savepoint of its own (its failure undoes only it), then commits once and wakes the
  writers it served. Under load many writes share one fsync; alone, a write commits at
  once. `BEGIN IMMEDIATE` orders writers across processes; UNIQUE indexes make duplicate
  creates impossible even then. SQLite's own checkpoints, which would run inside a commit
  while the writers wait, are off; the store checkpoints (PASSIVE) in a database thread
  after enough commits, beside the writers.
- `GET /secrets` bodies are built in SQLite (`json_object`, one index search per scope,
  merged in name order) and cached per view (`listing_cache`). Every write to a user's or
  an org's secrets bumps that owner's version in the same transaction; a cached body is
  served only while the versions it was built from are still the database's, which also
  holds for writes of another process on the same database. Between writes, a cached
  body can be had without a database thread (`fresh_listing`): SQLite's WAL-index header
  (`wal_stamp`) changes with every commit of any process, so an unchanged header since
  the last check means an unchanged listing. Callers only see plain synchronous methods,
  run through `run` (`fresh_listing` and the `remembered_*` look-ups only read memory).

Durability: `synchronous=FULL` (an acknowledged write survives a power loss) and
`secure_delete` (a replaced or deleted ciphertext is overwritten with zeros); soon after a
write that replaces or deletes a value the WAL is checkpointed and truncated, so the old
ciphertext is not left behind in `-wal` either. Secret values are Fernet-encrypted before
they reach the database; names, descriptions and e-mails are stored in plaintext.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import os
import secrets as _secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from cryptography.fernet import Fernet

from amika_tui.server.listing_cache import MAX_CACHED_BYTES, ListingCache
from amika_tui.server.wal_stamp import WalStamp

DB_FILE_NAME = "amika.sqlite3"
API_KEY_PREFIX = "amk_"
DB_THREADS = 16
"""Threads (each with its own connection) that run the app's database work; writers wait
for a group commit in them, so more threads let more writes share one."""
CHECKPOINT_EVERY = 64
"""Commits between two background (PASSIVE) checkpoints of the WAL."""

_T = TypeVar("_T")
_MAX_REMEMBERED = 100_000  # callers remembered, each a few hundred bytes
_PRAGMAS = ("PRAGMA secure_delete=ON", "PRAGMA foreign_keys=ON", "PRAGMA wal_autocheckpoint=0")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    scope TEXT NOT NULL,
    value BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS secrets_unique_name ON secrets(owner, name, scope);
CREATE INDEX IF NOT EXISTS secrets_org ON secrets(org_id, scope);
CREATE TABLE IF NOT EXISTS provider_secrets (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    scope TEXT NOT NULL,
    value BLOB NOT NULL,
    uniqueness TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS provider_secrets_lookup ON provider_secrets(provider, org_id);
CREATE TABLE IF NOT EXISTS listing_versions (
    owner TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def utc_now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """RFC 3339 UTC with a `Z` suffix and microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_rfc3339(text: str) -> datetime:
    """Parse a timestamp written by `rfc3339`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


_LISTING_BATCH = 1024


def _json_array_pieces(cursor: sqlite3.Cursor) -> list[bytes]:
    """The JSON array of the third column's JSON texts, in pieces of a batch of rows
    each: at 100,000 secrets neither every row nor a second copy of the text is held."""
    pieces = [b"["]
    separator = ""
    while rows := cursor.fetchmany(_LISTING_BATCH):
        pieces.append((separator + ",".join(row[2] for row in rows)).encode("utf-8"))
        separator = ","
    pieces.append(b"]")
    return pieces


def new_id(prefix: str) -> str:
    """An opaque identifier such as `sec_3f2a...`."""
    return f"{prefix}_{uuid.uuid4().hex}"


def hash_key(key: str) -> str:
    """The stored form of an API key (SHA-256 hex; keys are high-entropy)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    email: str
    org_id: str
    org_name: str
    key_id: str


class ConflictError(Exception):
    """A UNIQUE constraint refused the write."""


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the database to WAL (a setting of the file, made once).

    The switch takes a lock without waiting for it, so simultaneous first starts retry.
    """
    for attempt in range(100):
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.01)


class _PendingWrite:
    """One write waiting for its group commit (see `Store._transact`)."""

    __slots__ = ("done", "error", "op", "result")

    def __init__(self, op: Callable[[sqlite3.Connection], Any]) -> None:
        self.op = op
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None

    def outcome(self) -> Any:
        """What the write returned, or raise what failed it."""
        if self.error is not None:
            raise self.error
        return self.result


class Store:
    """All persistent state of the reference server (see the module docstring on threads)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        threads: int = DB_THREADS,
        synchronous: str = "FULL",
        listing_cache_bytes: int = MAX_CACHED_BYTES,
    ) -> None:
        """Open (or create) the database of `data_dir`.

        `listing_cache_bytes` bounds the serialized listings kept (`listings`); 0 keeps
        none (`amika-tui --local`: its client is the only caller, in the same process).

        `synchronous="NORMAL"` exists only to measure what FULL costs
        (`benchmarks/bench_durability.py`): NORMAL can lose the last commits on power loss.
        """
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous must be FULL or NORMAL")
        self._synchronous = synchronous
        self.path = data_dir / DB_FILE_NAME
        self.cipher: Fernet | None = None
        """Encrypts and decrypts values; set once the keys are loaded and checked."""
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer_connection: sqlite3.Connection | None = None
        self._queue: list[_PendingWrite] = []  # writes waiting for the next group commit
        self._queue_changed = threading.Condition()
        self._committing = False  # a thread is running a group commit
        self._commits = 0  # since the last background checkpoint
        self._checkpointing = False
        self._changed_owners: set[str] = set()  # of the group commit running (its thread)
        self._principals: dict[str, Principal] = {}  # by key hash (see principal_for_key)
        self._users: dict[str, Principal] = {}  # by user id (see principal_for_user)
        self.listings = ListingCache(listing_cache_bytes)
        """Serialized `GET /secrets` bodies by view (see `secrets_listing`)."""
        self._cleanup = threading.Condition()
        self._cleanup_queued = False
        self._old_values = False  # a ciphertext was replaced or deleted since the last pass
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="amika-db")
        # the database (and the -wal/-shm files SQLite derives from it) stay private
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        with self._write_lock:
            # executescript commits on its own; CREATE ... IF NOT EXISTS is idempotent
            self._writer().executescript(_SCHEMA)
        self._wal_stamp = WalStamp(self.path)  # the first connection made the -shm file

    def close(self) -> None:
        """Stop the database threads and close every connection."""
        self._executor.shutdown(wait=True)
        self._wal_stamp.close()
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    async def run(self, fn: Callable[..., _T], /, *args: Any) -> _T:
        """`fn(*args)` in one of the store's database threads, awaited off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args))

    def _db(self) -> sqlite3.Connection:
        """This thread's connection for reading (opened on first use)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def _writer(self) -> sqlite3.Connection:
        """The connection of every write (used only under the writer lock): one for all
        threads, so its page cache survives from commit to commit (a connection drops its
        cache whenever another connection has written)."""
        if self._writer_connection is None:
            self._writer_connection = self._connect()
        return self._writer_connection

    def _connect(self) -> sqlite3.Connection:
        """A new connection with the store's settings (closed by `close`)."""
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        connection.row_factory = sqlite3.Row
        _use_wal(connection)
        connection.execute(f"PRAGMA synchronous={self._synchronous}")
        for pragma in _PRAGMAS:
            connection.execute(pragma)
        with self._connections_lock:
            self._connections.append(connection)
        return connection

    def settings(self) -> dict[str, int | str]:
        """The durability settings of this thread's connection (for tests and diagnostics)."""
        db = self._db()
        return {
            name: db.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "secure_delete")
        }

    def _transact(self, op: Callable[[sqlite3.Connection], _T]) -> _T:
        """`op(db)` in a write transaction, group-committed with the writes queued beside it.

        Returns what `op` returned once its transaction is committed. Raises what `op`
        raised (its changes, and only its, are undone) or what failed the commit (then
        nothing of the group is stored).
        """
        pending = _PendingWrite(op)
        with self._queue_changed:
            self._queue.append(pending)
            while not pending.done and self._committing:
                self._queue_changed.wait()
            if pending.done:
                return pending.outcome()
            self._committing = True
            group, self._queue = self._queue, []
        try:
            with self._write_lock:
                self._commit(group)
        finally:
            with self._queue_changed:
                for item in group:
                    item.done = True
                self._committing = False
                self._commits += 1
                checkpoint = self._commits >= CHECKPOINT_EVERY and not self._checkpointing
                if checkpoint:
                    self._commits, self._checkpointing = 0, True
                self._queue_changed.notify_all()
            if checkpoint:
                self._checkpoint_soon()
        return pending.outcome()

    def _commit(self, group: list[_PendingWrite]) -> None:
        """Run `group` in one transaction, each write in a savepoint of its own."""
        db = self._writer()
        self._changed_owners = set()
        try:
            db.execute("BEGIN IMMEDIATE")
            for item in group:
                db.execute("SAVEPOINT write")
                try:
                    item.result = item.op(db)
                except Exception as exc:
                    item.error = exc
                    db.execute("ROLLBACK TO write")
                db.execute("RELEASE write")
            if self._changed_owners:  # (a write undone above only costs a needless bump)
                db.executemany(
                    "INSERT INTO listing_versions VALUES (?, 1)"
                    " ON CONFLICT(owner) DO UPDATE SET version = version + 1",
                    [(owner,) for owner in self._changed_owners],
                )
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            for item in group:
                item.error = exc

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database in a database thread, beside the writers
        (PASSIVE: it waits for nobody), so the WAL stays short without a commit paying."""

        def checkpoint() -> None:
            try:
                self._db().execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                self._checkpointing = False

        try:
            self._executor.submit(checkpoint)
        except RuntimeError:  # closing: closing the last connection checkpoints
            self._checkpointing = False

    def _forget_old_values_soon(self) -> None:
        """After a value was replaced or deleted: soon, in a database thread, move the WAL
        into the database (where `secure_delete` zeroed the old ciphertext) and truncate
        it, so a copy of the data dir (a backup, what a crash leaves) no longer holds the
        old ciphertext. One pass covers every write before it, so a burst of updates pays
        for a few passes, not one each."""
        with self._cleanup:
            self._old_values = True
            if self._cleanup_queued:
                return
            self._cleanup_queued = True
        self._executor.submit(self._forget_old_values)

    def _forget_old_values(self) -> None:
        while True:
            with self._cleanup:
                if not self._old_values:
                    self._cleanup_queued = False
                    self._cleanup.notify_all()
                    return
                self._old_values = False
            with self._write_lock:
                # best effort: a reader in mid-query can keep a few old pages a moment longer
                self._writer().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def wait_for_cleanup(self, timeout: float = 60.0) -> bool:
        """Wait until replaced and deleted ciphertexts are gone from the files (tests)."""
        with self._cleanup:
            return self._cleanup.wait_for(lambda: not self._cleanup_queued, timeout)

    def _read(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        bound = params if isinstance(params, dict) else tuple(params)
        return self._db().execute(sql, bound).fetchall()

    # -- key check values (see `amika_tui.server.keys`) -------------------------

    def key_check(self, name: str) -> str | None:
        """The recorded check value of key `name`, or None."""
        rows = self._read("SELECT value FROM meta WHERE name = ?", ("key-check:" + name,))
        return str(rows[0]["value"]) if rows else None

    def record_key_check(self, name: str, check: str) -> str:
        """Record `check` unless one is recorded already; returns the recorded one."""

        def record(db: sqlite3.Connection) -> str:
            db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", ("key-check:" + name, check))
            row = db.execute("SELECT value FROM meta WHERE name = ?", ("key-check:" + name,))
            return str(row.fetchone()["value"])

        return self._transact(record)

    def sample_ciphertext(self) -> bytes | None:
        """One stored ciphertext, or None when the database holds no value."""
        rows = self._read(
            "SELECT value FROM secrets UNION ALL SELECT value FROM provider_secrets LIMIT 1"
        )
        return bytes(rows[0]["value"]) if rows else None

    def _encrypt(self, value: str) -> bytes:
        assert self.cipher is not None, "the store's keys are not loaded"
        return self.cipher.encrypt(value.encode("utf-8"))

    def _decrypt(self, token: bytes) -> str:
        assert self.cipher is not None, "the store's keys are not loaded"
        return self.cipher.decrypt(token).decode("utf-8")

    # -- tenancy ---------------------------------------------------------------

    def create_api_key(self, email: str, org: str) -> str:
        """A fresh API key for `email` in `org`, creating the org and user when new.

        Raises:
            ValueError: the user exists in a different org.
        """
        key = API_KEY_PREFIX + _secrets.token_urlsafe(32)
        now = rfc3339(utc_now())

        def create(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT id FROM orgs WHERE name = ?", (org,)).fetchone()
            if row is None:
                org_id = new_id("org")
                db.execute("INSERT INTO orgs VALUES (?, ?, ?)", (org_id, org, now))
            else:
                org_id = row["id"]
            row = db.execute("SELECT id, org_id FROM users WHERE email = ?", (email,)).fetchone()
            if row is None:
                user_id = new_id("usr")
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (user_id, email, org_id, now))
            elif row["org_id"] != org_id:
                raise ValueError(f"user {email} belongs to another org")
            else:
                user_id = row["id"]
            db.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?)",
                (new_id("key"), user_id, hash_key(key), now),
            )

        self._transact(create)
        return key

    def principal_for_key(self, key: str) -> Principal | None:
        """The owner of an API key, or None; the hash is compared in constant time.

        Found owners are remembered: no path deletes a key or moves a user to another org
        (not even another process's), so a remembered owner stays right.
        """
        digest = hash_key(key)
        known = self._principals.get(digest)
        if known is not None:
            return known
        principal = self._principal_for_digest(digest)
        if principal is not None:
            if len(self._principals) >= _MAX_REMEMBERED:
                self._principals.clear()
            self._principals[digest] = principal
        return principal

    def remembered_key(self, key: str) -> Principal | None:
        """The owner of an API key if remembered (no database work), else None."""
        return self._principals.get(hash_key(key))

    def remembered_user(self, user_id: str, key_id: str) -> Principal | None:
        """`principal_for_user` if remembered (no database work), else None."""
        known = self._users.get(user_id)
        return None if known is None else dataclasses.replace(known, key_id=key_id)

    def _principal_for_digest(self, digest: str) -> Principal | None:
        rows = self._read(
            "SELECT k.id AS key_id, k.key_hash, u.id AS user_id, u.email, o.id AS org_id,"
            " o.name AS org_name FROM api_keys k JOIN users u ON u.id = k.user_id"
            " JOIN orgs o ON o.id = u.org_id WHERE k.key_hash = ?",
            (digest,),
        )
        for row in rows:
            if hmac.compare_digest(row["key_hash"], digest):
                return Principal(
                    row["user_id"], row["email"], row["org_id"], row["org_name"], row["key_id"]
                )
        return None

    def principal_for_user(self, user_id: str, key_id: str) -> Principal | None:
        """The caller named by a verified token's subject, or None when gone (remembered
        like `principal_for_key`'s)."""
        known = self.remembered_user(user_id, key_id)
        if known is not None:
            return known
        rows = self._read(
            "SELECT u.id AS user_id, u.email, o.id AS org_id, o.name AS org_name"
            " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
            (user_id,),
        )
        if not rows:
            return None
        row = rows[0]
        principal = Principal(row["user_id"], row["email"], row["org_id"], row["org_name"], key_id)
        if len(self._users) >= _MAX_REMEMBERED:
            self._users.clear()
        self._users[user_id] = principal
        return principal

    # -- generic secrets -------------------------------------------------------

    _SUMMARY_COLUMNS = "id, org_id, user_id, name, description, scope, created_at, updated_at"
    _SUMMARY_JSON = (
        "json_object('id', id, 'org_id', org_id, 'user_id', user_id, 'name', name,"
        " 'description', description, 'scope', scope, 'created_at', created_at,"
        " 'updated_at', updated_at)"
    )
    # one index search per owner, merged in (name, scope) order without sorting
    _LISTING = (
        f"SELECT name, scope, {_SUMMARY_JSON} FROM secrets WHERE owner = ? AND scope = 'user'"
        f" UNION ALL SELECT name, scope, {_SUMMARY_JSON} FROM secrets"
        " WHERE owner = ? AND scope = 'org' ORDER BY name, scope"
    )

    @classmethod
    def _summary(cls, row: sqlite3.Row) -> dict[str, Any]:
        return {name: row[name] for name in cls._SUMMARY_COLUMNS.split(", ")}

    @staticmethod
    def _owner(who: Principal, scope: str) -> str:
        return f"user:{who.user_id}" if scope == "user" else f"org:{who.org_id}"

    def _changed(self, owner: str) -> None:
        """From a write: bump `owner`'s listing version in the transaction that changes
        its secrets (once per group commit, just before it commits)."""
        self._changed_owners.add(owner)

    def secrets_listing(self, who: Principal) -> list[bytes]:
        """The body of `GET /secrets` for `who`, in pieces: a JSON array of the summaries
        of its user secrets and its org's org secrets, by name then scope.

        Served from `listings` (one piece) while neither owner's secrets changed since it
        was built. Without a cache (`listing_cache_bytes=0`) it stays in its pieces, a
        batch of rows each, so the server can drop each once it is sent.
        """
        owners = (self._owner(who, "user"), self._owner(who, "org"))
        cursor = self._db().cursor()
        cursor.row_factory = None
        stamp = self._wal_stamp.read()  # before the snapshot: a commit after it shows
        cursor.execute("BEGIN")  # one snapshot for the versions and the rows
        try:
            found = dict(
                cursor.execute(
                    "SELECT owner, version FROM listing_versions WHERE owner IN (?, ?)", owners
                ).fetchall()
            )
            versions = (found.get(owners[0], 0), found.get(owners[1], 0))
            body = self.listings.get(owners, versions, stamp)
            if body is not None:
                return [body]
            pieces = _json_array_pieces(cursor.execute(self._LISTING, owners))
            if self.listings.keeps_any:
                body = b"".join(pieces)
                self.listings.put(owners, versions, stamp, body)
                pieces = [body]
            return pieces
        finally:
            cursor.execute("COMMIT")

    def fresh_listing(self, who: Principal) -> list[bytes] | None:
        """`secrets_listing` from memory alone, when nothing was committed since it was
        last checked (any thread, the event loop included: no database work)."""
        owners = (self._owner(who, "user"), self._owner(who, "org"))
        body = self.listings.fresh(owners, self._wal_stamp.read())
        return None if body is None else [body]

    def list_secrets(self, who: Principal) -> list[dict[str, Any]]:
        """`secrets_listing`, decoded."""
        listed: list[dict[str, Any]] = json.loads(b"".join(self.secrets_listing(who)))
        return listed

    def create_secret(
        self, who: Principal, name: str, value: str, scope: str, description: str | None
    ) -> dict[str, Any]:
        """Store a new secret.

        Raises:
            ConflictError: the caller (or its org) already has `name` in `scope`.
        """
        now = rfc3339(utc_now())
        summary = {
            "id": new_id("sec"),
            "org_id": who.org_id,
            "user_id": who.user_id,
            "name": name,
            "description": description,
            "scope": scope,
            "created_at": now,
            "updated_at": now,
        }
        owner = self._owner(who, scope)
        record = (
            summary["id"],
            who.org_id,
            who.user_id,
            owner,
            name,
            description,
            scope,
            self._encrypt(value),
            now,
            now,
        )

        def insert(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO secrets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", record)
            self._changed(owner)

        try:
            self._transact(insert)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(name) from exc
        return summary

    def update_secret(self, who: Principal, secret_id: str, value: str) -> dict[str, Any] | None:
        """Replace a visible secret's value; None when the caller cannot see it."""
        params = {
            "id": secret_id,
            "user": self._owner(who, "user"),
            "org": self._owner(who, "org"),
        }
        ciphertext = self._encrypt(value)

        def update(db: sqlite3.Connection) -> dict[str, Any] | None:
            row = db.execute(
                f"SELECT {self._SUMMARY_COLUMNS}, owner FROM secrets WHERE id = :id"
                " AND ((scope = 'user' AND owner = :user) OR (scope = 'org' AND owner = :org))",
                params,
            ).fetchone()
            if row is None:
                return None
            # strictly later than before, even within one clock tick
            previous = parse_rfc3339(row["updated_at"])
            updated = rfc3339(max(utc_now(), previous + timedelta(microseconds=1)))
            db.execute(
                "UPDATE secrets SET value = ?, updated_at = ? WHERE id = ?",
                (ciphertext, updated, secret_id),
            )
            self._changed(row["owner"])
            return {**self._summary(row), "updated_at": updated}

        summary = self._transact(update)
        if summary is not None:
            self._forget_old_values_soon()
        return summary

    def seed_secrets(self, who: Principal, rows: Iterable[tuple[str, str, str]]) -> int:
        """Bulk-insert (name, value, scope) rows in one transaction; returns the count."""
        now = rfc3339(utc_now())
        records = [
            (
                new_id("sec"),
                who.org_id,
                who.user_id,
                self._owner(who, scope),
                name,
                None,
                scope,
                self._encrypt(value),
                now,
                now,
            )
            for name, value, scope in rows
        ]

        def insert(db: sqlite3.Connection) -> None:
            db.executemany("INSERT INTO secrets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
            for owner in {record[3] for record in records}:
                self._changed(owner)

        self._transact(insert)
        return len(records)

    # -- provider credentials --------------------------------------------------

    def list_provider_secrets(self, who: Principal, provider: str) -> list[dict[str, Any]]:
        """The caller's user credentials and its org's credential for `provider`."""
        rows = self._read(
            "SELECT id, name, type, scope FROM provider_secrets WHERE provider = ? AND org_id = ?"
            " AND (scope = 'org' OR user_id = ?) ORDER BY scope DESC, name",
            (provider, who.org_id, who.user_id),
        )
        return [
            {"id": r["id"], "name": r["name"], "type": r["type"], "scope": r["scope"]} for r in rows
        ]

    def create_provider_secret(
        self, who: Principal, provider: str, name: str, value: str, kind: str, scope: str
    ) -> dict[str, Any]:
        """Store a provider credential.

        Raises:
            ConflictError: user scope: the caller has `name` already; org scope: the
                org already has a credential for this provider.
        """
        if scope == "user":
            uniqueness = f"{provider}:user:{who.user_id}:{name}"
        else:
            uniqueness = f"{provider}:org:{who.org_id}"
        credential_id = new_id("psec")
        record = (
            credential_id,
            provider,
            who.org_id,
            who.user_id,
            name,
            kind,
            scope,
            self._encrypt(value),
            uniqueness,
            rfc3339(utc_now()),
        )

        def insert(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO provider_secrets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", record)

        try:
            self._transact(insert)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(name) from exc
        return {"id": credential_id, "name": name, "scope": scope}

    def delete_provider_secret(self, who: Principal, provider: str, credential_id: str) -> bool:
        """Delete a visible credential; False when the caller cannot see it."""

        def delete(db: sqlite3.Connection) -> int:
            return db.execute(
                "DELETE FROM provider_secrets WHERE id = ? AND provider = ? AND org_id = ?"
                " AND (scope = 'org' OR user_id = ?)",
                (credential_id, provider, who.org_id, who.user_id),
            ).rowcount

        if self._transact(delete) == 0:
            return False
        self._forget_old_values_soon()
        return True

    # -- direct views for tests ------------------------------------------------

    def dump(self) -> list[dict[str, Any]]:
        """Every stored secret and credential, decrypted, with owner email and org name."""
        generic = self._read(
            "SELECT s.*, u.email, o.name AS org_name FROM secrets s"
            " JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = s.org_id ORDER BY s.rowid"
        )
        providers = self._read(
            "SELECT p.*, u.email, o.name AS org_name FROM provider_secrets p"
            " JOIN users u ON u.id = p.user_id JOIN orgs o ON o.id = p.org_id ORDER BY p.rowid"
        )
        result: list[dict[str, Any]] = []
        for row in generic:
            result.append(
                {
                    "kind": "secret",
                    "provider": None,
                    "id": row["id"],
                    "name": row["name"],
                    "scope": row["scope"],
                    "type": None,
                    "description": row["description"],
                    "email": row["email"],
                    "org": row["org_name"],
                    "value": self._decrypt(row["value"]),
                    "created_at": row["created_at"],
                    "updated_at": row["updated_at"],
                }
            )
        for row in providers:
            result.append(
                {
                    "kind": "provider",
                    "provider": row["provider"],
                    "id": row["id"],
                    "name": row["name"],
                    "scope": row["scope"],
                    "type": row["type"],
                    "description": None,
                    "email": row["email"],
                    "org": row["org_name"],
                    "value": self._decrypt(row["value"]),
                    "created_at": row["created_at"],
                    "updated_at": row["created_at"],
                }
            )
        return result

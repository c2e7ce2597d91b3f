"""Opening a data dir: database, keys (checked against it) and the default developer key."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from pathlib import Path

from amika_tui.private_files import write_private_text
from amika_tui.server.app import ServerState
from amika_tui.server.faults import Faults
from amika_tui.server.keys import ServerKeys, load_keys
from amika_tui.server.listing_cache import MAX_CACHED_BYTES
from amika_tui.server.store import Store

DEV_KEY_FILE_NAME = "dev-api-key"
DEFAULT_ORG = "default"
DEFAULT_EMAIL = "dev@example.com"

Warn = Callable[[str], None]
_log = logging.getLogger("amika_tui.server")


def open_store(data_dir: Path, key_file: Path | None = None, *, warn: Warn | None = None) -> Store:
    """The store of `data_dir`, its keys loaded (from `key_file` when given) and checked.

    The data dir is created with mode 0700, or tightened to 0700 with a warning.

    Raises:
        KeyFileError: A key is missing, corrupt or not the database's (the server must
            not start; the message names the file).
    """
    return _open(data_dir, key_file, warn, MAX_CACHED_BYTES)[0]


def open_state(
    data_dir: Path,
    faults: Faults | None = None,
    *,
    jwt_exchange: bool = True,
    key_file: Path | None = None,
    public_url: str = "",
    warn: Warn | None = None,
    listing_cache_bytes: int = MAX_CACHED_BYTES,
) -> ServerState:
    """Store, JWT signing key and fault knobs of `data_dir`, ready for `create_app`.

    `jwt_exchange=False` serves no `POST /auth/jwt` (like a server without the exchange).
    `public_url` is the URL root tokens may name as their audience (set it before serving).
    `listing_cache_bytes`: see `Store`.

    Raises:
        KeyFileError: As `open_store`.
    """
    store, keys = _open(data_dir, key_file, warn, listing_cache_bytes)
    return ServerState(
        store=store,
        faults=faults or Faults(),
        jwt_key=keys.jwt_key,
        jwt_exchange=jwt_exchange,
        public_url=public_url,
    )


def _open(
    data_dir: Path, key_file: Path | None, warn: Warn | None, listing_cache_bytes: int
) -> tuple[Store, ServerKeys]:
    _private_directory(data_dir, warn or _log.warning)
    store = Store(data_dir, listing_cache_bytes=listing_cache_bytes)
    try:
        keys = load_keys(data_dir, store, key_file)
    except BaseException:
        store.close()
        raise
    store.cipher = keys.fernet
    return store, keys


def _private_directory(data_dir: Path, warn: Warn) -> None:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if mode & 0o077:
        data_dir.chmod(0o700)
        warn(f"warning: data dir {data_dir} was mode {mode:04o}; tightened it to 0700")


def ensure_dev_key(store: Store, data_dir: Path) -> tuple[str, bool]:
    """The default user's key from `<data_dir>/dev-api-key`; (key, True) when minted now."""
    path = data_dir / DEV_KEY_FILE_NAME
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key and store.principal_for_key(key) is not None:
        return key, False
    key = store.create_api_key(DEFAULT_EMAIL, DEFAULT_ORG)
    write_private_text(path, key + "\n")
    return key, True

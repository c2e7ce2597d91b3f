"""Opening a data dir: database, encryption key and the default developer key."""

from __future__ import annotations

from pathlib import Path

from amika_tui.private_files import write_private_text
from amika_tui.server.app import ServerState
from amika_tui.server.auth import load_or_create_jwt_key
from amika_tui.server.crypto import load_or_create_key
from amika_tui.server.faults import Faults
from amika_tui.server.store import Store

DEV_KEY_FILE_NAME = "dev-api-key"
DEFAULT_ORG = "default"
DEFAULT_EMAIL = "dev@example.com"


def open_store(data_dir: Path) -> Store:
    """The store of `data_dir` (created, mode 0700, when missing)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return Store(data_dir, load_or_create_key(data_dir))


def open_state(
    data_dir: Path, faults: Faults | None = None, *, jwt_exchange: bool = True
) -> ServerState:
    """Store, JWT signing key and fault knobs of `data_dir`, ready for `create_app`.

    `jwt_exchange=False` serves no `POST /auth/jwt` (like a server without the exchange).
    """
    store = open_store(data_dir)
    return ServerState(
        store=store,
        faults=faults or Faults(),
        jwt_key=load_or_create_jwt_key(data_dir),
        jwt_exchange=jwt_exchange,
    )


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

"""Encryption at rest: a Fernet key kept in a 0600 file of the data dir."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

KEY_FILE_NAME = "secret.key"


def load_or_create_key(data_dir: Path) -> Fernet:
    """Read the data dir's Fernet key, creating it (mode 0600) on first use."""
    path = data_dir / KEY_FILE_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Fernet(path.read_bytes().strip())
    key = Fernet.generate_key()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return Fernet(key)

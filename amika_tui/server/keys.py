"""The server's two keys, where they live, and the check that they fit the database.

- The Fernet key encrypts every stored value; the HS256 key signs `POST /auth/jwt` tokens.
- By default they are `secret.key` and `jwt-signing.key` in the data dir. A key file given
  with `serve --key-file PATH` (or `$AMIKA_TUI_SERVER_KEY_FILE`) holds both, as
  `secret-key: ...` and `jwt-signing-key: ...` lines, wherever you keep it: then a copy of
  the data dir alone holds neither the values nor the power to forge a token.
- A missing key file is created atomically (`create_private_text`), so simultaneous first
  starts agree on one key.
- The database records a check value of each key (an HMAC made with the key, not the key).
  A key that does not match it, or a missing key file while the database has one, refuses
  the start: a fresh key would make every stored value undecryptable.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken

from amika_tui.private_files import create_private_text

__all__ = [
    "ENV_KEY_FILE",
    "JWT_KEY_FILE_NAME",
    "SECRET_KEY_FILE_NAME",
    "KeyFileError",
    "KeyRecords",
    "ServerKeys",
    "load_keys",
]

ENV_KEY_FILE = "AMIKA_TUI_SERVER_KEY_FILE"
"""Environment variable naming the key file (what `serve --key-file` defaults to)."""
SECRET_KEY_FILE_NAME = "secret.key"
JWT_KEY_FILE_NAME = "jwt-signing.key"
_CHECK_MESSAGE = b"amika-tui reference server key check v1"


class KeyFileError(Exception):
    """A key is unreadable, empty or corrupt, missing while the database needs it, or not
    the one the database was written with; the message is one line naming the file."""


class KeyRecords(Protocol):
    """What the key check needs from the database (`Store` implements it)."""

    path: Path

    def key_check(self, name: str) -> str | None:
        """The recorded check value of key `name`, or None."""
        ...

    def record_key_check(self, name: str, check: str) -> str:
        """Record `check` unless one is recorded already; returns the recorded one."""
        ...

    def sample_ciphertext(self) -> bytes | None:
        """One stored ciphertext (any), or None when the database holds no value."""
        ...


@dataclass(frozen=True)
class ServerKeys:
    """The keys a data dir runs with."""

    secret_key: bytes = field(repr=False)
    """The Fernet key (url-safe base64 text) that encrypts stored values."""
    jwt_key: bytes = field(repr=False)
    """The HS256 key that signs tokens."""

    @property
    def fernet(self) -> Fernet:
        """The cipher of stored values."""
        return Fernet(self.secret_key)


@dataclass(frozen=True)
class _Kind:
    name: str  # check-value name in the database, and the label in a key file
    what: str
    file_name: str
    loss: str  # what a fresh key would break
    generate: Callable[[], str]
    parse: Callable[[str], bytes]  # raises ValueError


def _parse_secret_key(text: str) -> bytes:
    key = text.encode("ascii")
    try:
        Fernet(key)
    except (ValueError, binascii.Error):
        raise ValueError("not a Fernet key (32 url-safe base64-encoded bytes)") from None
    return key


def _parse_jwt_key(text: str) -> bytes:
    key = bytes.fromhex(text)
    if len(key) < 32:
        raise ValueError("shorter than 32 bytes")
    return key


_SECRET = _Kind(
    "secret-key",
    "encryption key",
    SECRET_KEY_FILE_NAME,
    "every stored value undecryptable",
    lambda: Fernet.generate_key().decode("ascii"),
    _parse_secret_key,
)
_JWT = _Kind(
    "jwt-signing-key",
    "token signing key",
    JWT_KEY_FILE_NAME,
    "every issued token invalid",
    lambda: secrets.token_hex(32),
    _parse_jwt_key,
)


def load_keys(data_dir: Path, records: KeyRecords, key_file: Path | None = None) -> ServerKeys:
    """The keys of `data_dir` (from `key_file` when given), created when new, checked
    against the database.

    Raises:
        KeyFileError: See the class; the server must not start.
    """
    files: list[tuple[Path, tuple[_Kind, ...]]]
    if key_file is None:
        files = [(data_dir / kind.file_name, (kind,)) for kind in (_SECRET, _JWT)]
    else:
        files = [(key_file, (_SECRET, _JWT))]
    keys: dict[str, bytes] = {}
    for path, kinds in files:
        keys.update(_load_file(path, kinds, records))
    for path, kinds in files:
        for kind in kinds:
            _check(kind, keys[kind.name], path, records)
    return ServerKeys(secret_key=keys[_SECRET.name], jwt_key=keys[_JWT.name])


def _load_file(path: Path, kinds: tuple[_Kind, ...], records: KeyRecords) -> dict[str, bytes]:
    text = _read(path)
    if text is None:
        needed = [kind for kind in kinds if _database_needs(kind, records)]
        if needed:
            # A simultaneous first start creates the file before it records its check
            # value, so the check value seen now may belong to a file that appeared since.
            text = _read(path)
            if text is None:
                raise KeyFileError(
                    f"{path} is missing, but {records.path} was written with its"
                    f" {needed[0].what}: restore the file (or name it with --key-file or"
                    f" ${ENV_KEY_FILE}); a new key would make {needed[0].loss}"
                )
        else:
            try:
                create_private_text(path, _render(kinds))
            except OSError as exc:
                raise KeyFileError(f"cannot create {path}: {exc.strerror or exc}") from None
            text = _read(path)  # ours, or the one a simultaneous start created first
            if text is None:
                raise KeyFileError(f"{path} vanished while it was being created")
    return _parse(path, text, kinds)


def _database_needs(kind: _Kind, records: KeyRecords) -> bool:
    if records.key_check(kind.name) is not None:
        return True
    return kind is _SECRET and records.sample_ciphertext() is not None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise KeyFileError(f"{path} is corrupt (not text): restore it from a backup") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def _render(kinds: tuple[_Kind, ...]) -> str:
    if len(kinds) == 1:
        return kinds[0].generate() + "\n"
    lines = ["# amika-tui reference server keys: keep secret, back up apart from the data dir"]
    lines += [f"{kind.name}: {kind.generate()}" for kind in kinds]
    return "\n".join(lines) + "\n"


def _parse(path: Path, text: str, kinds: tuple[_Kind, ...]) -> dict[str, bytes]:
    if len(kinds) == 1:
        values = {kinds[0].name: text.strip()}
    else:
        values = {}
        for line in text.splitlines():
            label, colon, value = line.partition(":")
            if colon and not label.lstrip().startswith("#"):
                values[label.strip()] = value.strip()
    keys: dict[str, bytes] = {}
    for kind in kinds:
        value = values.get(kind.name, "")
        if not value:
            where = "is empty" if not text.strip() else f"has no {kind.name} line"
            raise KeyFileError(f"{path} {where}: restore it from a backup")
        try:
            keys[kind.name] = kind.parse(value)
        except ValueError as exc:
            raise KeyFileError(
                f"{path} is corrupt ({kind.what} {exc}): restore it from a backup"
            ) from None
    return keys


def _check_value(key: bytes) -> str:
    return hmac.new(key, _CHECK_MESSAGE, hashlib.sha256).hexdigest()


def _check(kind: _Kind, key: bytes, path: Path, records: KeyRecords) -> None:
    check = _check_value(key)
    recorded = records.key_check(kind.name)
    if recorded is None:
        sample = records.sample_ciphertext() if kind is _SECRET else None
        if sample is not None:
            try:
                Fernet(key).decrypt(sample)
            except InvalidToken:
                recorded = ""  # a database from before check values, written under another key
        if recorded is None:
            recorded = records.record_key_check(kind.name, check)
    if not hmac.compare_digest(recorded, check):
        raise KeyFileError(
            f"{path} holds another {kind.what} than the one {records.path} was written with:"
            " use the matching key file; refusing to start"
        )

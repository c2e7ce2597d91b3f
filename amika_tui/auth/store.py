"""Read and write the CLI's two credential files: `api-key.json` and `workos-session.json`.

The formats are the Go CLI's (`encoding/json` of its structs, two-space indented):

- `api-key.json`: `{"key": "...", "stored_at": "<RFC 3339>"}`
- `workos-session.json`: `{"access_token", "refresh_token", "user_id", "email",
  "organization_id", "expires_at": "<RFC 3339>"}` (older CLIs add `session_expires_at`;
  fields we do not know are kept when we rewrite the file).

Files are written atomically (temp file + rename) with mode 0600 in a 0700 directory.
Errors never quote file contents, so a token cannot leak through a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from amika_tui.auth.paths import api_key_path, session_path
from amika_tui.private_files import write_private_text

__all__ = [
    "CredentialFileError",
    "StoredApiKey",
    "WorkOSSession",
    "delete_file",
    "format_rfc3339",
    "load_api_key",
    "load_session",
    "parse_rfc3339",
    "save_api_key_file",
    "save_session",
]

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_SESSION_FIELDS = (
    "access_token",
    "refresh_token",
    "user_id",
    "email",
    "organization_id",
    "expires_at",
)
# Go's zero time.Time, which the CLI writes for an unset timestamp.
_GO_ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)


class CredentialFileError(Exception):
    """A credential file exists but cannot be used: unreadable, not JSON, or incomplete."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        """The offending file."""
        self.reason = reason
        """Why it is unusable (never quotes the file's contents)."""
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class StoredApiKey:
    """The contents of `api-key.json`."""

    key: str = field(repr=False)
    stored_at: datetime | None


@dataclass(frozen=True, slots=True)
class WorkOSSession:
    """The contents of `workos-session.json` (a browser-login session)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    user_id: str
    email: str
    organization_id: str
    expires_at: datetime | None
    """When the access token expires; None when the file has Go's zero time."""
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Fields this tool does not know, written back unchanged."""

    @property
    def session_expires_at(self) -> datetime | None:
        """End of the whole login (older CLIs store it); after it only a new login helps."""
        raw = self.extra.get("session_expires_at")
        if not isinstance(raw, str):
            return None
        try:
            return parse_rfc3339(raw)
        except ValueError:
            return None

    def to_json(self) -> dict[str, Any]:
        """The JSON object the CLI writes, in its field order."""
        data: dict[str, Any] = {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "user_id": self.user_id,
            "email": self.email,
            "organization_id": self.organization_id,
            "expires_at": format_rfc3339(self.expires_at),
        }
        for key, value in self.extra.items():
            data.setdefault(key, value)
        return data


# --- time ---------------------------------------------------------------------------------


def parse_rfc3339(text: str) -> datetime | None:
    """Parse an RFC 3339 time as Go writes it; Go's zero time gives None.

    Raises:
        ValueError: Not an RFC 3339 date-time with an offset.
    """
    if not _RFC3339.fullmatch(text):
        raise ValueError(f"not an RFC 3339 time: {text[:40]!r}")
    parsed = datetime.fromisoformat(text.upper())
    if parsed == _GO_ZERO_TIME:
        return None
    return parsed.astimezone(UTC)


def format_rfc3339(when: datetime | None) -> str:
    """Format as RFC 3339 in UTC with a `Z`; None becomes Go's zero time."""
    if when is None:
        return "0001-01-01T00:00:00Z"
    when = when.astimezone(UTC)
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    if when.microsecond:
        text += f".{when.microsecond:06d}".rstrip("0")
    return text + "Z"


# --- reading ------------------------------------------------------------------------------


def _read_object(path: Path, what: str) -> dict[str, Any] | None:
    """The file's JSON object, None when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise CredentialFileError(path, f"{path} is a directory") from None
    except OSError as exc:
        raise CredentialFileError(path, f"cannot read {path}: {exc.strerror or exc}") from None
    detail: str | None = None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        # json's messages give a position, never the text, so they are safe to show.
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "not valid UTF-8"
    if detail is not None:
        # Raised outside the except block: the decoder error keeps the whole file text
        # (`.doc`), so it must not ride along as `__context__`.
        raise CredentialFileError(path, f"corrupt {what}: {detail}")
    if not isinstance(data, dict):
        raise CredentialFileError(path, f"corrupt {what}: not a JSON object")
    return data


def _string(data: Mapping[str, Any], key: str, path: Path, what: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CredentialFileError(path, f"corrupt {what}: {key} is not a string")
    return value


def _time(data: Mapping[str, Any], key: str, path: Path, what: str) -> datetime | None:
    value = _string(data, key, path, what)
    if not value:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError:
        raise CredentialFileError(path, f"corrupt {what}: {key} is not an RFC 3339 time") from None


def load_api_key(env: Mapping[str, str] | None = None) -> StoredApiKey | None:
    """Read `api-key.json`; None when there is none.

    Raises:
        CredentialFileError: The file is unreadable, not JSON, or has an empty key.
    """
    path = api_key_path(env)
    what = "API key file"
    data = _read_object(path, what)
    if data is None:
        return None
    key = _string(data, "key", path, what)
    if not key:
        raise CredentialFileError(path, f"corrupt {what}: empty key")
    return StoredApiKey(key=key, stored_at=_time(data, "stored_at", path, what))


def load_session(env: Mapping[str, str] | None = None) -> WorkOSSession | None:
    """Read `workos-session.json`; None when there is none.

    Raises:
        CredentialFileError: The file is unreadable, not JSON, has fields of the wrong type,
            or holds neither an access token nor a refresh token.
    """
    path = session_path(env)
    what = "session file"
    data = _read_object(path, what)
    if data is None:
        return None
    session = WorkOSSession(
        access_token=_string(data, "access_token", path, what),
        refresh_token=_string(data, "refresh_token", path, what),
        user_id=_string(data, "user_id", path, what),
        email=_string(data, "email", path, what),
        organization_id=_string(data, "organization_id", path, what),
        expires_at=_time(data, "expires_at", path, what),
        extra={k: v for k, v in data.items() if k not in _SESSION_FIELDS},
    )
    if not session.access_token and not session.refresh_token:
        raise CredentialFileError(path, f"corrupt {what}: no access token")
    return session


# --- writing ------------------------------------------------------------------------------


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON as the CLI does (two-space indent), atomically, 0600 in a 0700 dir."""
    write_private_text(path, json.dumps(data, indent=2))


def save_api_key_file(key: str, env: Mapping[str, str] | None = None) -> Path:
    """Store an API key as `api-key.json` (the CLI's `auth login --api-key-file`).

    Raises:
        ValueError: The key is empty after trimming whitespace.
        OSError: The file could not be written.
    """
    key = key.strip()
    if not key:
        raise ValueError("API key is empty")
    path = api_key_path(env)
    _write_json(path, {"key": key, "stored_at": format_rfc3339(datetime.now(UTC))})
    return path


def save_session(session: WorkOSSession, env: Mapping[str, str] | None = None) -> Path:
    """Write `workos-session.json` atomically with mode 0600.

    Raises:
        OSError: The file could not be written.
    """
    path = session_path(env)
    _write_json(path, session.to_json())
    return path


def delete_file(path: Path) -> bool:
    """Remove a credential file; return whether there was one to remove.

    Raises:
        OSError: It exists but could not be removed.
    """
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True

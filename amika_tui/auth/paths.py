"""Where the `amika` CLI keeps its credentials: the same files, on every OS."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs.unix

__all__ = [
    "API_KEY_FILE_NAME",
    "SESSION_FILE_NAME",
    "api_key_path",
    "environ",
    "session_path",
    "state_dir",
]

API_KEY_FILE_NAME = "api-key.json"
SESSION_FILE_NAME = "workos-session.json"


def environ(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The mapping to read: `env` when given, else the process environment."""
    return os.environ if env is None else env


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$AMIKA_STATE_DIRECTORY`, else `${XDG_STATE_HOME:-~/.local/state}/amika`.

    XDG on every OS (macOS included), like the Go CLI, so both tools share the files.
    """
    values = environ(env)
    override = values.get("AMIKA_STATE_DIRECTORY", "")
    if override:
        return Path(override)
    if env is None:
        return Path(platformdirs.unix.Unix(appname="amika").user_state_dir)
    # Same rule as platformdirs.unix.Unix, applied to the mapping we were given.
    xdg = values.get("XDG_STATE_HOME", "").strip()
    base = Path(xdg) if xdg else Path(values.get("HOME") or Path.home()) / ".local" / "state"
    return base / "amika"


def api_key_path(env: Mapping[str, str] | None = None) -> Path:
    """The stored API key file, `api-key.json` in the state dir."""
    return state_dir(env) / API_KEY_FILE_NAME


def session_path(env: Mapping[str, str] | None = None) -> Path:
    """The browser-login session file, `workos-session.json` in the state dir."""
    return state_dir(env) / SESSION_FILE_NAME

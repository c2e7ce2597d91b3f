"""The UI's own small settings file (theme, last import directory and parse mode) under the
config dir.

Stored as JSON at ``<platformdirs user config dir>/amika-tui/ui.json``; a missing or
corrupt file means defaults (the UI never fails to start because of it).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import platformdirs

from amika_tui.private_files import write_private_text

__all__ = ["UIConfig", "config_dir", "load_config", "save_config"]

_FILE_NAME = "ui.json"


def config_dir(override: Path | None = None) -> Path:
    """Directory holding the UI config (``override`` wins, used by tests)."""
    if override is not None:
        return override
    return Path(platformdirs.user_config_dir("amika-tui"))


@dataclass(frozen=True, slots=True)
class UIConfig:
    """Preferences remembered between runs."""

    theme: str | None = None
    """Name of the Textual theme last chosen."""
    last_import_dir: str | None = None
    """Directory the .env import dialog last picked a file from."""
    import_mode: str | None = None
    """The .env parse mode last chosen in the import dialog (``amika`` or ``dotenv``)."""

    def with_changes(self, **changes: str | None) -> UIConfig:
        """A copy with some fields changed."""
        return replace(self, **changes)


def load_config(directory: Path | None = None) -> UIConfig:
    """Read the config; defaults when it is missing or unreadable."""
    path = config_dir(directory) / _FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UIConfig()
    if not isinstance(data, dict):
        return UIConfig()

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return UIConfig(
        theme=text("theme"),
        last_import_dir=text("last_import_dir"),
        import_mode=text("import_mode"),
    )


def save_config(config: UIConfig, directory: Path | None = None) -> None:
    """Write the config atomically; failures are ignored (preferences are best effort).

    Uses the credential files' writer (0600 file, 0700 directory): nothing here is secret,
    but one atomic writer is simpler than two.
    """
    path = config_dir(directory) / _FILE_NAME
    with contextlib.suppress(OSError):
        write_private_text(path, json.dumps(asdict(config), indent=2) + "\n")

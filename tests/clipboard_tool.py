"""A stand-in system clipboard tool: real ``wl-copy`` / ``wl-paste`` executables, first on
PATH, that keep the clipboard in a file (as the project's local HTTP stubs stand in for
endpoints that cannot run here)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

__all__ = ["FakeClipboardTool"]

_COPY = """#!/bin/sh
printf '%s\\n' "wl-copy $*" >> "$FAKE_CLIPBOARD.argv"
[ -n "$FAKE_CLIPBOARD_FAIL" ] && exit 3
if [ "$1" = "--clear" ]; then rm -f "$FAKE_CLIPBOARD"; exit 0; fi
cat > "$FAKE_CLIPBOARD"
"""

_PASTE = """#!/bin/sh
printf '%s\\n' "wl-paste $*" >> "$FAKE_CLIPBOARD.argv"
[ -n "$FAKE_CLIPBOARD_FAIL" ] && exit 3
[ -f "$FAKE_CLIPBOARD" ] || { echo "Nothing is copied" >&2; exit 1; }
cat "$FAKE_CLIPBOARD"
"""


class FakeClipboardTool:
    """``wl-copy``/``wl-paste`` in ``directory``, put first on PATH with a Wayland display
    set; the clipboard is the file `store`, every command line is logged."""

    def __init__(self, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, script in (("wl-copy", _COPY), ("wl-paste", _PASTE)):
            path = directory / name
            path.write_text(script)
            path.chmod(path.stat().st_mode | stat.S_IXUSR)
        self.store = directory / "clipboard"
        """Holds what the fake clipboard holds (absent: empty)."""
        self._monkeypatch = monkeypatch
        monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
        monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-fake")
        monkeypatch.setenv("FAKE_CLIPBOARD", str(self.store))

    def held(self) -> str | None:
        """What the clipboard holds now (None: nothing)."""
        return self.store.read_text() if self.store.exists() else None

    def put(self, text: str) -> None:
        """Another program copies ``text``."""
        self.store.write_text(text)

    def command_lines(self) -> str:
        """Every command line the tools were run with, one a line."""
        log = self.store.with_name("clipboard.argv")
        return log.read_text() if log.exists() else ""

    def fail(self) -> None:
        """From now on both tools exit with status 3."""
        self._monkeypatch.setenv("FAKE_CLIPBOARD_FAIL", "1")

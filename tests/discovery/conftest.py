"""Fixture homes for discovery tests: write credential files, run the command."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amika_tui.cli import main

XDG_VARIABLES = ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")


def _stamps() -> dict[str, str]:
    now = time.time()
    future, past = now + 7200, now - 7200
    rfc = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "{future_ms}": str(int(future * 1000)),
        "{past_ms}": str(int(past * 1000)),
        "{future_rfc}": datetime.fromtimestamp(future, UTC).strftime(rfc),
        "{past_rfc}": datetime.fromtimestamp(past, UTC).strftime(rfc),
        "{future_offset}": (datetime.now(UTC) + timedelta(hours=2))
        .astimezone()
        .isoformat(timespec="seconds"),
    }


def fill(text: str, home: Path) -> str:
    """Replace ``{home}`` and the time stamps (``{future_ms}``, ``{past_rfc}`` …) in ``text``."""
    text = text.replace("{home}", str(home))
    for key, value in _stamps().items():
        text = text.replace(key, value)
    return text


@dataclass
class Home:
    """A fake home directory."""

    path: Path

    def write(self, rel: str, content: str | Mapping[str, Any] | list[Any]) -> Path:
        """Write ``content`` (JSON for non-strings) at ``rel``; placeholders are filled."""
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content)
        target.write_text(fill(text, self.path))
        return target

    def files(self, files: Mapping[str, str | Mapping[str, Any] | list[Any]]) -> None:
        """Write several files."""
        for rel, content in files.items():
            self.write(rel, content)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """An empty home; XDG variables unset so Amika's files live under it."""
    path = tmp_path / "home"
    path.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(path))
    for variable in XDG_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return Home(path)


@dataclass
class Result:
    """What `amika-tui extract` printed."""

    code: int
    out: str
    err: str


Extract = Callable[..., Result]


@pytest.fixture
def extract(home: Home, capsys: pytest.CaptureFixture[str]) -> Extract:
    """Run ``amika-tui extract --homedir <home> *args`` in-process."""

    def run(*args: str, homedir: bool = True) -> Result:
        argv = ["extract", *(["--homedir", str(home.path)] if homedir else []), *args]
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run

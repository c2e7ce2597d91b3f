"""Shared fixtures: the reference server, isolated tenants, a clean environment."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from textual._styles_cache import StylesCache

from amika_tui.server.testing import RunningServer, run_server
from tests.clipboard_tool import FakeClipboardTool

# No per-example deadline: on a loaded machine a slow example would be reported as a flaky
# failure, and these tests assert behaviour, never timing.
settings.register_profile("amika", deadline=None)
settings.load_profile("amika")

_ISOLATED_ENV_REMOVED = (
    "AMIKA_API_KEY",
    "AMIKA_API_URL",
    "AMIKA_TOKEN_PROVIDER_URL",
    "AMIKA_WORKOS_CLIENT_ID",
    # No test reaches the real system clipboard (its tools need a display).
    "DISPLAY",
    "WAYLAND_DISPLAY",
)
_session_server: list[RunningServer] = []
_tenant_numbers = itertools.count(1)


@dataclass(frozen=True)
class Tenant:
    """A fresh user in a fresh org on the shared server: sees only its own data."""

    url: str
    api_key: str = field(repr=False)
    email: str
    org: str
    server: RunningServer = field(repr=False)

    def headers(self) -> dict[str, str]:
        """`Authorization: Bearer <api_key>` for raw HTTP calls."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def stored_secrets(self) -> list[dict[str, Any]]:
        """The server's decrypted rows owned by this tenant's org (secrets and credentials)."""
        return [row for row in self.server.stored_secrets() if row["org"] == self.org]

    def statuses(self, method: str, path_end: str = "", at_least: int = 0) -> list[int]:
        """Statuses of this tenant's logged `method` requests (path ending in `path_end`),
        polled until at least `at_least` are logged (a hang gives up after 120 s).

        Requests answered before authentication (injected faults, 401s) carry no user and
        count; another test's request still in flight carries its own user and does not.
        The log is cleared before each test.
        """
        deadline = time.monotonic() + 120
        while True:
            found = [
                entry.status
                for entry in self.server.request_log()
                if entry.method == method
                and entry.path.endswith(path_end)
                and entry.user in (self.email, None)
            ]
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.002)

    def member(self, email: str | None = None) -> Tenant:
        """Another user in the same org (for org-scope visibility tests)."""
        email = email or f"member-{uuid.uuid4().hex[:12]}@example.com"
        return Tenant(
            self.url, self.server.create_user(email, self.org), email, self.org, self.server
        )


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, XDG_* and AMIKA_STATE_DIRECTORY point into tmp; AMIKA_* credentials unset."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable, relative in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(variable, str(home / relative))
    monkeypatch.setenv("AMIKA_STATE_DIRECTORY", str(home / ".local/state/amika"))
    for variable in _ISOLATED_ENV_REMOVED:
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture(autouse=True)
def _drop_textual_render_cache() -> Iterator[None]:
    """Textual's `StylesCache.get_inner_outer` is an lru_cache on a method: it keeps up to
    1,024 dead apps' style caches (and their rendered strips) alive, which every full
    garbage collection then walks. Cleared after each test."""
    yield
    StylesCache.get_inner_outer.cache_clear()


@pytest.fixture
def fake_clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeClipboardTool:
    """A stand-in ``wl-copy``/``wl-paste`` first on PATH (`FakeClipboardTool`)."""
    return FakeClipboardTool(tmp_path / "clipboard-bin", monkeypatch)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One reference server for the whole session; faults are reset after every test."""
    with run_server(tmp_path_factory.mktemp("amika-server")) as running:
        _session_server.append(running)
        try:
            yield running
        finally:
            _session_server.remove(running)


@pytest.fixture(autouse=True)
def _reset_server_faults() -> Iterator[None]:
    """Every test starts with the shared server's knobs off and an empty request log."""
    for running in _session_server:
        running.faults.reset()
        running.reset_rate_limits()
        running.clear_request_log()
    yield
    for running in _session_server:
        running.faults.reset()
        running.reset_rate_limits()


@pytest.fixture
def tenant(server: RunningServer) -> Tenant:
    """A fresh user+org on the shared server, so tests never see each other's data."""
    token = f"{next(_tenant_numbers)}-{uuid.uuid4().hex[:12]}"
    email = f"user-{token}@example.com"
    org = f"org-{token}"
    return Tenant(server.url, server.create_user(email, org), email, org, server)

"""Run the reference server in a background thread for tests and benchmarks.

with run_server() as server:
    httpx.get(f"{server.url}/api/v0beta1/secrets",
              headers={"Authorization": f"Bearer {server.api_key}"})
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn

from amika_tui.server.app import ServerState, create_app
from amika_tui.server.auth import (
    DEFAULT_JWT_LIFETIME_S,
    JWT_AUDIENCE,
    PERMISSIONS,
    Authenticator,
)
from amika_tui.server.faults import Faults, RequestLogEntry
from amika_tui.server.runtime import ensure_dev_key, open_state
from amika_tui.server.store import ConflictError, Principal, Store

__all__ = [
    "JWT_AUDIENCE",
    "PERMISSIONS",
    "Faults",
    "RequestLogEntry",
    "RunningServer",
    "run_server",
]


class RunningServer:
    """A live server: its URL, the default user's key and direct views of its state."""

    def __init__(self, url: str, api_key: str, data_dir: Path, state: ServerState) -> None:
        self.url = url
        """Host root, e.g. `http://127.0.0.1:54321` (clients append `/api/v0beta1`)."""
        self.api_key = api_key
        """Key of the default user (`dev@example.com`, org `default`)."""
        self.data_dir = data_dir
        """Directory of the database, the encryption key and `dev-api-key`."""
        self._state = state

    def __repr__(self) -> str:
        return f"RunningServer(url={self.url!r}, data_dir={str(self.data_dir)!r})"

    @property
    def faults(self) -> Faults:
        """Fault knobs, applied to every following request (mutate or replace)."""
        return self._state.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._state.faults = faults

    @property
    def store(self) -> Store:
        """The server's storage (direct access for tests and benchmarks)."""
        return self._state.store

    def create_user(self, email: str, org: str) -> str:
        """A fresh API key for `email` in `org` (both created when new)."""
        return self._state.store.create_api_key(email, org)

    def request_log(self) -> list[RequestLogEntry]:
        """Answered requests, oldest first: method, path, status, user — never values."""
        return self._state.request_log.entries()

    def clear_request_log(self) -> None:
        """Forget the logged requests."""
        self._state.request_log.clear()

    def stored_secrets(self) -> list[dict[str, Any]]:
        """Every stored secret and provider credential, decrypted.

        Keys: kind (`secret`/`provider`), provider, id, name, scope, type,
        description, email, org, value, created_at, updated_at.
        """
        return self._state.store.dump()

    def seed_secrets(self, api_key: str, rows: Iterable[tuple[str, str, str]]) -> int:
        """Bulk-insert (name, value, scope) generic secrets for `api_key`'s user, fast."""
        return self._state.store.seed_secrets(self._principal(api_key), rows)

    def seed_provider_secrets(
        self, api_key: str, provider: str, rows: Iterable[tuple[str, str, str, str]]
    ) -> list[str]:
        """Store (name, value, type, scope) credentials of `provider`; returns their ids.

        Raises:
            ValueError: a row breaks a uniqueness rule (the rows before it are kept).
        """
        principal = self._principal(api_key)
        ids: list[str] = []
        for name, value, kind, scope in rows:
            try:
                created = self._state.store.create_provider_secret(
                    principal, provider, name, value, kind, scope
                )
            except ConflictError:
                raise ValueError(f"{provider} credential {name!r} conflicts") from None
            ids.append(created["id"])
        return ids

    @property
    def jwt_audience(self) -> str:
        """The audience `POST /auth/jwt` tokens need to be accepted (`url` works too)."""
        return JWT_AUDIENCE

    @property
    def jwt_lifetime_s(self) -> int:
        """Lifetime of tokens from `POST /auth/jwt` without `expires_in` (settable)."""
        return self._state.jwt_lifetime_s

    @jwt_lifetime_s.setter
    def jwt_lifetime_s(self, seconds: int) -> None:
        self._state.jwt_lifetime_s = seconds

    def issue_jwt(
        self,
        api_key: str,
        *,
        permissions: Iterable[str] = PERMISSIONS,
        audience: str = JWT_AUDIENCE,
        lifetime_s: int = DEFAULT_JWT_LIFETIME_S,
        issued_at: datetime | None = None,
    ) -> str:
        """Sign a token directly (e.g. one that expired already: `issued_at` in the past)."""
        authenticator = Authenticator(self._state.store, self._state.jwt_key)
        return authenticator.issue(
            self._principal(api_key),
            audience=audience,
            permissions=tuple(permissions),
            lifetime_s=lifetime_s,
            now=issued_at,
        ).token

    def reset_rate_limits(self) -> None:
        """Refill every rate-limit bucket."""
        self._state.limiter.reset()

    def rate_limit_buckets(self) -> int:
        """How many rate-limit buckets the server keeps (one per key or client address)."""
        return len(self._state.limiter)

    def _principal(self, api_key: str) -> Principal:
        principal = self._state.store.principal_for_key(api_key)
        if principal is None:
            raise ValueError("unknown API key")
        return principal


def _wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"reference server: timed out waiting for {what}")
        time.sleep(0.002)


@contextmanager
def run_server(
    data_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    jwt_exchange: bool = True,
) -> Iterator[RunningServer]:
    """Start the server on `host:port` (0 = a free port) in a thread; stop it on exit.

    `jwt_exchange=False` runs it without `POST /auth/jwt` (404), like an older server.
    """
    with tempfile.TemporaryDirectory(prefix="amika-server-") as scratch:
        root = Path(scratch) if data_dir is None else data_dir
        state = open_state(root, faults, jwt_exchange=jwt_exchange)
        store = state.store
        try:
            api_key, _ = ensure_dev_key(store, root)
            sock = socket.socket(
                socket.AF_INET6 if ":" in host else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,  # asyncio sets TCP_NODELAY only when proto says TCP
            )
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            bound_port = sock.getsockname()[1]
            url_host = f"[{host}]" if ":" in host else host
            state.public_url = f"http://{url_host}:{bound_port}"
            config = uvicorn.Config(
                create_app(state),
                lifespan="off",
                log_level="warning",
                access_log=False,
                timeout_graceful_shutdown=2,
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(
                target=server.run, kwargs={"sockets": [sock]}, name="amika-server", daemon=True
            )
            thread.start()
            try:
                _wait_until(lambda: server.started or not thread.is_alive(), 10.0, "server start")
                if not server.started:
                    raise RuntimeError("reference server failed to start")
                yield RunningServer(state.public_url, api_key, root, state)
            finally:
                server.should_exit = True
                thread.join(timeout=10.0)
                sock.close()
        finally:
            store.close()

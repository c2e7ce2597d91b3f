"""The embedded reference server with what tests, benchmarks and screenshots need to look
inside: fault knobs, the request log, seeding, minted JWTs.

with run_server() as server:
    server.seed_secrets(server.api_key, [("API_KEY", "value", "user")])
    server.faults = Faults(fail_rate=0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from amika_tui.server.auth import (
    DEFAULT_JWT_LIFETIME_S,
    JWT_AUDIENCE,
    PERMISSIONS,
    Authenticator,
)
from amika_tui.server.embedded import EmbeddedServer, run_embedded
from amika_tui.server.faults import Faults, RequestLogEntry
from amika_tui.server.store import ConflictError, Principal, Store

__all__ = [
    "JWT_AUDIENCE",
    "PERMISSIONS",
    "Faults",
    "RequestLogEntry",
    "RunningServer",
    "run_server",
]


class RunningServer(EmbeddedServer):
    """An embedded server with direct views of its state, for tests and benchmarks."""

    @property
    def faults(self) -> Faults:
        """Fault knobs, applied to every following request (mutate or replace)."""
        return self.state.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.state.faults = faults

    @property
    def store(self) -> Store:
        """The server's storage (direct access for tests and benchmarks)."""
        return self.state.store

    def create_user(self, email: str, org: str) -> str:
        """A fresh API key for `email` in `org` (both created when new)."""
        return self.state.store.create_api_key(email, org)

    def request_log(self) -> list[RequestLogEntry]:
        """Answered requests, oldest first: method, path, status, user — never values."""
        return self.state.request_log.entries()

    def clear_request_log(self) -> None:
        """Forget the logged requests."""
        self.state.request_log.clear()

    def stored_secrets(self) -> list[dict[str, Any]]:
        """Every stored secret and provider credential, decrypted.

        Keys: kind (`secret`/`provider`), provider, id, name, scope, type,
        description, email, org, value, created_at, updated_at.
        """
        return self.state.store.dump()

    def seed_secrets(self, api_key: str, rows: Iterable[tuple[str, str, str]]) -> int:
        """Bulk-insert (name, value, scope) generic secrets for `api_key`'s user, fast."""
        return self.state.store.seed_secrets(self._principal(api_key), rows)

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
                created = self.state.store.create_provider_secret(
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
        return self.state.jwt_lifetime_s

    @jwt_lifetime_s.setter
    def jwt_lifetime_s(self, seconds: int) -> None:
        self.state.jwt_lifetime_s = seconds

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
        authenticator = Authenticator(self.state.store, self.state.jwt_key)
        return authenticator.issue(
            self._principal(api_key),
            audience=audience,
            permissions=tuple(permissions),
            lifetime_s=lifetime_s,
            now=issued_at,
        ).token

    def reset_rate_limits(self) -> None:
        """Refill every rate-limit bucket."""
        self.state.limiter.reset()

    def rate_limit_buckets(self) -> int:
        """How many rate-limit buckets the server keeps (one per key or client address)."""
        return len(self.state.limiter)

    def _principal(self, api_key: str) -> Principal:
        principal = self.state.store.principal_for_key(api_key)
        if principal is None:
            raise ValueError("unknown API key")
        return principal


@contextmanager
def run_server(
    data_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    jwt_exchange: bool = True,
) -> Iterator[RunningServer]:
    """`run_embedded` with the test views of `RunningServer` (same arguments)."""
    with run_embedded(
        data_dir, host=host, port=port, faults=faults, jwt_exchange=jwt_exchange
    ) as server:
        yield RunningServer(server.url, server.api_key, server.data_dir, server.state)

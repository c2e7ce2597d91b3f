"""The credentials side of ``--read-only``: a read-only token when the server can issue one.

- A static API key (``AMIKA_API_KEY``, ``api-key.json``, a key typed in the sign-in view, the
  embedded ``--local`` server's key) goes through `ReadOnlyTokenSource`: the first request
  exchanges it for a JWT holding only `READ_ONLY_PERMISSIONS` (``POST /auth/jwt``), so the
  server refuses every write made in this session. A server without the exchange (404/405)
  gets the key itself and the session is enforced by the client only.
- Other credentials (a browser-login session, a token provider) cannot be exchanged: the
  client alone enforces read-only.
- In both cases the session's client is an `AmikaClient(read_only=True)`, which refuses
  every write before it is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from enum import StrEnum

from amika_tui.api.sources import READ_ONLY_PERMISSIONS, ApiKeyExchangeSource

__all__ = ["Enforcement", "ReadOnlyTokenSource"]


class Enforcement(StrEnum):
    """Who guarantees that a read-only session does not write."""

    PENDING = "pending"
    """Not known until the first request tried the token exchange."""
    SERVER = "server"
    """The server: every request carries a token without write permissions."""
    CLIENT = "client"
    """amika-tui only: the server would accept writes made with this credential."""


class ReadOnlyTokenSource:
    """Bearer tokens of a read-only session that started from an API key.

    The first `token()` exchanges the key (`ApiKeyExchangeSource.probe`); afterwards every
    token is the read-only JWT (refreshed before expiry), or the key itself when the server
    has no exchange. `on_decided(enforcement)` is called once, when that is known.
    """

    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        on_decided: Callable[[Enforcement], None],
        timeout: float = 30.0,
        allow_insecure_http: bool = False,
        permissions: Sequence[str] = READ_ONLY_PERMISSIONS,
    ) -> None:
        self._key = api_key
        self._exchange = ApiKeyExchangeSource(
            api_url,
            api_key,
            audience=api_url.rstrip("/"),
            permissions=permissions,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )
        self._on_decided = on_decided
        self._lock = asyncio.Lock()
        self.enforcement = Enforcement.PENDING
        """Known after the first request."""

    def __repr__(self) -> str:
        return f"ReadOnlyTokenSource(enforcement={self.enforcement.value!r})"

    async def token(self) -> str:
        """The read-only JWT, or the key when the server cannot issue one.

        Raises:
            AuthenticationError: The key was rejected by the exchange.
            AmikaHTTPError, AmikaTransportError: The exchange failed otherwise.
        """
        if self.enforcement is Enforcement.PENDING:
            async with self._lock:
                if self.enforcement is Enforcement.PENDING:
                    supported = await self._exchange.probe()
                    self.enforcement = Enforcement.SERVER if supported else Enforcement.CLIENT
                    self._on_decided(self.enforcement)
        if self.enforcement is Enforcement.SERVER:
            return await self._exchange.token()
        return self._key

    def invalidate(self) -> None:
        """Exchange again on the next request (the client calls this after a 401)."""
        self._exchange.invalidate()

    async def aclose(self) -> None:
        """Close the exchange's connections."""
        await self._exchange.aclose()

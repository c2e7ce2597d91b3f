"""Token sources: where the client gets its bearer token before every request."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["StaticTokenSource", "TokenSource", "invalidate_source", "resolve_token"]


@runtime_checkable
class TokenSource(Protocol):
    """Anything with `token()` returning a bearer token, or an awaitable of one.

    A source may also define `invalidate()` (sync or async): the client calls it after a 401
    and then asks for a fresh token once before giving up.
    """

    def token(self) -> str | Awaitable[str]:
        """Return the bearer token to use for the next request."""
        ...


@dataclass(frozen=True, slots=True)
class StaticTokenSource:
    """A source that always returns the same token (what `access_token=` uses)."""

    _token: str = field(repr=False)

    def token(self) -> str:
        """Return the fixed token."""
        return self._token


async def resolve_token(source: TokenSource) -> str:
    """Call `source.token()` and await the result when it is awaitable."""
    result = source.token()
    if inspect.isawaitable(result):
        result = await result
    return result


async def invalidate_source(source: TokenSource) -> bool:
    """Call `source.invalidate()` if the source has one; return whether it did."""
    invalidate = getattr(source, "invalidate", None)
    if not callable(invalidate):
        return False
    result = invalidate()
    if inspect.isawaitable(result):
        await result
    return True

"""Async client of the Amika secrets API: models, errors, token sources.

No Textual imports and no file reads here: resolving the tool's own credentials is
`amika_tui.auth`'s job.

The client and the token sources that call HTTP are loaded on first use, so a layer that
needs only the models or the errors (discovery reads `CredentialType`) does not load httpx.
"""

import importlib
from typing import TYPE_CHECKING, Any

from amika_tui.api.errors import (
    AmikaError,
    AmikaHTTPError,
    AmikaResponseError,
    AmikaTransportError,
    AuthenticationError,
    ConflictError,
    InsecureTransportError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from amika_tui.api.models import CredentialType, IssuedToken, ProviderCredential, Scope, Secret
from amika_tui.api.tokens import StaticTokenSource, TokenSource

if TYPE_CHECKING:
    from amika_tui.api.client import API_PREFIX, USER_AGENT, AmikaClient
    from amika_tui.api.sources import (
        READ_ONLY_PERMISSIONS,
        ApiKeyExchangeSource,
        TokenProviderSource,
    )

_LAZY = {
    "API_PREFIX": "client",
    "USER_AGENT": "client",
    "AmikaClient": "client",
    "READ_ONLY_PERMISSIONS": "sources",
    "ApiKeyExchangeSource": "sources",
    "TokenProviderSource": "sources",
}
"""Exported names whose modules import httpx, and which module holds each."""

__all__ = [
    "API_PREFIX",
    "READ_ONLY_PERMISSIONS",
    "USER_AGENT",
    "AmikaClient",
    "AmikaError",
    "AmikaHTTPError",
    "AmikaResponseError",
    "AmikaTransportError",
    "ApiKeyExchangeSource",
    "AuthenticationError",
    "ConflictError",
    "CredentialType",
    "InsecureTransportError",
    "IssuedToken",
    "NotFoundError",
    "PermissionDeniedError",
    "ProviderCredential",
    "RateLimitedError",
    "Scope",
    "Secret",
    "ServerError",
    "StaticTokenSource",
    "TokenProviderSource",
    "TokenSource",
    "ValidationError",
]


def __getattr__(name: str) -> Any:
    """Load a lazily exported name (see `_LAZY`) on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

"""Async client of the Amika secrets API: models, errors, token sources.

No Textual imports and no file reads here: resolving the tool's own credentials is
`amika_tui.auth`'s job.
"""

from amika_tui.api.client import API_PREFIX, USER_AGENT, AmikaClient
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
from amika_tui.api.sources import READ_ONLY_PERMISSIONS, ApiKeyExchangeSource, TokenProviderSource
from amika_tui.api.tokens import StaticTokenSource, TokenSource

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

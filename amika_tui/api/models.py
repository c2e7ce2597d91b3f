"""Typed, immutable models of the Amika secrets API (never holding a secret value)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = ["CredentialType", "IssuedToken", "ProviderCredential", "Scope", "Secret"]


class Scope(StrEnum):
    """Who can see a secret: the user alone, or the whole organisation."""

    USER = "user"
    ORG = "org"


class CredentialType(StrEnum):
    """The kind of a provider credential: a whole OAuth document or a bare API key."""

    OAUTH = "oauth"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class Secret:
    """Summary of a generic secret as listed by the API (the value is never returned)."""

    id: str
    org_id: str | None
    user_id: str | None
    name: str
    description: str | None
    scope: Scope
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProviderCredential:
    """A provider (agent) credential such as a Claude OAuth document or a Codex API key.

    `type` is None when the server does not say (the create answer omits it).
    """

    id: str
    name: str
    type: CredentialType | None
    scope: Scope


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A short-lived JWT bought with an API key (`POST /auth/jwt`)."""

    token: str = field(repr=False)
    expires_at: datetime

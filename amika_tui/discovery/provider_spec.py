"""Providers as data: one `ProviderSpec` per agent (Claude, Codex) drives one code path.

Mirrors upstream's `providerConfig` (`go/cmd/amika/secrets.go`): the credentials screen,
the add dialog and the extract pane never branch on the provider, they read its spec. Names
and discovery come from the provider's `ProviderDiscovery`; the spec adds what the pushing
side needs (the credentials as `LocalCredential` s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from amika_tui.api.models import CredentialType
from amika_tui.discovery import providers
from amika_tui.discovery.providers import ProviderDiscovery

__all__ = [
    "CLAUDE",
    "CODEX",
    "PROVIDERS",
    "LocalCredential",
    "ProviderSpec",
    "type_label",
]


@dataclass(frozen=True, slots=True)
class LocalCredential:
    """A credential found on this machine, ready to be pushed as a provider credential."""

    type: CredentialType
    """OAuth (the whole JSON document) or API key (the bare key)."""
    source: str
    """Where it was found (a file path, or "macOS Keychain")."""
    value: str = field(repr=False)
    """The value to upload; never shown unmasked unless the user reveals it."""


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """What differs between providers; everything else is shared code."""

    discovery: ProviderDiscovery = field(repr=False)
    """Names and the local scan (`amika_tui.discovery.providers`)."""

    @property
    def key(self) -> str:
        """Stable identifier, also the tab id and the API path segment ("claude")."""
        return self.discovery.name

    @property
    def api_path(self) -> str:
        """Provider segment of `/api/v0beta1/secrets/<api_path>`."""
        return self.discovery.name

    @property
    def display_name(self) -> str:
        """User-facing name ("Claude Code")."""
        return self.discovery.display_name

    @property
    def short_name(self) -> str:
        """Prefix of default credential names and terse messages ("Claude")."""
        return self.discovery.short_name

    def discover(self, home: Path | None) -> list[LocalCredential]:
        """This provider's credentials in ``home`` (None = the real home directory).

        Raises:
            HomeDirectoryError: no home to scan.
        """
        found = self.discovery.discover(None if home is None else str(home), None)
        return [
            LocalCredential(
                type=CredentialType(item.kind), source=item.source_label, value=item.value
            )
            for item in found
        ]

    def default_name(self, type: CredentialType) -> str:
        """The name a new credential gets unless the user types one: "Claude OAuth"."""
        return self.discovery.default_name(type)


CLAUDE = ProviderSpec(providers.CLAUDE)
CODEX = ProviderSpec(providers.CODEX)
PROVIDERS: tuple[ProviderSpec, ...] = (CLAUDE, CODEX)


def type_label(type: CredentialType | None) -> str:
    """Human label of a credential type ("OAuth", "API key", "unknown")."""
    if type is CredentialType.OAUTH:
        return "OAuth"
    if type is CredentialType.API_KEY:
        return "API key"
    return "unknown"

"""Providers as data: one `ProviderSpec` per agent (Claude, Codex) drives one screen.

Mirrors upstream's `providerConfig` (`go/cmd/amika/secrets.go`): the credentials screen,
the add dialog and the extract pane never branch on the provider, they read its spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from amika_tui.api import CredentialType

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


def _discover_for(provider: str) -> Callable[[Path | None], list[LocalCredential]]:
    """A discover hook reading the discovery layer for ``provider`` (imported lazily)."""

    def discover(home: Path | None) -> list[LocalCredential]:
        from amika_tui.discovery import discover_provider_credentials

        found = discover_provider_credentials(provider, home=home)
        return [
            LocalCredential(
                type=CredentialType(item.kind), source=item.source_label, value=item.value
            )
            for item in found
        ]

    return discover


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """What differs between providers; everything else is shared code."""

    key: str
    """Stable identifier, also the tab id ("claude", "codex")."""
    display_name: str
    """User-facing name ("Claude Code")."""
    short_name: str
    """Prefix of default credential names and terse messages ("Claude")."""
    api_path: str
    """Provider segment of `/api/v0beta1/secrets/<api_path>`."""
    discover: Callable[[Path | None], list[LocalCredential]] = field(repr=False, compare=False)
    """Scans the home directory (None = the real one) for this provider's credentials."""

    def default_name(self, type: CredentialType) -> str:
        """The name a new credential gets unless the user types one: "Claude OAuth"."""
        suffix = "OAuth" if type is CredentialType.OAUTH else "API Key"
        return f"{self.short_name} {suffix}"


CLAUDE = ProviderSpec(
    key="claude",
    display_name="Claude Code",
    short_name="Claude",
    api_path="claude",
    discover=_discover_for("claude"),
)
CODEX = ProviderSpec(
    key="codex",
    display_name="Codex",
    short_name="Codex",
    api_path="codex",
    discover=_discover_for("codex"),
)
PROVIDERS: tuple[ProviderSpec, ...] = (CLAUDE, CODEX)


def type_label(type: CredentialType | None) -> str:
    """Human label of a credential type ("OAuth", "API key", "unknown")."""
    if type is CredentialType.OAUTH:
        return "OAuth"
    if type is CredentialType.API_KEY:
        return "API key"
    return "unknown"

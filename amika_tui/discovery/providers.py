"""Whole provider credentials (Claude, Codex) for the provider-secrets screen.

Mirrors upstream's ``DiscoverClaudeCredentials`` / ``DiscoverCodexCredentials`` (used by
``amika secret claude|codex push``): unreadable or malformed files are skipped, not fatal;
OAuth values are the whole trimmed JSON document so refresh tokens travel with the access
token; expiry is not checked. The files are the extract scan's own: one
:func:`~amika_tui.discovery.engine.scan` reads each file once and its report carries these
credentials (``DiscoveryReport.credentials``), so the extract pane and the add-credential
dialog see the same findings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from amika_tui.discovery.engine import scan
from amika_tui.discovery.gojson import GoJSONError, go_unmarshal
from amika_tui.discovery.records import record
from amika_tui.discovery.report import (
    KEYCHAIN_SOURCE,
    CredentialKind,
    DiscoveredCredential,
    DiscoveryReport,
)

__all__ = [
    "CLAUDE",
    "CODEX",
    "KEYCHAIN_SOURCE",
    "PROVIDER_DISCOVERY",
    "KeychainReader",
    "ProviderDiscovery",
    "discover_claude_credentials",
    "discover_codex_credentials",
    "discover_provider_credentials",
    "read_macos_keychain",
]

KeychainReader = Callable[[], "str | None"]

CLAUDE_API_KEY_FILES = (".claude.json.api", ".claude.json")
CLAUDE_OAUTH_FILES = (".claude/.credentials.json", ".claude-oauth-credentials.json")
CODEX_FILES = (".codex/auth.json",)


def read_macos_keychain() -> str | None:
    """The ``Claude Code-credentials`` keychain item on macOS, else None."""
    if sys.platform != "darwin":
        return None
    import subprocess

    try:
        out = subprocess.run(
            ["security", "find-generic-password", "-s", "Claude Code-credentials", "-w"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _valid_json(text: str) -> bool:
    try:
        go_unmarshal(text.encode("utf-8", "surrogateescape"))
    except GoJSONError:
        return False
    return True


def _report(home: str | os.PathLike[str] | None, env: Mapping[str, str] | None) -> DiscoveryReport:
    return scan(home, include_oauth=True, env=env)


def discover_claude_credentials(
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    keychain: KeychainReader | None = read_macos_keychain,
    report: DiscoveryReport | None = None,
) -> list[DiscoveredCredential]:
    """Claude API keys (one per file), then Claude OAuth documents, then the keychain item.

    ``report``: a scan already made (with OAuth on) to take them from instead of scanning.

    Raises:
        HomeDirectoryError: no home to scan.
    """
    found = list((report or _report(home, env)).credentials("claude"))
    if keychain is not None:
        value = keychain()
        if value and _valid_json(value):
            kind = CredentialKind.OAUTH
            name = CLAUDE.default_name(kind)
            found.append(DiscoveredCredential("claude", kind, value, None, name))
    return found


def discover_codex_credentials(
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    report: DiscoveryReport | None = None,
) -> list[DiscoveredCredential]:
    """Codex API key (``OPENAI_API_KEY``) and OAuth (the whole ``auth.json``).

    Raises:
        HomeDirectoryError: no home to scan.
    """
    return list((report or _report(home, env)).credentials("codex"))


@record
class ProviderDiscovery:
    """What the shared provider screen needs to know about one provider."""

    name: str
    """CLI subcommand and API path segment: ``claude`` or ``codex``."""
    display_name: str
    """``Claude Code`` / ``Codex``."""
    short_name: str
    """Prefix of default names and terse messages: ``Claude`` / ``Codex``."""
    discover: Callable[[str | None, Mapping[str, str] | None], list[DiscoveredCredential]]
    """``discover(home, env)``: every credential found locally."""
    searched: tuple[str, ...]
    """Home-relative files looked at (for an empty state: "looked in …")."""
    canonical: str
    """The extract engine's provider name: ``anthropic`` / ``openai``."""

    def default_name(self, kind: CredentialKind | str) -> str:
        """``<Short> OAuth`` or ``<Short> API Key``."""
        suffix = "OAuth" if CredentialKind(kind) is CredentialKind.OAUTH else "API Key"
        return f"{self.short_name} {suffix}"


def _claude(home: str | None, env: Mapping[str, str] | None) -> list[DiscoveredCredential]:
    return discover_claude_credentials(home, env)


def _codex(home: str | None, env: Mapping[str, str] | None) -> list[DiscoveredCredential]:
    return discover_codex_credentials(home, env)


CLAUDE = ProviderDiscovery(
    "claude",
    "Claude Code",
    "Claude",
    _claude,
    CLAUDE_API_KEY_FILES + CLAUDE_OAUTH_FILES,
    "anthropic",
)
CODEX = ProviderDiscovery("codex", "Codex", "Codex", _codex, CODEX_FILES, "openai")

#: Provider name -> its discovery description.
PROVIDER_DISCOVERY: dict[str, ProviderDiscovery] = {"claude": CLAUDE, "codex": CODEX}


def discover_provider_credentials(
    provider: str,
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> list[DiscoveredCredential]:
    """Credentials for ``"claude"`` or ``"codex"``.

    Raises:
        KeyError: unknown provider.
        HomeDirectoryError: no home to scan.
    """
    spec = PROVIDER_DISCOVERY[provider]
    return spec.discover(None if home is None else os.fspath(home), env)

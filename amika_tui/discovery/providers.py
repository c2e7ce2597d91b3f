"""Whole provider credentials (Claude, Codex) for the provider-secrets screen.

Mirrors upstream's ``DiscoverClaudeCredentials`` / ``DiscoverCodexCredentials``
(used by ``amika secret claude|codex push``): unreadable or malformed files are
skipped, not fatal; OAuth values are the whole trimmed JSON document so refresh
tokens travel with the access token; expiry is not checked. Files are read with
the same guards as the extract engine (no symlinks out of home, 1 MiB cap).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from amika_tui.api.models import CredentialType
from amika_tui.discovery.engine import read_credentials_file, resolve_home
from amika_tui.discovery.gocompat import go_join, go_trim_space
from amika_tui.discovery.gojson import GoJSONError, go_unmarshal
from amika_tui.discovery.sources import CLAUDE_API_FIELDS, FieldError, get_string_path

__all__ = [
    "CLAUDE",
    "CODEX",
    "PROVIDER_DISCOVERY",
    "DiscoveredCredential",
    "KeychainReader",
    "ProviderDiscovery",
    "discover_claude_credentials",
    "discover_codex_credentials",
    "discover_provider_credentials",
    "read_macos_keychain",
]

ProviderName = Literal["claude", "codex"]
KeychainReader = Callable[[], "str | None"]

CLAUDE_API_KEY_FILES = (".claude.json.api", ".claude.json")
CLAUDE_OAUTH_FILES = (".claude/.credentials.json", ".claude-oauth-credentials.json")
CODEX_FILES = (".codex/auth.json",)
KEYCHAIN_SOURCE = "macOS Keychain"


@dataclass(frozen=True, slots=True)
class DiscoveredCredential:
    """One credential that can be pushed as a provider secret."""

    provider: ProviderName
    type: CredentialType
    value: str = field(repr=False)
    source_path: Path | None
    """The file it came from; None for the macOS keychain."""
    default_name: str
    """``Claude OAuth``, ``Claude API Key``, ``Codex OAuth`` or ``Codex API Key``."""

    @property
    def source_label(self) -> str:
        """Where it came from, for display."""
        return KEYCHAIN_SOURCE if self.source_path is None else str(self.source_path)


def _default_name(short: str, kind: CredentialType) -> str:
    return f"{short} API Key" if kind is CredentialType.API_KEY else f"{short} OAuth"


def _load(path: str, home: str) -> tuple[str, dict[str, Any]] | None:
    """(trimmed text, object) or None when unreadable, refused or not a JSON object."""
    data = read_credentials_file(path, home)
    if not isinstance(data, bytes):
        return None
    try:
        obj = go_unmarshal(data)
    except GoJSONError:
        return None
    if not isinstance(obj, dict):
        return None
    return go_trim_space(data.decode("utf-8", "replace")), obj


def _lenient(obj: Mapping[str, Any], path: str) -> str | None:
    try:
        return get_string_path(obj, path)
    except FieldError:
        return None


def read_macos_keychain() -> str | None:
    """The ``Claude Code-credentials`` keychain item on macOS, else None."""
    if sys.platform != "darwin":
        return None
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


def discover_claude_credentials(
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    keychain: KeychainReader | None = read_macos_keychain,
) -> list[DiscoveredCredential]:
    """Claude API keys (one per file), then Claude OAuth documents, then the keychain item.

    Raises:
        HomeDirectoryError: no home to scan.
    """
    base = resolve_home(home, os.environ if env is None else env)
    found: list[DiscoveredCredential] = []
    for rel in CLAUDE_API_KEY_FILES:
        path = go_join(base, rel)
        loaded = _load(path, base)
        if loaded is None:
            continue
        for name in CLAUDE_API_FIELDS:
            value = _lenient(loaded[1], name)
            if value and value.startswith("sk-ant-"):
                kind = CredentialType.API_KEY
                found.append(
                    DiscoveredCredential(
                        "claude", kind, value, Path(path), _default_name("Claude", kind)
                    )
                )
                break
    for rel in CLAUDE_OAUTH_FILES:
        path = go_join(base, rel)
        loaded = _load(path, base)
        if loaded is None or not _lenient(loaded[1], "claudeAiOauth.accessToken"):
            continue
        kind = CredentialType.OAUTH
        name = _default_name("Claude", kind)
        found.append(DiscoveredCredential("claude", kind, loaded[0], Path(path), name))
    if keychain is not None:
        value = keychain()
        if value and _valid_json(value):
            kind = CredentialType.OAUTH
            found.append(
                DiscoveredCredential("claude", kind, value, None, _default_name("Claude", kind))
            )
    return found


def discover_codex_credentials(
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> list[DiscoveredCredential]:
    """Codex API key (``OPENAI_API_KEY``) and OAuth (the whole ``auth.json``).

    Raises:
        HomeDirectoryError: no home to scan.
    """
    base = resolve_home(home, os.environ if env is None else env)
    found: list[DiscoveredCredential] = []
    for rel in CODEX_FILES:
        path = go_join(base, rel)
        loaded = _load(path, base)
        if loaded is None:
            continue
        text, obj = loaded
        key = _lenient(obj, "OPENAI_API_KEY")
        if key:
            kind = CredentialType.API_KEY
            found.append(
                DiscoveredCredential("codex", kind, key, Path(path), _default_name("Codex", kind))
            )
        if _lenient(obj, "tokens.access_token"):
            kind = CredentialType.OAUTH
            found.append(
                DiscoveredCredential("codex", kind, text, Path(path), _default_name("Codex", kind))
            )
    return found


@dataclass(frozen=True, slots=True)
class ProviderDiscovery:
    """What the shared provider screen needs to know about one provider."""

    name: ProviderName
    """CLI subcommand and API path segment: ``claude`` / ``codex``."""
    display_name: str
    """``Claude Code`` / ``Codex``."""
    short_name: str
    """Prefix of default names and terse messages: ``Claude`` / ``Codex``."""
    discover: Callable[[str | None, Mapping[str, str] | None], list[DiscoveredCredential]]
    """``discover(home, env)``: every credential found locally."""
    searched: tuple[str, ...]
    """Home-relative files looked at (for an empty state: "looked in …")."""

    def default_name(self, kind: CredentialType) -> str:
        """``<Short> OAuth`` or ``<Short> API Key``."""
        return _default_name(self.short_name, kind)


def _claude(home: str | None, env: Mapping[str, str] | None) -> list[DiscoveredCredential]:
    return discover_claude_credentials(home, env)


def _codex(home: str | None, env: Mapping[str, str] | None) -> list[DiscoveredCredential]:
    return discover_codex_credentials(home, env)


CLAUDE = ProviderDiscovery(
    "claude", "Claude Code", "Claude", _claude, CLAUDE_API_KEY_FILES + CLAUDE_OAUTH_FILES
)
CODEX = ProviderDiscovery("codex", "Codex", "Codex", _codex, CODEX_FILES)

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

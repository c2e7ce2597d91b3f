"""Finding local agent credentials: the `extract` engine and provider-credential discovery.

Plain Python, no Textual. ``scan()`` returns a :class:`DiscoveryReport`;
``discover_provider_credentials()`` feeds the Claude/Codex provider screen.
"""

from amika_tui.discovery.engine import MAX_FILE_BYTES, DiscoveryFailed, HomeDirectoryError, scan
from amika_tui.discovery.jsonreport import report_to_dict
from amika_tui.discovery.output import canonical_provider, env_lines, env_names, shell_quote
from amika_tui.discovery.providers import (
    CLAUDE,
    CODEX,
    PROVIDER_DISCOVERY,
    ProviderDiscovery,
    discover_claude_credentials,
    discover_codex_credentials,
    discover_provider_credentials,
)
from amika_tui.discovery.report import (
    Candidate,
    CredentialKind,
    DiscoveredCredential,
    DiscoveryReport,
    FileScan,
    FileStatus,
    ProviderResult,
    Shadowed,
    SourceReport,
)
from amika_tui.discovery.sources import SOURCES, SourceSpec

__all__ = [
    "CLAUDE",
    "CODEX",
    "MAX_FILE_BYTES",
    "PROVIDER_DISCOVERY",
    "SOURCES",
    "Candidate",
    "CredentialKind",
    "DiscoveredCredential",
    "DiscoveryFailed",
    "DiscoveryReport",
    "FileScan",
    "FileStatus",
    "HomeDirectoryError",
    "ProviderDiscovery",
    "ProviderResult",
    "Shadowed",
    "SourceReport",
    "SourceSpec",
    "canonical_provider",
    "discover_claude_credentials",
    "discover_codex_credentials",
    "discover_provider_credentials",
    "env_lines",
    "env_names",
    "report_to_dict",
    "scan",
    "shell_quote",
]

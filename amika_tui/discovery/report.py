"""What a discovery scan found: per source, per file, per provider. Plain frozen data."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from amika_tui.discovery import records
from amika_tui.discovery.records import field, record

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "KEYCHAIN_SOURCE",
    "Candidate",
    "CredentialKind",
    "DiscoveredCredential",
    "DiscoveryReport",
    "FileScan",
    "FileStatus",
    "ProviderResult",
    "Shadowed",
    "SourceReport",
]


class CredentialKind(StrEnum):
    """Whether a discovered value is a plain API key or an OAuth access token."""

    API_KEY = "api_key"
    OAUTH = "oauth"


class FileStatus(StrEnum):
    """What happened to one file of one source."""

    MISSING = "missing"
    """The file does not exist."""
    NOTHING = "nothing"
    """Read and valid, but it holds no usable credential."""
    FOUND = "found"
    """At least one credential came from this file."""
    SKIPPED = "skipped"
    """Not read: it belongs to an OAuth source and OAuth is off."""
    EXPIRED = "expired"
    """It only holds OAuth tokens whose expiry has passed (``expired_at``)."""
    ERROR = "error"
    """Unreadable or malformed; ``detail`` says what and where."""
    REFUSED = "refused"
    """Not read: no permission, a FIFO (it could block), or absurdly big (over 256 MiB)."""


KEYCHAIN_SOURCE = "macOS Keychain"


@record
class DiscoveredCredential:
    """A whole credential that can be pushed as a Claude or Codex provider secret."""

    provider: str
    """``claude`` or ``codex`` (the API path segment)."""
    kind: CredentialKind
    value: str = field(repr=False)
    """The bare API key, or the whole trimmed OAuth document (refresh token included)."""
    source_path: str | None
    """The file it came from; None for the macOS keychain."""
    default_name: str
    """``Claude OAuth``, ``Claude API Key``, ``Codex OAuth`` or ``Codex API Key``."""

    @property
    def source_label(self) -> str:
        """Where it came from, for display."""
        return KEYCHAIN_SOURCE if self.source_path is None else str(self.source_path)


@record
class Candidate:
    """One credential value found in one file."""

    provider: str
    """Canonical provider name: ``anthropic``, ``openai`` or e.g. ``groq``."""
    value: str = field(repr=False)
    kind: CredentialKind
    source_id: str
    priority: int
    file: str
    field: str
    """Where in the file: ``apiKey``, ``tokens.access_token``, ``groq.key``, ``XAI_API_KEY``."""
    order: int = 0
    """Position of the source in the scan (ties in priority go to the lower order)."""
    credential: DiscoveredCredential | None = records.field(default=None, repr=False, compare=False)
    """The provider credential of the same file and kind, when there is one: what pushing
    this candidate as a Claude/Codex credential uploads (for OAuth, the whole document)."""


@record
class Shadowed:
    """A candidate that lost, and why."""

    candidate: Candidate
    reason: str


@record
class FileScan:
    """One file looked at by one source."""

    path: str
    status: FileStatus
    detail: str | None = None
    """Human text for ERROR / REFUSED / EXPIRED (e.g. ``invalid JSON at line 3, column 5: …``)."""
    candidates: tuple[Candidate, ...] = ()
    expired_ns: int | None = None
    """For EXPIRED (or FOUND with some expired entries): the latest passed expiry seen,
    Unix nanoseconds."""
    notes: tuple[str, ...] = ()
    """Per-entry remarks: expired entries, OAuth entries skipped, non-``sk-ant-`` values ignored."""
    upstream_error: str | None = field(default=None, repr=False)
    """The error ``amika auth extract`` would stop with for this file (Go's wording)."""
    target: str | None = None
    """Where the path really leads when a symlink is on the way (dotfiles repos), else None."""
    credentials: tuple[DiscoveredCredential, ...] = ()
    """Whole provider credentials in this file, by upstream's lenient provider discovery
    (expired tokens included: the refresh token travels with the document)."""

    @property
    def expired_at(self) -> datetime | None:
        """``expired_ns`` as an aware UTC datetime."""
        from amika_tui.discovery.gotime import ns_to_datetime

        return None if self.expired_ns is None else ns_to_datetime(self.expired_ns)


@record
class SourceReport:
    """One source of the scan with every file it looked at."""

    id: str
    label: str
    priority: int
    is_oauth: bool
    files: tuple[FileScan, ...]

    @property
    def errored(self) -> bool:
        """True when any file of the source is broken or refused."""
        return any(f.status in (FileStatus.ERROR, FileStatus.REFUSED) for f in self.files)

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every credential found by the source, in file order."""
        return tuple(c for f in self.files for c in f.candidates)


@record
class ProviderResult:
    """The credential chosen for one provider plus everything it shadowed."""

    provider: str
    winner: Candidate
    shadowed: tuple[Shadowed, ...]
    env_names: tuple[str, ...]
    """Environment variable names the winner is exported as (aliases included)."""


@record
class DiscoveryReport:
    """The full result of one scan."""

    home: str
    include_oauth: bool
    sources: tuple[SourceReport, ...]
    providers: tuple[ProviderResult, ...]
    env: Mapping[str, str] = field(repr=False)
    """Environment assignments (``ANTHROPIC_API_KEY`` … ``<NAME>_API_KEY``) -> value."""
    upstream_error: str | None = field(default=None, repr=False)
    """What ``amika auth extract`` would print on stderr before exiting 1, if it would."""

    @property
    def problems(self) -> tuple[tuple[SourceReport, FileScan], ...]:
        """Every (source, file) pair that is broken or refused, in scan order."""
        return tuple(
            (s, f)
            for s in self.sources
            for f in s.files
            if f.status in (FileStatus.ERROR, FileStatus.REFUSED)
        )

    def provider(self, name: str) -> ProviderResult | None:
        """The result for a canonical provider name, if any."""
        return next((p for p in self.providers if p.provider == name), None)

    def credentials(self, provider: str) -> tuple[DiscoveredCredential, ...]:
        """Whole ``claude`` or ``codex`` credentials found, in scan order."""
        every = (c for s in self.sources for f in s.files for c in f.credentials)
        return tuple(c for c in every if c.provider == provider)

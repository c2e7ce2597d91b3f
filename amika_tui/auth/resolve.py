"""Which credential the tool uses, what `amika auth status` would say, and logging out.

Precedence is the CLI's, first one set wins: `AMIKA_API_KEY` → `api-key.json` →
`workos-session.json`. An unreadable file is skipped (and reported), never fatal. The app
and `amika-tui push` put a token provider (`--token-provider-url`, else
`AMIKA_TOKEN_PROVIDER_URL`) before all of them (`resolve_credentials`): it is a choice made
for this tool only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from amika_tui.api import StaticTokenSource, TokenProviderSource, TokenSource
from amika_tui.auth.paths import api_key_path, environ, session_path
from amika_tui.auth.session import SessionTokenSource
from amika_tui.auth.store import (
    CredentialFileError,
    StoredApiKey,
    WorkOSSession,
    delete_file,
    load_api_key,
    load_session,
    save_api_key_file,
)

__all__ = [
    "DEFAULT_API_URL",
    "ENV_TOKEN_PROVIDER_URL",
    "AuthStatus",
    "CredentialKind",
    "LogoutResult",
    "ResolvedCredentials",
    "api_base_url",
    "auth_status",
    "logout",
    "resolve_credentials",
    "resolve_token_source",
    "save_api_key",
    "token_provider_credentials",
]

DEFAULT_API_URL = "https://app.amika.dev"
ENV_API_KEY = "AMIKA_API_KEY"
ENV_TOKEN_PROVIDER_URL = "AMIKA_TOKEN_PROVIDER_URL"


def api_base_url(env: Mapping[str, str] | None = None) -> str:
    """`AMIKA_API_URL`, else `https://app.amika.dev` (host root, no trailing slash)."""
    return (environ(env).get("AMIKA_API_URL") or DEFAULT_API_URL).rstrip("/")


class CredentialKind(StrEnum):
    """Where the active credential comes from."""

    ENV = "env"
    API_KEY_FILE = "api_key_file"
    SESSION = "session"
    TOKEN_PROVIDER = "token_provider"


@dataclass(frozen=True)
class ResolvedCredentials:
    """The credential to use, as a token source for `AmikaClient`."""

    kind: CredentialKind
    token_source: TokenSource = field(repr=False)
    description: str
    """Human wording of the source, e.g. "AMIKA_API_KEY environment variable"."""


@dataclass(frozen=True)
class AuthStatus:
    """The facts `amika auth status` reports.

    `email` and `org` are known only for a browser-login session: an API key does not say
    whose it is.
    """

    active: CredentialKind | None
    description: str | None
    email: str | None
    org: str | None
    warnings: tuple[str, ...]

    @property
    def identity(self) -> str:
        """Who requests run as, or why that is not known."""
        if self.active is None:
            return "not logged in"
        if self.active is not CredentialKind.SESSION:
            return "unknown (an API key does not tell whose it is)"
        who = self.email or "unknown user"
        return f"{who} (org: {self.org})" if self.org else who


@dataclass(frozen=True)
class LogoutResult:
    """What `logout()` removed, what went wrong, and whether a key is still in effect."""

    removed: tuple[Path, ...]
    warnings: tuple[str, ...]
    env_key_still_active: bool
    """`AMIKA_API_KEY` is set, so requests stay authenticated after logout."""


@dataclass(frozen=True)
class _Found:
    env_key: str = field(repr=False)
    key: StoredApiKey | None
    key_error: CredentialFileError | None
    session: WorkOSSession | None
    session_error: CredentialFileError | None


def _scan(env: Mapping[str, str] | None) -> _Found:
    key: StoredApiKey | None = None
    key_error: CredentialFileError | None = None
    session: WorkOSSession | None = None
    session_error: CredentialFileError | None = None
    try:
        key = load_api_key(env)
    except CredentialFileError as exc:
        key_error = exc
    try:
        session = load_session(env)
    except CredentialFileError as exc:
        session_error = exc
    return _Found(
        env_key=environ(env).get(ENV_API_KEY, "").strip(),
        key=key,
        key_error=key_error,
        session=session,
        session_error=session_error,
    )


def _session_label(session: WorkOSSession) -> str:
    label = session.email or "unknown user"
    if session.organization_id:
        label += f" (org: {session.organization_id})"
    return label


def resolve_token_source(env: Mapping[str, str] | None = None) -> ResolvedCredentials | None:
    """The credential the CLI would use; None when there is no usable one.

    Args:
        env: Environment to read (default: the process environment).

    Returns:
        The kind, a token source for `AmikaClient`, and a description; None when nothing
        usable is stored (unreadable files are skipped, see `auth_status` for why).
    """
    found = _scan(env)
    if found.env_key:
        return ResolvedCredentials(
            CredentialKind.ENV,
            StaticTokenSource(found.env_key),
            f"{ENV_API_KEY} environment variable",
        )
    if found.key is not None:
        return ResolvedCredentials(
            CredentialKind.API_KEY_FILE,
            StaticTokenSource(found.key.key),
            f"stored API key ({api_key_path(env)})",
        )
    if found.session is not None:
        return ResolvedCredentials(
            CredentialKind.SESSION,
            SessionTokenSource(env),
            f"logged-in session: {_session_label(found.session)}",
        )
    return None


def token_provider_credentials(url: str) -> ResolvedCredentials:
    """Tokens from the backend at ``url`` (``{"accessToken": ...}``), described by its host.

    Raises:
        ValueError: ``url`` is not an http(s) URL.
    """
    source = TokenProviderSource(url)
    parsed = urlsplit(source.url)
    host = (parsed.hostname or "") + (f":{parsed.port}" if parsed.port else "")
    return ResolvedCredentials(CredentialKind.TOKEN_PROVIDER, source, f"token provider {host}")


def resolve_credentials(
    env: Mapping[str, str] | None = None, *, token_provider_url: str | None = None
) -> ResolvedCredentials | None:
    """The credential the app uses: a token provider (``token_provider_url``, else
    `AMIKA_TOKEN_PROVIDER_URL`) when one is given, else `resolve_token_source`.

    Raises:
        ValueError: The token provider URL is not an http(s) URL.
    """
    provider_url = token_provider_url or environ(env).get(ENV_TOKEN_PROVIDER_URL, "").strip()
    if provider_url:
        return token_provider_credentials(provider_url)
    return resolve_token_source(env)


def _api_key_warnings(found: _Found, path: Path) -> list[str]:
    if found.key_error is not None:
        return [f"ignoring unreadable API key file ({path}: {found.key_error.reason})"]
    if found.key is not None:
        return [f"shadows stored API key ({path})"]
    return []


def _session_warnings(found: _Found, path: Path) -> list[str]:
    if found.session_error is not None:
        return [f"ignoring unreadable session file ({path}: {found.session_error.reason})"]
    if found.session is not None:
        return [f"shadows logged-in session: {_session_label(found.session)}"]
    return []


def auth_status(env: Mapping[str, str] | None = None) -> AuthStatus:
    """The active credential source, identity when known, and a warning per shadowed or
    unreadable credential, worded as `amika auth status` words them."""
    found = _scan(env)
    key_file, session_file = api_key_path(env), session_path(env)
    if found.env_key:
        return AuthStatus(
            CredentialKind.ENV,
            f"{ENV_API_KEY} environment variable",
            None,
            None,
            tuple(_api_key_warnings(found, key_file) + _session_warnings(found, session_file)),
        )
    if found.key is not None:
        return AuthStatus(
            CredentialKind.API_KEY_FILE,
            f"stored API key ({key_file})",
            None,
            None,
            tuple(_session_warnings(found, session_file)),
        )
    if found.session is not None:
        session = found.session
        warnings = _api_key_warnings(found, key_file)
        ends = session.session_expires_at
        if ends is not None and datetime.now(UTC) > ends:
            warnings.append("session expired, run: amika auth login")
        elif not session.refresh_token and (
            session.expires_at is None or session.expires_at <= datetime.now(UTC)
        ):
            warnings.append("session access token expired and cannot be refreshed")
        return AuthStatus(
            CredentialKind.SESSION,
            f"logged-in session: {_session_label(session)}",
            session.email or None,
            session.organization_id or None,
            tuple(warnings),
        )
    warnings = []
    if found.key_error is not None:
        warnings.append(
            f"stored API key file is unreadable ({found.key_error.reason}); "
            "run `amika auth logout` to clear it"
        )
    if found.session_error is not None:
        warnings.append(
            f"stored session file is unreadable ({found.session_error.reason}); "
            "run `amika auth logout` to clear it"
        )
    return AuthStatus(None, None, None, None, tuple(warnings))


def save_api_key(key: str, env: Mapping[str, str] | None = None) -> Path:
    """Store an API key in `api-key.json` exactly as `amika auth login --api-key-file` does.

    Atomic write, file mode 0600, directory 0700; the key is trimmed.

    Returns:
        The file written.

    Raises:
        ValueError: The key is empty.
        OSError: The file could not be written.
    """
    return save_api_key_file(key, env)


def logout(env: Mapping[str, str] | None = None) -> LogoutResult:
    """Remove the stored API key and the session, as `amika auth logout` does.

    A corrupt or unreadable file is removed too, with a warning; a file that cannot be
    removed gives a warning instead of an exception.
    """
    removed: list[Path] = []
    warnings: list[str] = []
    found = _scan(env)
    targets = (
        (api_key_path(env), found.key_error, "stored API key file"),
        (session_path(env), found.session_error, "stored session file"),
    )
    for path, error, what in targets:
        if error is not None:
            warnings.append(f"{what} is unreadable ({error.reason}); removing {path}")
        try:
            if delete_file(path):
                removed.append(path)
        except OSError as exc:
            warnings.append(f"could not remove {path}: {exc.strerror or exc}")
    return LogoutResult(tuple(removed), tuple(warnings), bool(found.env_key))

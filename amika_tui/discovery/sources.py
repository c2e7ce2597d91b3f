"""The eight credential sources of `amika auth extract`, parsed with upstream's exact rules.

Each parser gets one decoded JSON object and reports what upstream's parser
would take from it, in upstream's order, plus notes for the richer report. A
malformed field raises :class:`FieldError` carrying Go's wording (for the
compatible command) and a friendlier one (for the report). Upstream reference:
``internal/auth/discovery.go`` in ``gofixpoint/amika``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from enum import StrEnum

from amika_tui.discovery.gocompat import go_join, go_lower, go_quote, go_trim_space, go_upper
from amika_tui.discovery.gotime import GoTimeError, format_ns, parse_rfc3339_ns
from amika_tui.discovery.output import canonical_provider
from amika_tui.discovery.records import field, mutable_record, record
from amika_tui.discovery.report import CredentialKind, DiscoveredCredential

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "SOURCES",
    "FieldError",
    "FileRef",
    "Hit",
    "ParseContext",
    "Parsed",
    "Root",
    "SourceSpec",
    "describe_json",
    "get_string_path",
    "xdg_base",
]

CLAUDE_API_FIELDS = ("primaryApiKey", "apiKey", "anthropicApiKey", "customApiKey")
AMP_FIELDS = (
    "anthropicApiKey",
    "anthropic_api_key",
    "apiKey",
    "api_key",
    "accessToken",
    "access_token",
    "token",
    "auth.anthropicApiKey",
    "auth.apiKey",
    "auth.token",
    "anthropic.apiKey",
    "anthropic.token",
)
#: Go's ``(?i)^([A-Z0-9_-]+)_API_KEY$`` spelled out: Go folds case by Unicode simple
#: folding, so the letters also match ſ (folds to s) and the Kelvin sign (folds to k),
#: but not İ or ı, which Python's IGNORECASE would take for I.
_ENV_STYLE = "^([A-Za-z0-9_\\-\u017f\u212a]+)_[Aa][Pp][Ii]_[Kk\u212a][Ee][Yy]\\Z"  # compiled on use
_INT64 = 2**63


class FieldError(Exception):
    """A value of the wrong type: ``go`` is upstream's text, ``human`` ours."""

    def __init__(self, go: str, human: str) -> None:
        super().__init__(human)
        self.go = go
        self.human = human


@record
class Hit:
    """One value a parser accepted."""

    provider: str
    """Provider as the parser names it (already canonicalised once, like upstream)."""
    value: str = field(repr=False)
    kind: CredentialKind
    field: str


@mutable_record
class Parsed:
    """What one file gave."""

    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    expired_ns: int | None = None
    """Latest passed expiry among skipped tokens, Unix nanoseconds."""

    def expired(self, ns: int, note: str) -> None:
        self.notes.append(note)
        if self.expired_ns is None or ns > self.expired_ns:
            self.expired_ns = ns


@record
class ParseContext:
    """Inputs every parser needs."""

    include_oauth: bool
    now_ns: int


class Root(StrEnum):
    """Which directory a file lives under (the symlink check stays inside it)."""

    HOME = "home"
    CACHE = "XDG_CACHE_HOME"
    DATA = "XDG_DATA_HOME"
    STATE = "XDG_STATE_HOME"


@record
class FileRef:
    """A file a source reads: ``parts`` under ``root``."""

    root: Root
    parts: tuple[str, ...]


if TYPE_CHECKING:
    Parser = Callable[[Mapping[str, Any], ParseContext], Parsed]
    CredentialsHook = Callable[[Mapping[str, Any], bytes, str], tuple[DiscoveredCredential, ...]]
    """``hook(object, file bytes, path)``: the whole provider credentials in one file."""


@record
class SourceSpec:
    """One row of the source table."""

    id: str
    label: str
    priority: int
    oauth: bool
    files: tuple[FileRef, ...]
    parse: Parser
    """Called once per file; upstream stops at the first file that yields a hit."""
    credentials: CredentialsHook | None = None
    """Provider credentials (Claude/Codex) in a file of this source, read from the same
    decoded object: upstream's ``DiscoverClaudeCredentials`` / ``DiscoverCodexCredentials``."""


_XDG_DEFAULTS = {
    Root.CACHE: (".cache",),
    Root.DATA: (".local", "share"),
    Root.STATE: (".local", "state"),
}


def xdg_base(root: Root, home: str, env: Mapping[str, str]) -> str:
    """Directory for ``root``: the XDG variable when set and non-empty (used as-is,
    like upstream's ``basedir``), else its default under ``home``."""
    if root is Root.HOME:
        return home
    value = env.get(root.value, "")
    if value:
        return value
    return go_join(home, *_XDG_DEFAULTS[root])


def describe_json(value: Any) -> str:
    """What kind of JSON value `value` is, for messages: ``a string``, ``an array``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float | int):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def get_string_path(obj: Mapping[str, Any], path: str, *, where: str = "") -> str | None:
    """Upstream's ``getStringPath``: dotted lookup, null or missing -> None, trimmed string.

    Raises:
        FieldError: a non-object on the way or a non-string at the end.
    """
    parts = path.split(".")
    current: Any = obj
    for i, part in enumerate(parts):
        if current is None:
            return None
        if not isinstance(current, dict):
            at = ".".join(parts[:i])
            raise FieldError(
                f"path {go_quote(path)} expects an object at {go_quote(at)}",
                f"`{where}{at}` is {describe_json(current)}, not an object"
                f" (reading `{where}{path}`)",
            )
        if part not in current:
            return None
        raw = current[part]
        if i == len(parts) - 1:
            if raw is None:
                return None
            if not isinstance(raw, str):
                raise FieldError(
                    f"path {go_quote(path)} must be a string",
                    f"`{where}{path}` is {describe_json(raw)}, not a string",
                )
            return go_trim_space(raw)
        current = raw
    return None


def _epoch_ms_ns(raw: Any, go_prefix: str, name: str) -> int:
    """Upstream's ``parseEpochMillis`` (a float64: Go decodes every number so)."""
    if not isinstance(raw, float | int) or isinstance(raw, bool):
        raise FieldError(f"{go_prefix}must be numeric epoch millis", f"`{name}` is not a number")
    raw = float(raw)  # rounds like Go's float64 decoding
    if math.trunc(raw) != raw:
        raise FieldError(
            f"{go_prefix}must be an integer epoch millis",
            f"`{name}` is not a whole number of milliseconds",
        )
    ms = int(raw)
    if not -_INT64 <= ms < _INT64:
        ms = -_INT64  # Go's float64 -> int64 overflow on amd64
    return ms * 1_000_000


def parse_claude_api(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
    """``primaryApiKey`` … ``customApiKey``: the first ``sk-ant-`` value."""
    out = Parsed()
    for name in CLAUDE_API_FIELDS:
        value = get_string_path(obj, name)
        if not value:
            continue
        if value.startswith("sk-ant-"):
            out.hits.append(Hit("anthropic", value, CredentialKind.API_KEY, name))
            return out
        out.notes.append(f"`{name}` ignored: does not start with sk-ant-")
    return out


def parse_claude_oauth(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
    """``claudeAiOauth.accessToken`` unless ``claudeAiOauth.expiresAt`` has passed."""
    out = Parsed()
    token = get_string_path(obj, "claudeAiOauth.accessToken")
    if not token:
        return out
    oauth = obj.get("claudeAiOauth")
    raw = oauth.get("expiresAt") if isinstance(oauth, dict) else None
    expires_ns: int | None = None
    go_prefix = "invalid claudeAiOauth.expiresAt: "
    if isinstance(raw, str):
        text = go_trim_space(raw)
        if text:
            try:
                expires_ns = parse_rfc3339_ns(text)
            except GoTimeError as err:
                raise FieldError(
                    f"{go_prefix}{err}",
                    f"`claudeAiOauth.expiresAt` is not an RFC 3339 time: {err}",
                ) from None
    elif raw is not None:
        expires_ns = _epoch_ms_ns(raw, go_prefix, "claudeAiOauth.expiresAt")
    if expires_ns is not None and expires_ns <= ctx.now_ns:
        out.expired(expires_ns, f"access token expired at {format_ns(expires_ns)}")
        return out
    out.hits.append(Hit("anthropic", token, CredentialKind.OAUTH, "claudeAiOauth.accessToken"))
    return out


def parse_codex(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
    """``OPENAI_API_KEY``, else (OAuth on) ``tokens.access_token``."""
    out = Parsed()
    key = get_string_path(obj, "OPENAI_API_KEY")
    if key:
        out.hits.append(Hit("openai", key, CredentialKind.API_KEY, "OPENAI_API_KEY"))
    if not ctx.include_oauth:
        if not key and _lenient(obj, "tokens.access_token"):
            out.notes.append("`tokens.access_token` skipped: OAuth is off")
        return out
    if key:
        # Upstream never looks further; the token is only shown as shadowed.
        token = _lenient(obj, "tokens.access_token")
    else:
        token = get_string_path(obj, "tokens.access_token")
    if token:
        out.hits.append(Hit("openai", token, CredentialKind.OAUTH, "tokens.access_token"))
    return out


def _lenient(obj: Mapping[str, Any], path: str) -> str | None:
    try:
        return get_string_path(obj, path)
    except FieldError:
        return None


def parse_opencode(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
    """Per entry, sorted by name: ``type: api`` -> ``key``; ``type: oauth`` -> ``access``."""
    out = Parsed()
    for name in sorted(obj):
        entry = obj[name]
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise FieldError(
                f"provider {go_quote(name)} must be an object",
                f"`{name}` is {describe_json(entry)}, not an object",
            )
        where = f"{name}."
        kind_text = get_string_path(entry, "type", where=where)
        if not kind_text:
            continue
        provider = canonical_provider(name)
        if not provider:
            continue
        kind_text = go_lower(kind_text)
        if kind_text == "api":
            key = get_string_path(entry, "key", where=where)
            if key:
                out.hits.append(Hit(provider, key, CredentialKind.API_KEY, f"{name}.key"))
        elif kind_text == "oauth":
            if not ctx.include_oauth:
                out.notes.append(f"`{name}`: OAuth entry skipped: OAuth is off")
                continue
            access = get_string_path(entry, "access", where=where)
            if not access:
                continue
            if "expires" in entry and entry["expires"] is not None:
                expires_ns = _epoch_ms_ns(
                    entry["expires"],
                    f"invalid expires for provider {go_quote(name)}: ",
                    f"{name}.expires",
                )
                if expires_ns <= ctx.now_ns:
                    out.expired(expires_ns, f"`{name}`: token expired at {format_ns(expires_ns)}")
                    continue
            out.hits.append(Hit(provider, access, CredentialKind.OAUTH, f"{name}.access"))
        else:
            out.notes.append(f"`{name}`: unknown type {kind_text!r} ignored")
    return out


def _amika_parser(kind: CredentialKind) -> Parser:
    def parse(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
        """Flat ``<NAME>_API_KEY`` -> value object (Amika's own caches)."""
        out = Parsed()
        for key in sorted(obj):
            raw = obj[key]
            if not isinstance(raw, str):
                if raw is not None:
                    out.notes.append(f"`{key}` ignored: {describe_json(raw)}, not a string")
                continue
            value = go_trim_space(raw)
            if not value:
                continue
            upper = go_upper(go_trim_space(key))
            if upper in ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY"):
                provider = "anthropic"
            elif upper in ("OPENAI_API_KEY", "CODEX_API_KEY"):
                provider = "openai"
            else:
                match = re.match(_ENV_STYLE, upper)
                if match is None:
                    out.notes.append(f"`{key}` ignored: not a <NAME>_API_KEY name")
                    continue
                provider = canonical_provider(go_lower(match.group(1)))
                if not provider:
                    continue
            out.hits.append(Hit(provider, value, kind, key))
        return out

    return parse


def parse_amp(obj: Mapping[str, Any], ctx: ParseContext) -> Parsed:
    """The first non-empty of Amp's twelve field paths."""
    out = Parsed()
    for name in AMP_FIELDS:
        value = get_string_path(obj, name)
        if value:
            out.hits.append(Hit("anthropic", value, CredentialKind.API_KEY, name))
            return out
    return out


def _credential(
    provider: str, short: str, kind: CredentialKind, value: str, path: str
) -> DiscoveredCredential:
    suffix = "API Key" if kind is CredentialKind.API_KEY else "OAuth"
    return DiscoveredCredential(provider, kind, value, path, f"{short} {suffix}")


def _document(data: bytes) -> str:
    """The whole file as upstream uploads it: ``strings.TrimSpace(string(data))``."""
    return go_trim_space(data.decode("utf-8", "replace"))


def claude_api_credentials(
    obj: Mapping[str, Any], data: bytes, path: str
) -> tuple[DiscoveredCredential, ...]:
    """One Claude API key per file: the first ``sk-ant-`` field; broken fields are skipped."""
    for name in CLAUDE_API_FIELDS:
        value = _lenient(obj, name)
        if value and value.startswith("sk-ant-"):
            return (_credential("claude", "Claude", CredentialKind.API_KEY, value, path),)
    return ()


def claude_oauth_credentials(
    obj: Mapping[str, Any], data: bytes, path: str
) -> tuple[DiscoveredCredential, ...]:
    """The whole document when it holds ``claudeAiOauth.accessToken`` (expired or not)."""
    if not _lenient(obj, "claudeAiOauth.accessToken"):
        return ()
    return (_credential("claude", "Claude", CredentialKind.OAUTH, _document(data), path),)


def codex_credentials(
    obj: Mapping[str, Any], data: bytes, path: str
) -> tuple[DiscoveredCredential, ...]:
    """``OPENAI_API_KEY`` as an API key, and the whole ``auth.json`` when it holds tokens."""
    found = []
    key = _lenient(obj, "OPENAI_API_KEY")
    if key:
        found.append(_credential("codex", "Codex", CredentialKind.API_KEY, key, path))
    if _lenient(obj, "tokens.access_token"):
        found.append(_credential("codex", "Codex", CredentialKind.OAUTH, _document(data), path))
    return tuple(found)


def _home(*parts: str) -> FileRef:
    return FileRef(Root.HOME, parts)


#: The table, highest priority first; order breaks priority ties.
SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "claude_api",
        "Claude API key",
        500,
        False,
        (_home(".claude.json.api"), _home(".claude.json")),
        parse_claude_api,
        claude_api_credentials,
    ),
    SourceSpec(
        "claude_oauth",
        "Claude OAuth",
        400,
        True,
        (_home(".claude", ".credentials.json"), _home(".claude-oauth-credentials.json")),
        parse_claude_oauth,
        claude_oauth_credentials,
    ),
    SourceSpec(
        "codex",
        "Codex",
        300,
        False,
        (_home(".codex", "auth.json"),),
        parse_codex,
        codex_credentials,
    ),
    SourceSpec(
        "amika_env_cache",
        "Amika env cache",
        290,
        False,
        (FileRef(Root.CACHE, ("amika", "env-cache.json")),),
        _amika_parser(CredentialKind.API_KEY),
    ),
    SourceSpec(
        "amika_keychain",
        "Amika keychain",
        280,
        False,
        (FileRef(Root.DATA, ("amika", "keychain.json")),),
        _amika_parser(CredentialKind.API_KEY),
    ),
    SourceSpec(
        "amika_oauth",
        "Amika OAuth",
        270,
        True,
        (FileRef(Root.STATE, ("amika", "oauth.json")),),
        _amika_parser(CredentialKind.OAUTH),
    ),
    SourceSpec(
        "opencode",
        "OpenCode",
        200,
        False,
        (_home(".local", "share", "opencode", "auth.json"),),
        parse_opencode,
    ),
    SourceSpec("amp", "Amp", 100, False, (_home(".amp", "config.json"),), parse_amp),
)

"""What a credential read from a file or pasted is, judged by its content.

The add-credential dialog lets the type follow the content rather than a radio button
left on an earlier choice (a Claude OAuth document uploaded as ``api_key`` is useless to
a sandbox). The rules are the scan's own, so a file means the same here as in extract:

- a JSON object holding the provider's OAuth token (``claudeAiOauth.accessToken``,
  ``tokens.access_token``) is an OAuth credential: the whole document;
- a JSON object holding an API key field the scan knows (``primaryApiKey`` … for
  Claude, ``OPENAI_API_KEY`` for Codex) holds an API key: that key;
- one word (no spaces, no line breaks) is a bare API key;
- anything else is neither, and says why (never quoting the content).
"""

from __future__ import annotations

from amika_tui.discovery.engine import read_credentials_file
from amika_tui.discovery.gocompat import go_trim_space
from amika_tui.discovery.gojson import GoJSONError, go_unmarshal
from amika_tui.discovery.providers import PROVIDER_DISCOVERY
from amika_tui.discovery.records import field, record
from amika_tui.discovery.report import (
    CredentialKind,
    DiscoveredCredential,
    FileScan,
    FileStatus,
)
from amika_tui.discovery.sources import CLAUDE_API_FIELDS, SOURCES

__all__ = ["CredentialContent", "read_credential", "read_credential_file"]

#: What makes a document an OAuth credential, and which fields hold an API key, per
#: provider (for the messages; the parsers in `sources` decide).
_OAUTH_TOKEN = {"claude": "claudeAiOauth.accessToken", "codex": "tokens.access_token"}
_API_KEY_FIELDS = {"claude": ", ".join(CLAUDE_API_FIELDS), "codex": "OPENAI_API_KEY"}


@record
class CredentialContent:
    """The credentials a text holds for one provider, or why it holds none."""

    provider: str
    """``claude`` or ``codex``."""
    credentials: tuple[DiscoveredCredential, ...] = ()
    """What the text holds, OAuth first (a Codex ``auth.json`` can hold both)."""
    problem: str | None = None
    """Why it holds no credential (None when it holds one)."""
    bare: bool = field(default=False)
    """True when the text is one bare key, not a document."""

    @property
    def kinds(self) -> tuple[CredentialKind, ...]:
        """The types the content can be pushed as, OAuth first."""
        return tuple(credential.kind for credential in self.credentials)

    def value_for(self, kind: CredentialKind | str) -> str | None:
        """The value to upload as ``kind``: the whole document or the key (None when the
        content holds no credential of that type)."""
        wanted = CredentialKind(kind)
        return next((c.value for c in self.credentials if c.kind is wanted), None)

    def refusal(self, kind: CredentialKind | str) -> str | None:
        """Why the content cannot be pushed as ``kind`` (None when it can)."""
        wanted = CredentialKind(kind)
        if self.problem is not None:
            return self.problem
        if wanted in self.kinds:
            return None
        short = PROVIDER_DISCOVERY[self.provider].short_name
        if self.bare:
            return (
                "This is a bare key, not a JSON document: it can only be an API key "
                f"(OAuth needs the whole {short} credentials document)."
            )
        if wanted is CredentialKind.API_KEY:
            return (
                f"This is a {short} OAuth document (it holds {_OAUTH_TOKEN[self.provider]}),"
                " not an API key: push it as OAuth."
            )
        return (
            f"This document holds an API key, not {_OAUTH_TOKEN[self.provider]}: "
            "push it as an API key."
        )


def _parsed(provider: str, data: bytes, source: str) -> CredentialContent:
    short = PROVIDER_DISCOVERY[provider].short_name
    try:
        obj = go_unmarshal(data)
    except GoJSONError as err:
        return CredentialContent(
            provider,
            # Go's message would quote a character of the value: only say where.
            problem=f"Not valid JSON ({err.location(data)}), and not a bare key either (a "
            "key is one word, without spaces or line breaks).",
        )
    if not isinstance(obj, dict):
        return CredentialContent(
            provider, problem=f"Not a {short} credential: a JSON document, but not an object."
        )
    found: list[DiscoveredCredential] = []
    for spec in SOURCES:
        if spec.credentials is not None:
            found.extend(c for c in spec.credentials(obj, data, source) if c.provider == provider)
    if not found:
        return CredentialContent(
            provider,
            problem=f"No {short} credential in this JSON document: no "
            f"{_OAUTH_TOKEN[provider]} and no API key field ({_API_KEY_FIELDS[provider]}).",
        )
    found.sort(key=lambda c: c.kind is not CredentialKind.OAUTH)
    return CredentialContent(provider, tuple(found))


def read_credential(provider: str, text: str, *, source: str = "pasted") -> CredentialContent:
    """What ``text`` (pasted, or read from ``source``) holds for ``provider``.

    Raises:
        KeyError: ``provider`` is not ``claude`` or ``codex``.
    """
    short = PROVIDER_DISCOVERY[provider].short_name
    trimmed = go_trim_space(text)
    if not trimmed:
        return CredentialContent(provider, problem="The value is empty.")
    if trimmed[0] in "{[":
        return _parsed(provider, trimmed.encode("utf-8", "surrogateescape"), source)
    if len(trimmed.split()) != 1:
        return CredentialContent(
            provider,
            problem=f"Neither a {short} credentials JSON document nor a bare key (a key is "
            "one word, without spaces or line breaks).",
        )
    default_name = PROVIDER_DISCOVERY[provider].default_name(CredentialKind.API_KEY)
    key = DiscoveredCredential(provider, CredentialKind.API_KEY, trimmed, source, default_name)
    return CredentialContent(provider, (key,), bare=True)


def read_credential_file(provider: str, path: str) -> CredentialContent:
    """What the file at ``path`` holds for ``provider``: read like the scan reads (symlinks
    followed, a FIFO never read, the size guard), then judged like `read_credential`.

    Raises:
        KeyError: ``provider`` is not ``claude`` or ``codex``.
    """
    data = read_credentials_file(path)
    if isinstance(data, FileScan):
        why = "no such file" if data.status is FileStatus.MISSING else data.detail
        return CredentialContent(provider, problem=f"Cannot read {path}: {why or data.status}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return CredentialContent(provider, problem=f"{path} is not UTF-8 text.")
    return read_credential(provider, text, source=path)

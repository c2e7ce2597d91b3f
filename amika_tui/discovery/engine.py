"""Scan every source into a :class:`DiscoveryReport`.

Every file is read once; one scan serves both `amika-tui extract` and the Claude/Codex
provider-credential discovery (``FileScan.credentials``). Unlike upstream, one broken
file never stops the scan: the file is reported as
an error and everything else is still found. ``DiscoveryReport.upstream_error``
keeps what `amika auth extract` would have stopped with, so the compatible
command can reproduce upstream's stop-at-first-error behaviour from the same
scan.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping, Sequence

from amika_tui.discovery.gocompat import go_join, go_os_error, go_quote, go_trim_space
from amika_tui.discovery.gojson import GoJSONError, go_unmarshal
from amika_tui.discovery.output import canonical_provider, env_names
from amika_tui.discovery.records import replace
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
from amika_tui.discovery.sources import (
    SOURCES,
    FieldError,
    ParseContext,
    SourceSpec,
    describe_json,
    xdg_base,
)

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

__all__ = [
    "MAX_FILE_BYTES",
    "DiscoveryFailed",
    "HomeDirectoryError",
    "read_credentials_file",
    "resolve_home",
    "scan",
]

#: Guard against the absurd only: upstream reads any size (a real ``~/.claude.json``
#: keeps project history and grows past a few MiB), but not a file of hundreds of MiB.
MAX_FILE_BYTES = 256 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC


class HomeDirectoryError(Exception):
    """No home directory to scan (``$HOME`` unset and no override)."""


class DiscoveryFailed(Exception):
    """Strict mode: the scan hit a file upstream would stop at; ``str()`` is upstream's message."""


def resolve_home(home: str | os.PathLike[str] | None, env: Mapping[str, str]) -> str:
    """The home to scan: the override when non-empty, else ``$HOME`` (like Go's ``os.UserHomeDir``).

    Raises:
        HomeDirectoryError: with upstream's message when neither is set.
    """
    if home is not None and os.fspath(home) != "":
        return os.fspath(home)
    value = env.get("HOME", "")
    if not value:
        raise HomeDirectoryError("failed to get home directory: $HOME is not defined")
    return value


def _os_failure(op: str, path: str, err: OSError) -> FileScan:
    """A failed open or read, worded like Go's ``*fs.PathError``."""
    go = go_os_error(op, path, err)
    status = FileStatus.REFUSED if isinstance(err, PermissionError) else FileStatus.ERROR
    return FileScan(
        path,
        status,
        f"cannot {op}: {go.split(': ', 1)[1]}",
        upstream_error=f"failed to read credentials file {go_quote(path)}: {go}",
    )


def read_credentials_file(path: str) -> bytes | FileScan:
    """Read a credentials file the way Go's ``os.ReadFile`` does, or say why not.

    Follows symlinks wherever they lead, like upstream. The file is opened without
    blocking and checked on the open descriptor, so a FIFO put there (even between a
    look and the open) cannot hang the scan; a socket fails to open, as in Go. Only
    FIFOs and files over :data:`MAX_FILE_BYTES` are refused without an upstream error.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return FileScan(path, FileStatus.MISSING)
    except OSError as err:
        return _os_failure("open", path, err)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return FileScan(
                path,
                FileStatus.ERROR,
                "is a directory, not a file",
                upstream_error=f"failed to read credentials file {go_quote(path)}: "
                f"read {path}: is a directory",
            )
        if stat.S_ISFIFO(st.st_mode):
            return FileScan(
                path, FileStatus.REFUSED, "a named pipe (FIFO): not read, it could block"
            )
        if st.st_size > MAX_FILE_BYTES:
            return FileScan(path, FileStatus.REFUSED, _too_big(st.st_size))
        chunks = []
        total = 0
        want = st.st_size + 1 if stat.S_ISREG(st.st_mode) else 1 << 16
        while True:
            try:
                chunk = os.read(fd, max(want, 1 << 16))
            except BlockingIOError:
                return FileScan(path, FileStatus.REFUSED, "not read: reading it would block")
            except OSError as err:
                return _os_failure("read", path, err)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                return FileScan(path, FileStatus.REFUSED, _too_big(total) + ", still growing")
            chunks.append(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def _too_big(size: int) -> str:
    return f"{size} bytes, over the {MAX_FILE_BYTES >> 20} MiB guard: not read"


def _symlink_target(path: str, real_root: str, rel: tuple[str, ...]) -> str | None:
    """Where ``path`` really leads when a symlink below its root (resolved: ``real_root``)
    is on the way, else None."""
    real = os.path.realpath(path)
    return None if real == go_join(real_root, *rel) else real


def _credentials(
    spec: SourceSpec, obj: Mapping[str, Any], data: bytes, p: str
) -> tuple[DiscoveredCredential, ...]:
    if spec.credentials is None:
        return ()
    return spec.credentials(obj, data, p)


def _scan_file(spec: SourceSpec, order: int, path: str, ctx: ParseContext) -> FileScan:
    read = read_credentials_file(path)
    if isinstance(read, FileScan):
        return read
    p = path
    try:
        obj = go_unmarshal(read)
    except GoJSONError as err:
        return FileScan(
            p,
            FileStatus.ERROR,
            f"invalid JSON at {err.location(read)}: {err.message}",
            upstream_error=f"failed to parse credentials file {go_quote(path)}: {err.message}",
        )
    if not isinstance(obj, dict):
        return FileScan(
            p,
            FileStatus.ERROR,
            f"expected a JSON object, found {describe_json(obj)}",
            upstream_error=f"failed to parse credentials file {go_quote(path)}: "
            "expected JSON object",
        )
    credentials = _credentials(spec, obj, read, p)
    try:
        parsed = spec.parse(obj, ctx)
    except FieldError as err:
        return FileScan(
            p,
            FileStatus.ERROR,
            err.human,
            upstream_error=f"failed to parse credentials file {go_quote(path)}: {err.go}",
            credentials=credentials,
        )
    candidates = []
    for hit in parsed.hits:
        # Upstream canonicalises and trims again when merging sources.
        provider = canonical_provider(hit.provider)
        value = go_trim_space(hit.value)
        if provider and value:
            whole = next(
                (
                    c
                    for c in credentials
                    if c.kind is hit.kind and (c.kind is CredentialKind.OAUTH or c.value == value)
                ),
                None,
            )
            candidates.append(
                Candidate(
                    provider, value, hit.kind, spec.id, spec.priority, p, hit.field, order, whole
                )
            )
    if candidates:
        status = FileStatus.FOUND
    elif parsed.expired_ns is not None:
        status = FileStatus.EXPIRED
    else:
        status = FileStatus.NOTHING
    detail = parsed.notes[0] if status is FileStatus.EXPIRED else None
    return FileScan(
        p,
        status,
        detail,
        tuple(candidates),
        parsed.expired_ns,
        tuple(parsed.notes),
        credentials=credentials,
    )


def _reason(loser: Candidate, winner: Candidate) -> str:
    if loser.priority < winner.priority:
        return f"{winner.source_id} has higher priority ({winner.priority} > {loser.priority})"
    if loser.source_id == winner.source_id and loser.file == winner.file:
        return f"`{winner.field}` comes first in the same file"
    if loser.source_id == winner.source_id:
        return f"{winner.file} is read first"
    return f"equal priority ({winner.priority}); {winner.source_id} is scanned first"


def _resolve(candidates: Sequence[Candidate]) -> tuple[ProviderResult, ...]:
    by_provider: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_provider.setdefault(c.provider, []).append(c)
    results = []
    for provider, group in by_provider.items():
        # Highest priority wins; ties go to the first seen (source order, then file order).
        winner = group[0]
        for c in group[1:]:
            if c.priority > winner.priority:
                winner = c
        shadowed = tuple(Shadowed(c, _reason(c, winner)) for c in group if c is not winner)
        results.append(ProviderResult(provider, winner, shadowed, env_names(provider)))
    rank = {"anthropic": "0", "openai": "1"}
    results.sort(key=lambda r: rank.get(r.provider, "2" + r.provider))
    return tuple(results)


def scan(
    home: str | os.PathLike[str] | None = None,
    *,
    include_oauth: bool = True,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
    sources: Sequence[SourceSpec] = SOURCES,
    strict: bool = False,
) -> DiscoveryReport:
    """Scan every source and report what was found, what lost and what is broken.

    Args:
        home: home directory override (``--homedir``); ``None`` or ``""`` uses ``$HOME``.
        include_oauth: False skips OAuth sources and OAuth entries (``--no-oauth``).
        env: environment for ``HOME`` and ``XDG_*`` (default ``os.environ``).
        now: the instant expiries are compared with (default: now).
        sources: the source table (tests pass their own).
        strict: raise on the first broken file upstream would stop at instead of
            reporting it (``amika auth extract`` semantics).

    Raises:
        HomeDirectoryError: no home to scan.
        DiscoveryFailed: ``strict`` and a file is broken; carries upstream's message.
    """
    env = os.environ if env is None else env
    home_dir = resolve_home(home, env)
    now_ns = time.time_ns() if now is None else int(now.timestamp() * 1_000_000) * 1000
    ctx = ParseContext(include_oauth, now_ns)
    reports = []
    upstream_error: str | None = None
    all_candidates: list[Candidate] = []
    real_roots: dict[str, str] = {}
    for order, spec in enumerate(sources):
        files = []
        found_earlier = False
        for ref in spec.files:
            root = xdg_base(ref.root, home_dir, env)
            path = go_join(root, *ref.parts)
            if spec.oauth and not include_oauth:
                files.append(FileScan(path, FileStatus.SKIPPED, "OAuth is off"))
                continue
            scanned = _scan_file(spec, order, path, ctx)
            if root not in real_roots:
                real_roots[root] = os.path.realpath(root)
            target = _symlink_target(path, real_roots[root], ref.parts)
            if target is not None:
                scanned = replace(scanned, target=target)
            if upstream_error is None and not found_earlier and scanned.upstream_error:
                upstream_error = f"{spec.id} discovery failed: {scanned.upstream_error}"
                if strict:
                    raise DiscoveryFailed(upstream_error)
            found_earlier = found_earlier or scanned.status is FileStatus.FOUND
            all_candidates.extend(scanned.candidates)
            files.append(scanned)
        reports.append(SourceReport(spec.id, spec.label, spec.priority, spec.oauth, tuple(files)))
    providers = _resolve(all_candidates)
    env_map = {name: r.winner.value for r in providers for name in r.env_names}
    return DiscoveryReport(
        home_dir, include_oauth, tuple(reports), providers, env_map, upstream_error
    )

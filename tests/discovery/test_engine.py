"""The scan report: per-file statuses, winners, shadowed candidates, keep-going."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amika_tui.discovery import (
    SOURCES,
    CredentialKind,
    FileScan,
    FileStatus,
    HomeDirectoryError,
    SourceSpec,
    scan,
)
from tests.discovery.conftest import Home


def statuses(home: Home, **kwargs: object) -> dict[str, list[tuple[str, FileStatus]]]:
    report = scan(home.path, **kwargs)  # type: ignore[arg-type]
    return {
        s.id: [(os.path.relpath(f.path, home.path), f.status) for f in s.files]
        for s in report.sources
    }


def test_empty_home_reports_every_file_missing(home: Home) -> None:
    report = scan(home.path)
    assert [s.id for s in report.sources] == [s.id for s in SOURCES]
    assert [s.priority for s in report.sources] == [500, 400, 300, 290, 280, 270, 200, 100]
    assert [s.id for s in report.sources if s.is_oauth] == ["claude_oauth", "amika_oauth"]
    assert statuses(home) == {
        "claude_api": [
            (".claude.json.api", FileStatus.MISSING),
            (".claude.json", FileStatus.MISSING),
        ],
        "claude_oauth": [
            (".claude/.credentials.json", FileStatus.MISSING),
            (".claude-oauth-credentials.json", FileStatus.MISSING),
        ],
        "codex": [(".codex/auth.json", FileStatus.MISSING)],
        "amika_env_cache": [(".cache/amika/env-cache.json", FileStatus.MISSING)],
        "amika_keychain": [(".local/share/amika/keychain.json", FileStatus.MISSING)],
        "amika_oauth": [(".local/state/amika/oauth.json", FileStatus.MISSING)],
        "opencode": [(".local/share/opencode/auth.json", FileStatus.MISSING)],
        "amp": [(".amp/config.json", FileStatus.MISSING)],
    }
    assert report.providers == () and dict(report.env) == {}
    assert report.upstream_error is None and report.problems == ()


def test_no_oauth_marks_oauth_sources_skipped(home: Home) -> None:
    home.write(".claude/.credentials.json", {"claudeAiOauth": {"accessToken": "t"}})
    got = statuses(home, include_oauth=False)
    assert got["claude_oauth"] == [
        (".claude/.credentials.json", FileStatus.SKIPPED),
        (".claude-oauth-credentials.json", FileStatus.SKIPPED),
    ]
    assert got["amika_oauth"] == [(".local/state/amika/oauth.json", FileStatus.SKIPPED)]


def test_found_nothing_expired_and_error_statuses(home: Home) -> None:
    home.write(".claude.json", {"apiKey": "sk-proj-not-anthropic"})
    home.write(".claude/.credentials.json", '{"claudeAiOauth":{"accessToken":"a","expiresAt":1}}')
    home.write(".claude-oauth-credentials.json", "{\n\n  oops\n}")
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "o"})
    report = scan(home.path)
    claude_api, claude_oauth, codex = report.sources[:3]
    assert claude_api.files[1].status is FileStatus.NOTHING
    assert claude_api.files[1].notes == ("`apiKey` ignored: does not start with sk-ant-",)
    expired = claude_oauth.files[0]
    assert expired.status is FileStatus.EXPIRED
    assert expired.expired_at == datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=UTC)
    assert expired.detail == "access token expired at 1970-01-01T00:00:00Z"
    broken = claude_oauth.files[1]
    assert broken.status is FileStatus.ERROR
    assert broken.detail == (
        "invalid JSON at line 3, column 3: invalid character 'o' looking for beginning of "
        "object key string"
    )
    assert claude_oauth.errored and not codex.errored
    assert codex.files[0].status is FileStatus.FOUND
    # The broken file stops nothing: codex is still found.
    assert dict(report.env) == {"OPENAI_API_KEY": "o", "CODEX_API_KEY": "o"}
    assert report.upstream_error is not None
    assert report.upstream_error.startswith("claude_oauth discovery failed: ")
    assert [(s.id, os.path.basename(f.path)) for s, f in report.problems] == [
        ("claude_oauth", ".claude-oauth-credentials.json")
    ]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ('["x"]', "expected a JSON object, found an array"),
        ("null", "expected a JSON object, found null"),
        ('{"primaryApiKey": 5}', "`primaryApiKey` is a number, not a string"),
        ('{"primaryApiKey": ["a"]}', "`primaryApiKey` is an array, not a string"),
    ],
)
def test_error_details_say_what_and_where(home: Home, content: str, detail: str) -> None:
    home.write(".claude.json", content)
    file = scan(home.path).sources[0].files[1]
    assert (file.status, file.detail) == (FileStatus.ERROR, detail)


@pytest.mark.parametrize(
    ("expires", "detail"),
    [
        ('"soon"', "`claudeAiOauth.expiresAt` is not an RFC 3339 time: parsing time"),
        ("true", "`claudeAiOauth.expiresAt` is not a number"),
        ("{}", "`claudeAiOauth.expiresAt` is not a number"),
        ("12.5", "`claudeAiOauth.expiresAt` is not a whole number of milliseconds"),
    ],
)
def test_expiry_errors(home: Home, expires: str, detail: str) -> None:
    home.write(
        ".claude/.credentials.json",
        f'{{"claudeAiOauth":{{"accessToken":"a","expiresAt":{expires}}}}}',
    )
    file = scan(home.path).sources[1].files[0]
    assert file.status is FileStatus.ERROR
    assert file.detail is not None and file.detail.startswith(detail)


def test_expiry_is_compared_with_now(home: Home) -> None:
    home.write(
        ".claude/.credentials.json",
        {"claudeAiOauth": {"accessToken": "a", "expiresAt": "2030-06-01T12:00:00+02:00"}},
    )
    before = scan(home.path, now=datetime(2030, 6, 1, 9, 59, 59, tzinfo=UTC))
    at = scan(home.path, now=datetime(2030, 6, 1, 10, 0, 0, tzinfo=UTC))
    assert before.sources[1].files[0].status is FileStatus.FOUND
    assert at.sources[1].files[0].status is FileStatus.EXPIRED
    assert at.sources[1].files[0].expired_at == datetime(2030, 6, 1, 10, 0, tzinfo=UTC)


def test_winner_and_shadowed_candidates_with_reasons(home: Home) -> None:
    home.write(".claude.json.api", {"apiKey": "sk-ant-api-file"})
    home.write(".claude.json", {"apiKey": "sk-ant-json-file"})
    home.write(".claude/.credentials.json", {"claudeAiOauth": {"accessToken": "oauth"}})
    home.write(".amp/config.json", {"token": "amp"})
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "key", "tokens": {"access_token": "tok"}})
    report = scan(home.path)
    anthropic = report.provider("anthropic")
    assert anthropic is not None
    assert (anthropic.winner.source_id, os.path.basename(anthropic.winner.file)) == (
        "claude_api",
        ".claude.json.api",
    )
    assert anthropic.winner.kind is CredentialKind.API_KEY
    assert anthropic.env_names == ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    assert [(s.candidate.source_id, s.reason) for s in anthropic.shadowed] == [
        ("claude_api", f"{home.path}/.claude.json.api is read first"),
        ("claude_oauth", "claude_api has higher priority (500 > 400)"),
        ("amp", "claude_api has higher priority (500 > 100)"),
    ]
    assert anthropic.shadowed[1].candidate.kind is CredentialKind.OAUTH
    openai = report.provider("openai")
    assert openai is not None and openai.winner.field == "OPENAI_API_KEY"
    assert [(s.candidate.field, s.reason) for s in openai.shadowed] == [
        ("tokens.access_token", "`OPENAI_API_KEY` comes first in the same file")
    ]
    assert "sk-ant" not in repr(report)


def test_equal_priorities_go_to_the_earlier_source(home: Home) -> None:
    amp, opencode = SOURCES[7], SOURCES[6]
    tied = (
        SourceSpec("first", "First", 100, False, amp.files, amp.parse),
        SourceSpec("second", "Second", 100, False, opencode.files, opencode.parse),
    )
    home.write(".amp/config.json", {"token": "from-first"})
    home.write(".local/share/opencode/auth.json", {"claude": {"type": "api", "key": "second"}})
    report = scan(home.path, sources=tied)
    result = report.provider("anthropic")
    assert result is not None and result.winner.value == "from-first"
    assert [s.reason for s in result.shadowed] == ["equal priority (100); first is scanned first"]
    reversed_report = scan(home.path, sources=tied[::-1])
    winner = reversed_report.provider("anthropic")
    assert winner is not None and winner.winner.value == "second"


def test_symlinks_are_followed_wherever_they_lead_and_say_where(home: Home, tmp_path: Path) -> None:
    # A dotfiles repo outside $HOME (stow, chezmoi, home-manager), like upstream reads it.
    dotfiles = tmp_path / "dotfiles"
    (dotfiles / "claude").mkdir(parents=True)
    (dotfiles / "codex.json").write_text('{"OPENAI_API_KEY": "sk-FAKE-dotfiles"}')
    (dotfiles / "claude/.credentials.json").write_text(
        '{"claudeAiOauth": {"accessToken": "sk-FAKE-at"}}'
    )
    (home.path / ".codex").mkdir()
    (home.path / ".codex/auth.json").symlink_to(dotfiles / "codex.json")
    (home.path / ".claude").symlink_to(dotfiles / "claude")  # a linked directory
    home.write(".amp/config.json", {"token": "plain"})
    report = scan(home.path)
    codex = report.sources[2].files[0]
    oauth = report.sources[1].files[0]
    amp = report.sources[7].files[0]
    assert (codex.status, codex.target) == (FileStatus.FOUND, str(dotfiles / "codex.json"))
    assert (oauth.status, oauth.target) == (
        FileStatus.FOUND,
        str(dotfiles / "claude/.credentials.json"),
    )
    assert (amp.status, amp.target) == (FileStatus.FOUND, None)
    assert dict(report.env)["OPENAI_API_KEY"] == "sk-FAKE-dotfiles"
    assert report.upstream_error is None


def test_big_files_are_read_and_only_absurd_ones_refused(home: Home) -> None:
    from amika_tui.discovery import MAX_FILE_BYTES

    # Claude Code keeps project history in ~/.claude.json: real ones pass 1 MiB.
    body = '{"primaryApiKey": "sk-ant-FAKE-big", "history": "' + "h" * (3 << 20) + '"}'
    home.write(".claude.json", body)
    # A sparse file over the guard: refused from its size, never read.
    amp = home.path / ".amp/config.json"
    amp.parent.mkdir()
    with open(amp, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    report = scan(home.path)
    assert report.sources[0].files[1].status is FileStatus.FOUND
    assert dict(report.env)["ANTHROPIC_API_KEY"] == "sk-ant-FAKE-big"
    refused = report.sources[7].files[0]
    assert (refused.status, refused.detail) == (
        FileStatus.REFUSED,
        "268435457 bytes, over the 256 MiB guard: not read",
    )
    assert report.upstream_error is None


def test_dangling_symlink_counts_as_missing(home: Home, tmp_path: Path) -> None:
    (home.path / ".claude.json").symlink_to(tmp_path / "gone.json")
    assert scan(home.path).sources[0].files[1].status is FileStatus.MISSING


def _finishes(work: Callable[[], object]) -> bool:
    """Run ``work`` in a daemon thread; False if it is still blocked after a generous
    deadline (which only catches a hang: it never paces the test)."""
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(60)


def test_fifo_is_refused_without_blocking(home: Home) -> None:
    os.mkfifo(home.path / ".claude.json")  # no writer: a blocking open would hang forever
    results: list[FileScan] = []
    assert _finishes(lambda: results.append(scan(home.path).sources[0].files[1]))
    assert (results[0].status, results[0].detail) == (
        FileStatus.REFUSED,
        "a named pipe (FIFO): not read, it could block",
    )


def test_fifo_swapped_in_at_any_moment_cannot_hang(home: Home) -> None:
    # The file and a FIFO trade places as fast as they can while the scan runs: whatever
    # the open finds, it must not block (the descriptor is checked, not a prior stat).
    target = home.path / ".codex/auth.json"
    target.parent.mkdir()
    regular, fifo = home.path / "regular.json", home.path / "fifo"
    stop = threading.Event()

    def swap() -> None:
        while not stop.is_set():
            regular.write_text('{"OPENAI_API_KEY": "sk-FAKE-o"}')
            os.replace(regular, target)
            os.mkfifo(fifo)
            os.replace(fifo, target)

    swapper = threading.Thread(target=swap, daemon=True)
    swapper.start()
    seen: set[FileStatus] = set()

    def scans() -> None:
        for _ in range(300):
            seen.add(scan(home.path).sources[2].files[0].status)

    try:
        assert _finishes(scans)
    finally:
        stop.set()
        swapper.join(60)
    assert seen <= {FileStatus.FOUND, FileStatus.REFUSED, FileStatus.MISSING}


def _symlink_loop(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    (home.path / ".claude.json").symlink_to(home.path / ".claude.json")


def _socket(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    (home.path / ".codex").mkdir()
    monkeypatch.chdir(home.path / ".codex")  # a short path: sockets have a length limit
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind("auth.json")  # left bound: the path is what counts
    sock.close()


@pytest.mark.parametrize(
    ("make", "source", "rel", "reason"),
    [
        (_symlink_loop, 0, ".claude.json", "too many levels of symbolic links"),
        (_socket, 2, ".codex/auth.json", "no such device or address"),
    ],
    ids=["symlink_loop", "unix_socket"],
)
def test_unopenable_files_are_errors_in_gos_words(
    home: Home,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Home, pytest.MonkeyPatch], None],
    source: int,
    rel: str,
    reason: str,
) -> None:
    make(home, monkeypatch)
    home.write(".amp/config.json", {"token": "t"})
    report = scan(home.path)
    file = next(f for f in report.sources[source].files if f.path == str(home.path / rel))
    assert (file.status, file.detail) == (FileStatus.ERROR, f"cannot open: {reason}")
    assert report.upstream_error == (
        f"{report.sources[source].id} discovery failed: failed to read credentials file "
        f'"{home.path}/{rel}": open {home.path}/{rel}: {reason}'
    )


def test_file_in_the_way_of_a_directory_is_an_error(home: Home) -> None:
    home.write(".local", "a file, not a directory")
    report = scan(home.path)
    opencode = report.sources[6].files[0]
    assert opencode.status is FileStatus.ERROR
    assert opencode.detail == "cannot open: not a directory"
    assert report.upstream_error == (
        "amika_keychain discovery failed: failed to read credentials file "
        f'"{home.path}/.local/share/amika/keychain.json": open '
        f"{home.path}/.local/share/amika/keychain.json: not a directory"
    )


def test_missing_home_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(HomeDirectoryError, match=r"\$HOME is not defined"):
        scan(env={})


def test_env_argument_drives_home_and_xdg(home: Home, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    (cache / "amika").mkdir(parents=True)
    (cache / "amika/env-cache.json").write_text('{"Z_API_KEY": "z"}')
    report = scan(env={"HOME": str(home.path), "XDG_CACHE_HOME": str(cache)})
    assert dict(report.env) == {"Z_API_KEY": "z"}
    assert report.sources[3].files[0].path == str(cache / "amika/env-cache.json")


def _codex_scan(home: str) -> dict[str, object]:
    report = scan(home)
    file = report.sources[2].files[0]
    return {
        "status": file.status.value,
        "detail": file.detail,
        "upstream": report.upstream_error,
        "env": dict(report.env),
    }


def _scan_as_nobody(home: str) -> dict[str, object]:
    """Scan as a user the chmod 000 file shuts out: this one, unless it is root (root reads
    such files anyway), then in a forked child that dropped to nobody."""
    import json
    import os

    if os.geteuid() != 0:
        return _codex_scan(home)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child process
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write_end, json.dumps(_codex_scan(home)).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result: dict[str, object] = json.loads(data)
    return result


def test_unreadable_permissions_are_refused_and_reported() -> None:
    import os
    import shutil
    import tempfile

    base = tempfile.mkdtemp(dir="/tmp")
    try:
        os.chmod(base, 0o755)
        os.makedirs(f"{base}/.codex", mode=0o755)
        with open(f"{base}/.codex/auth.json", "w") as fh:
            fh.write('{"OPENAI_API_KEY": "hidden"}')
        os.chmod(f"{base}/.codex/auth.json", 0)
        with open(f"{base}/.claude.json", "w") as fh:
            fh.write('{"apiKey": "sk-ant-readable"}')
        os.chmod(f"{base}/.claude.json", 0o644)
        got = _scan_as_nobody(base)
    finally:
        shutil.rmtree(base)
    assert got == {
        "status": "refused",
        "detail": "cannot open: permission denied",
        "upstream": "codex discovery failed: failed to read credentials file "
        f'"{base}/.codex/auth.json": open {base}/.codex/auth.json: permission denied',
        "env": {"ANTHROPIC_API_KEY": "sk-ant-readable", "CLAUDE_API_KEY": "sk-ant-readable"},
    }


def test_strict_mode_stops_at_the_first_broken_file(home: Home) -> None:
    from amika_tui.discovery import DiscoveryFailed

    home.write(".codex/auth.json", "[]")
    home.write(".amp/config.json", "{")
    with pytest.raises(DiscoveryFailed) as info:
        scan(home.path, strict=True)
    assert str(info.value) == (
        "codex discovery failed: failed to parse credentials file "
        f'"{home.path}/.codex/auth.json": expected JSON object'
    )
    home.write(".codex/auth.json", {"OPENAI_API_KEY": "k"})
    home.write(".amp/config.json", {"token": "t"})
    assert scan(home.path, strict=True).upstream_error is None

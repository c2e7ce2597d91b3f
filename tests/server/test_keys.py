"""The server's keys: created atomically, checked against the database, kept where told."""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from amika_tui.server.keys import ENV_KEY_FILE, KeyFileError
from amika_tui.server.runtime import open_state
from amika_tui.server.testing import run_server
from tests.server.conftest import API

KEY_FILES = ("secret.key", "jwt-signing.key")


def _keys_create(
    data_dir: Path, *flags: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`amika-tui serve keys create` as a process (the refusal paths end before serving)."""
    command = [sys.executable, "-m", "amika_tui", "serve", "keys", "create"]
    return subprocess.run(
        [*command, "--email", "k@example.com", "--org", "k", "--data-dir", str(data_dir), *flags],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def _assert_refused(result: subprocess.CompletedProcess[str], named: Path) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(named) in lines[0]
    return lines[0]


def _store_a_secret(data_dir: Path, value: str = "kept-value") -> None:
    with run_server(data_dir) as server:
        response = httpx.post(
            server.url + API + "/secrets",
            json={"name": "KEEP", "value": value},
            headers={"Authorization": f"Bearer {server.api_key}"},
        )
        assert response.status_code == 201


def _simultaneous_starts(data_dir: Path, starts: int) -> list[tuple[bytes, bytes]]:
    """Open `data_dir` from `starts` threads released at once: (a token, JWT key) each."""
    barrier = threading.Barrier(starts)
    opened: list[tuple[bytes, bytes]] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            state = open_state(data_dir)
        except BaseException as exc:  # reported below
            errors.append(exc)
            return
        try:
            assert state.store.cipher is not None
            opened.append((state.store.cipher.encrypt(b"x"), state.jwt_key))
        finally:
            state.store.close()

    threads = [threading.Thread(target=start) for _ in range(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return opened


def test_simultaneous_first_starts_agree_on_both_keys(tmp_path: Path) -> None:
    for round_number in range(8):
        data_dir = tmp_path / f"round-{round_number}"
        opened = _simultaneous_starts(data_dir, 6)
        secret_key = (data_dir / "secret.key").read_bytes().strip()
        assert {Fernet(secret_key).decrypt(token) for token, _ in opened} == {b"x"}
        assert len({jwt_key for _, jwt_key in opened}) == 1, f"round {round_number}"
        assert not list(data_dir.glob("*.tmp")), "a temp file was left behind"


@pytest.mark.parametrize("name", KEY_FILES)
@pytest.mark.parametrize("content", ["", "\n", "not a key at all\n", "\xff\xfe"])
def test_an_empty_or_corrupt_key_is_refused_naming_it(
    tmp_path: Path, name: str, content: str
) -> None:
    (tmp_path / name).write_bytes(content.encode("latin-1"))
    with pytest.raises(KeyFileError) as refused:
        open_state(tmp_path)
    message = str(refused.value)
    assert message.startswith(str(tmp_path / name)) and "\n" not in message
    assert "restore it from a backup" in message


def test_the_command_line_says_it_in_one_line_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("")
    message = _assert_refused(_keys_create(tmp_path), tmp_path / "secret.key")
    assert message == (
        f"amika-tui serve keys create: {tmp_path / 'secret.key'} is empty: restore it from a backup"
    )


@pytest.mark.parametrize("name", KEY_FILES)
def test_a_missing_key_of_a_used_database_refuses_to_start(tmp_path: Path, name: str) -> None:
    _store_a_secret(tmp_path)
    (tmp_path / name).unlink()
    message = _assert_refused(_keys_create(tmp_path), tmp_path / name)
    assert "missing" in message and str(tmp_path / "amika.sqlite3") in message
    assert not (tmp_path / name).exists(), "no new key was made"
    with pytest.raises(KeyFileError):
        open_state(tmp_path)


@pytest.mark.parametrize("name", KEY_FILES)
def test_another_key_refuses_to_start_and_loses_nothing(tmp_path: Path, name: str) -> None:
    _store_a_secret(tmp_path, "still-readable")
    original = (tmp_path / name).read_bytes()
    fresh = Fernet.generate_key() if name == "secret.key" else os.urandom(32).hex().encode()
    (tmp_path / name).write_bytes(fresh + b"\n")
    message = _assert_refused(_keys_create(tmp_path), tmp_path / name)
    assert "another" in message
    (tmp_path / name).write_bytes(original)
    with run_server(tmp_path) as server:
        assert [s["value"] for s in server.stored_secrets()] == ["still-readable"]


def test_a_database_from_before_check_values_is_checked_by_decrypting(tmp_path: Path) -> None:
    _store_a_secret(tmp_path)
    with sqlite3.connect(tmp_path / "amika.sqlite3") as db:
        db.execute("DELETE FROM meta")  # as an older version left it
    (tmp_path / "secret.key").write_bytes(Fernet.generate_key())
    _assert_refused(_keys_create(tmp_path), tmp_path / "secret.key")


def test_a_key_file_keeps_both_keys_out_of_the_data_dir(tmp_path: Path) -> None:
    data_dir, key_file = tmp_path / "data", tmp_path / "vault" / "amika.keys"
    made = _keys_create(data_dir, "--key-file", str(key_file))
    assert made.returncode == 0, made.stderr
    for name in KEY_FILES:
        assert not (data_dir / name).exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    labels = [line.split(":")[0] for line in key_file.read_text().splitlines()[1:]]
    assert labels == ["secret-key", "jwt-signing-key"]
    # the environment variable names it too; without it the data dir alone is refused
    again = _keys_create(data_dir, env={ENV_KEY_FILE: str(key_file)})
    assert again.returncode == 0, again.stderr
    _assert_refused(_keys_create(data_dir), data_dir / "secret.key")


def test_an_open_data_dir_is_tightened_with_a_warning(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    made = _keys_create(data_dir)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert f"warning: data dir {data_dir} was mode 0755; tightened it to 0700" in made.stderr
    quiet = _keys_create(data_dir)
    assert "warning" not in quiet.stderr


def test_the_local_launch_stops_with_the_same_one_line_message() -> None:
    from amika_tui.ui.launch import local_data_dir, run_app

    data_dir = local_data_dir()
    data_dir.mkdir(parents=True)
    (data_dir / "secret.key").write_text("")
    args = argparse.Namespace(local=True, api_url=None, token_provider_url=None, read_only=False)
    with pytest.raises(SystemExit) as stopped:
        run_app(args)
    message = str(stopped.value)
    assert message.startswith("amika-tui --local: ") and "\n" not in message
    assert str(data_dir / "secret.key") in message

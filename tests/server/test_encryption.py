"""Secret values are encrypted at rest; private files are 0600."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import httpx

from amika_tui.server.testing import run_server
from tests.server.conftest import API, create_credential


def _raw_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob("amika.sqlite3*")))


def test_the_database_never_holds_a_plain_value(tmp_path: Path) -> None:
    value = "plaintext-canary-7f3a9c"
    with run_server(tmp_path) as server:
        headers = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.url + API, headers=headers) as api:
            secret = api.post("/secrets", json={"name": "CANARY", "value": value}).json()
            api.put(f"/secrets/{secret['id']}", json={"value": value + "-rotated"})
            assert create_credential(api, "claude", "C", value=value + "-claude").status_code == 201
            assert _raw_bytes(tmp_path)  # the data is there...
            assert value.encode() not in _raw_bytes(tmp_path)  # ...but not in the clear
        assert {s["value"] for s in server.stored_secrets()} == {
            value + "-rotated",
            value + "-claude",
        }
    assert value.encode() not in _raw_bytes(tmp_path)


def test_key_files_and_database_are_private(tmp_path: Path) -> None:
    with run_server(tmp_path / "data"):
        pass
    data_dir = tmp_path / "data"
    for name in ("secret.key", "jwt-signing.key", "dev-api-key", "amika.sqlite3"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    assert not list(data_dir.glob("*.tmp")), "a temp file was left behind"


def test_data_survives_a_restart_with_the_same_key(tmp_path: Path) -> None:
    with run_server(tmp_path) as first:
        headers = {"Authorization": f"Bearer {first.api_key}"}
        httpx.post(
            first.url + API + "/secrets", json={"name": "KEEP", "value": "kept"}, headers=headers
        )
        key = first.api_key
    with run_server(tmp_path) as second:
        assert second.api_key == key
        listed = httpx.get(second.url + API + "/secrets", headers=headers).json()
        assert [s["name"] for s in listed] == ["KEEP"]
        assert [s["value"] for s in second.stored_secrets()] == ["kept"]


def test_the_database_runs_in_wal_mode(tmp_path: Path) -> None:
    with run_server(tmp_path):
        pass
    connection = sqlite3.connect(tmp_path / "amika.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()

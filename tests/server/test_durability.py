"""Acknowledged writes survive a power loss; replaced values leave no ciphertext behind."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx

from amika_tui.server.testing import run_server
from tests.server.conftest import API, create_credential


def _files(data_dir: Path) -> bytes:
    """Every byte of the database files, as a copy taken now (or a crash) would hold."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob("amika.sqlite3*")))


def _ciphertext(data_dir: Path, table: str, row_id: str) -> bytes:
    with sqlite3.connect(data_dir / "amika.sqlite3") as db:
        [(value,)] = db.execute(f"SELECT value FROM {table} WHERE id = ?", (row_id,))
    return bytes(value)


def test_every_database_thread_syncs_fully_and_deletes_securely(tmp_path: Path) -> None:
    with run_server(tmp_path) as server:
        store = server.store
        settings = asyncio.run(store.run(store.settings))
    assert settings == {"journal_mode": "wal", "synchronous": 2, "secure_delete": 1}


def test_replaced_and_deleted_ciphertexts_are_gone_from_a_copy_of_the_data_dir(
    tmp_path: Path,
) -> None:
    with run_server(tmp_path) as server:
        headers = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.url + API, headers=headers) as api:
            secret = api.post("/secrets", json={"name": "ROTATED", "value": "first"}).json()
            credential = create_credential(api, "claude", "gone", value="sk-deleted").json()
            replaced = _ciphertext(tmp_path, "secrets", secret["id"])
            deleted = _ciphertext(tmp_path, "provider_secrets", credential["id"])
            assert replaced in _files(tmp_path) and deleted in _files(tmp_path)
            assert api.put(f"/secrets/{secret['id']}", json={"value": "second"}).status_code == 200
            assert api.delete(f"/secrets/claude/{credential['id']}").status_code == 204
            assert server.store.wait_for_cleanup(), "the old ciphertexts were never cleared"
            # the server still runs: this is what a crash now would leave behind
            image = _files(tmp_path)
            assert replaced not in image
            assert deleted not in image
        assert [s["value"] for s in server.stored_secrets()] == ["second"]

"""The CLI's credential files: locations, formats, modes, atomic writes."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amika_tui.auth import api_key_path, save_api_key, session_path, state_dir
from amika_tui.auth.store import CredentialFileError, load_api_key, load_session, save_session
from tests.auth.conftest import CLI_SESSION_FIELDS, write_session


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_dir_override_wins(tmp_path: Path) -> None:
    env = {"AMIKA_STATE_DIRECTORY": str(tmp_path / "s"), "XDG_STATE_HOME": "/nope"}
    assert state_dir(env) == tmp_path / "s"
    assert api_key_path(env) == tmp_path / "s" / "api-key.json"
    assert session_path(env) == tmp_path / "s" / "workos-session.json"


def test_state_dir_follows_xdg_then_home(tmp_path: Path) -> None:
    assert state_dir({"XDG_STATE_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "amika"
    assert state_dir({"HOME": str(tmp_path)}) == tmp_path / ".local" / "state" / "amika"


def test_process_environment_uses_platformdirs_xdg_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AMIKA_STATE_DIRECTORY")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    assert state_dir() == tmp_path / "xdg-state" / "amika"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert state_dir() == tmp_path / "home" / ".local" / "state" / "amika"


def test_save_api_key_writes_the_cli_format_privately(tmp_path: Path) -> None:
    path = save_api_key("  sk_live_abc123\n")
    assert path == api_key_path()
    data = json.loads(path.read_text())
    assert set(data) == {"key", "stored_at"}
    assert data["key"] == "sk_live_abc123"
    stored_at = datetime.fromisoformat(data["stored_at"])
    assert data["stored_at"].endswith("Z")
    assert abs((datetime.now(UTC) - stored_at).total_seconds()) < 60
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["api-key.json"]  # no temp files left
    loaded = load_api_key()
    assert loaded is not None and loaded.key == "sk_live_abc123"
    assert "sk_live_abc123" not in repr(loaded)


def test_save_api_key_replaces_an_existing_key_and_refuses_an_empty_one() -> None:
    save_api_key("first-key")
    save_api_key("second-key")
    loaded = load_api_key()
    assert loaded is not None and loaded.key == "second-key"
    with pytest.raises(ValueError, match="empty"):
        save_api_key("   ")
    assert json.loads(api_key_path().read_text())["key"] == "second-key"


def test_session_written_by_the_cli_round_trips_with_unknown_fields(state_dir: Path) -> None:
    written = write_session(
        state_dir, session_expires_at="2099-01-01T00:00:00.123456789-05:00", future={"a": 1}
    )
    session = load_session()
    assert session is not None
    assert session.email == "ada@example.com"
    assert session.organization_id == "org_01ADA"
    assert session.expires_at is not None and session.expires_at.tzinfo is not None
    assert session.session_expires_at == datetime(2099, 1, 1, 5, 0, 0, 123456, tzinfo=UTC)
    assert written["access_token"] not in repr(session)
    assert "refresh-token-1-secret" not in repr(session)

    path = save_session(session)
    rewritten = json.loads(path.read_text())
    assert list(rewritten)[:6] == CLI_SESSION_FIELDS
    assert rewritten["session_expires_at"] == "2099-01-01T00:00:00.123456789-05:00"
    assert rewritten["future"] == {"a": 1}
    assert rewritten["access_token"] == written["access_token"]
    assert _mode(path) == 0o600


def test_go_zero_time_means_no_expiry_known(state_dir: Path) -> None:
    write_session(state_dir)
    path = state_dir / "workos-session.json"
    data = json.loads(path.read_text())
    data["expires_at"] = "0001-01-01T00:00:00Z"
    path.write_text(json.dumps(data))
    session = load_session()
    assert session is not None and session.expires_at is None
    assert json.loads(save_session(session).read_text())["expires_at"] == "0001-01-01T00:00:00Z"


def test_corrupt_file_error_keeps_nothing_of_the_file(state_dir: Path) -> None:
    state_dir.mkdir(parents=True)
    (state_dir / "api-key.json").write_text('{"key": "amk_half_written_secret_51c2", ')
    with pytest.raises(CredentialFileError, match="corrupt API key file") as caught:
        load_api_key()
    error = caught.value
    assert "amk_half_written_secret_51c2" not in f"{error} {error!r} {error.reason}"
    # The JSON decoder's error keeps the whole text (`.doc`): it must not be chained.
    assert error.__context__ is None and error.__cause__ is None

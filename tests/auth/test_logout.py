"""`logout()`: removes the stored key and session, survives corrupt files."""

from __future__ import annotations

from pathlib import Path

import pytest

from amika_tui.auth import auth_status, logout, save_api_key
from tests.auth.conftest import write_session


def test_logout_removes_key_and_session(state_dir: Path) -> None:
    key_path = save_api_key("sk_to_remove")
    write_session(state_dir)
    result = logout()
    assert set(result.removed) == {key_path, state_dir / "workos-session.json"}
    assert result.warnings == ()
    assert result.env_key_still_active is False
    assert not key_path.exists() and not (state_dir / "workos-session.json").exists()
    assert auth_status().active is None
    again = logout()
    assert again.removed == () and again.warnings == ()


def test_logout_removes_corrupt_files_with_warnings(state_dir: Path) -> None:
    state_dir.mkdir(parents=True)
    (state_dir / "api-key.json").write_text("not json")
    (state_dir / "workos-session.json").write_text("{")
    result = logout()
    assert len(result.removed) == 2
    assert result.warnings[0].startswith("stored API key file is unreadable (corrupt")
    assert result.warnings[0].endswith(f"removing {state_dir / 'api-key.json'}")
    assert result.warnings[1].startswith("stored session file is unreadable (corrupt")
    assert list(state_dir.iterdir()) == []


def test_logout_says_the_env_key_still_applies(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMIKA_API_KEY", "env-key-still-here")
    save_api_key("sk_file")
    result = logout()
    assert result.env_key_still_active is True
    assert all("env-key-still-here" not in w for w in result.warnings)


def test_logout_warns_instead_of_crashing_when_a_file_cannot_be_removed(
    state_dir: Path,
) -> None:
    blocker = state_dir / "api-key.json"
    (blocker / "inner").mkdir(parents=True)
    result = logout()
    assert result.removed == ()
    assert any(w.startswith(f"could not remove {blocker}") for w in result.warnings)

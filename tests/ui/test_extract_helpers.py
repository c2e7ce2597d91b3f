"""Pure helpers of the extract pane and the add dialog (no app needed)."""

from __future__ import annotations

from amika_tui.discovery import FileScan, FileStatus
from amika_tui.masking import SCREEN_MASK_WIDTH, mask_on_screen
from amika_tui.ui.paths import home_relative
from amika_tui.ui.screens.extract import file_path_text, file_status_text

HOME = "/home/ada"


def test_status_texts() -> None:
    path = f"{HOME}/f.json"
    expired = FileScan(path, FileStatus.EXPIRED, expired_ns=1735689600 * 10**9, notes=("old",))
    assert file_status_text(expired) == "expired at 2025-01-01 00:00 UTC"
    assert file_status_text(FileScan(path, FileStatus.ERROR, "bad JSON")) == "error: bad JSON"
    assert file_status_text(FileScan(path, FileStatus.REFUSED, "symlink")) == "refused: symlink"
    assert file_status_text(FileScan(path, FileStatus.SKIPPED, "OAuth is off")) == (
        "skipped (OAuth is off)"
    )
    assert file_status_text(FileScan(path, FileStatus.MISSING)) == "missing"
    assert home_relative(f"{HOME}/.codex/auth.json", HOME) == "~/.codex/auth.json"
    assert home_relative("/etc/x", HOME) == "/etc/x"
    assert home_relative("/home/adam/x", HOME) == "/home/adam/x"


def test_file_column_says_where_a_symlink_leads() -> None:
    linked = FileScan(f"{HOME}/.claude.json", FileStatus.FOUND, target="/srv/dots/claude")
    assert file_path_text(linked, HOME) == "~/.claude.json → /srv/dots/claude"
    inside = FileScan(f"{HOME}/.claude.json", FileStatus.FOUND, target=f"{HOME}/dots/claude.json")
    assert file_path_text(inside, HOME) == "~/.claude.json → ~/dots/claude.json"
    assert file_path_text(FileScan(f"{HOME}/.amp", FileStatus.MISSING), HOME) == "~/.amp"


def test_the_screen_mask_is_one_line_of_one_width_whatever_the_value() -> None:
    document = '{\n  "claudeAiOauth": {\n    "accessToken": "' + "x" * 200 + '"\n  }\n}'
    shown = mask_on_screen(document)
    assert shown == "{   ********"
    assert "x" not in shown and str(len(document)) not in shown
    assert mask_on_screen("short") == mask_on_screen("fifteen-chars!!") == "*" * SCREEN_MASK_WIDTH

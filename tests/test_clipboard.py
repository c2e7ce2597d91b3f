"""The clipboard that forgets, below the UI: finding the tool, writing, and the clear
decision, against a stand-in ``wl-copy``/``wl-paste`` (real executables on PATH)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from amika_tui.clipboard import ClearDecision, Clipboard, ClipboardError, find_tool
from tests.clipboard_tool import FakeClipboardTool

VALUE = "sk-test-clipboard-value-0000"


def test_the_tool_is_found_only_with_its_display(fake_clipboard: FakeClipboardTool) -> None:
    tool = find_tool()
    assert tool is not None and tool.name == "wl-copy"
    assert find_tool({**os.environ, "WAYLAND_DISPLAY": ""}) is None
    assert find_tool({"PATH": "/nonexistent", "WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}) is None


def test_pbcopy_needs_no_display(tmp_path: Path) -> None:
    for name in ("pbcopy", "pbpaste"):
        script = tmp_path / name
        script.write_text("#!/bin/sh\n")
        script.chmod(0o755)
    tool = find_tool({"PATH": str(tmp_path)})
    assert tool is not None and tool.name == "pbcopy"


def test_a_copy_still_held_is_cleared_and_the_value_never_in_argv(
    fake_clipboard: FakeClipboardTool,
) -> None:
    clipboard = Clipboard(find_tool())
    copy = clipboard.remember(VALUE, "the value of X")
    assert clipboard.write(copy, VALUE)
    assert fake_clipboard.held() == VALUE
    assert clipboard.expire(copy) is ClearDecision.CLEAR
    assert fake_clipboard.held() is None
    assert VALUE not in fake_clipboard.command_lines()
    assert VALUE not in repr(copy) and VALUE not in repr(clipboard)


def test_what_another_program_copied_since_is_left_alone(
    fake_clipboard: FakeClipboardTool,
) -> None:
    clipboard = Clipboard(find_tool())
    copy = clipboard.remember(VALUE, "the value of X")
    clipboard.write(copy, VALUE)
    fake_clipboard.put("the user's own text")
    assert clipboard.expire(copy) is ClearDecision.CHANGED
    assert fake_clipboard.held() == "the user's own text"


def test_an_older_copy_is_overtaken_by_a_newer_one(fake_clipboard: FakeClipboardTool) -> None:
    clipboard = Clipboard(find_tool())
    older = clipboard.remember("first-value", "first")
    newer = clipboard.remember(VALUE, "second")
    assert not clipboard.write(older, "first-value")  # came too late: not written
    clipboard.write(newer, VALUE)
    assert clipboard.expire(older) is ClearDecision.SUPERSEDED
    assert fake_clipboard.held() == VALUE
    assert clipboard.expire(newer) is ClearDecision.CLEAR


def test_without_a_tool_only_the_terminal_clipboard_is_cleared() -> None:
    clipboard = Clipboard(None)
    copy = clipboard.remember(VALUE, "x")
    assert not clipboard.write(copy, VALUE)
    assert clipboard.expire(copy) is ClearDecision.CLEAR_TERMINAL


def test_a_failing_tool_says_so_without_the_value(fake_clipboard: FakeClipboardTool) -> None:
    clipboard = Clipboard(find_tool())
    copy = clipboard.remember(VALUE, "x")
    fake_clipboard.fail()
    with pytest.raises(ClipboardError) as raised:
        clipboard.write(copy, VALUE)
    assert str(raised.value) == "wl-copy failed (exit status 3)"
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    # It never took the value, so its clipboard is not read back nor emptied.
    assert clipboard.expire(copy) is ClearDecision.CLEAR_TERMINAL


def test_a_clipboard_that_cannot_be_read_back_is_left_as_is(
    fake_clipboard: FakeClipboardTool,
) -> None:
    clipboard = Clipboard(find_tool())
    copy = clipboard.remember(VALUE, "x")
    clipboard.write(copy, VALUE)
    fake_clipboard.fail()
    assert clipboard.expire(copy) is ClearDecision.CLEAR_TERMINAL
    assert fake_clipboard.held() == VALUE

"""Smoke test: the installed `amika-tui --local` in a real pseudo-terminal (pexpect + pyte)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

from benchmarks.homes import home_environment

COLUMNS, LINES = 120, 40


class Terminal:
    """A child process on a pty, its output fed into a pyte screen."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            command[0], command[1:], env=env, dimensions=(LINES, COLUMNS), timeout=5
        )

    def text(self) -> str:
        """What the screen shows now."""
        return "\n".join(self.screen.display)

    def focused_field_label(self) -> str:
        """The line above the one input whose top border is drawn in another colour than
        the others' (the focused input); empty when there is no such input."""
        tops = [(y, line.index("▊▔")) for y, line in enumerate(self.screen.display) if "▊▔" in line]
        colours = [self.screen.buffer[y][x + 2].fg for y, x in tops]
        focused = [
            y for (y, _), colour in zip(tops, colours, strict=True) if colours.count(colour) == 1
        ]
        return self.screen.display[focused[0] - 1] if len(focused) == 1 else ""

    def _read(self) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=0.05)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            return
        self.stream.feed(data)

    def wait_for(self, condition: Callable[[str], bool], what: str, timeout: float = 120) -> None:
        """Read output until ``condition(screen text)`` holds (``timeout`` only catches a hang)."""
        deadline = time.monotonic() + timeout
        while not condition(self.text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{self.text()}")
            if not self.child.isalive():
                self._read()
                if not condition(self.text()):
                    raise AssertionError(f"amika-tui exited early; screen:\n{self.text()}")
                return
            self._read()

    def send(self, keys: str) -> None:
        """Type ``keys``."""
        self.child.send(keys)


def _local_app(home: Path) -> Terminal:
    """The installed `amika-tui --local` on a pty, with ``home`` as its whole world."""
    env = {
        **home_environment(home),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    binary = Path(sys.prefix) / "bin" / "amika-tui"
    return Terminal([str(binary), "--local"], env)


def test_local_mode_create_a_secret_and_quit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    term = _local_app(home)
    try:
        term.wait_for(lambda s: "LOCAL" in s and "No secrets yet" in s, "the secrets screen")
        term.send("n")
        term.wait_for(lambda s: "New secret" in s, "the new secret dialog")
        term.wait_for(lambda _: "Name" in term.focused_field_label(), "the name field focused")
        term.send("SMOKE_SECRET")
        term.wait_for(lambda s: "Will create SMOKE_SECRET in user scope" in s, "the plan")
        term.send("\r")  # enter: on to the value
        # Keys typed before the focus has moved would still reach the name field.
        term.wait_for(lambda _: "Value" in term.focused_field_label(), "the value field focused")
        term.send("smoke-value-1234")
        term.wait_for(lambda s: "•" * 12 in s, "the masked value")
        assert "smoke-value-1234" not in term.text(), "the value is masked"
        assert "•" * 13 not in term.text(), "one width whatever the value: no length shown"
        term.send("\r")  # enter in the value stages it
        term.wait_for(lambda s: "New secret" not in s and "1 staged" in s, "the change staged")
        term.send("\x13")  # ctrl+s: the review
        term.wait_for(lambda s: "Review 1 staged" in s, "the review")
        term.send("y")
        term.wait_for(lambda s: "1 created" in s, "the push report")
        term.send("\r")
        term.wait_for(
            lambda s: "SMOKE_SECRET" in s and "All (1)" in s and "staged" not in s,
            "the secret listed",
        )
        term.send("q")
        term.child.expect(pexpect.EOF, timeout=120)
    finally:
        term.child.close()
    assert term.child.exitstatus == 0
    assert (home / ".local/share/amika-tui/local-server").is_dir(), "persistent local store"


def test_a_password_manager_burst_lands_in_name_and_value_and_never_shows(
    tmp_path: Path,
) -> None:
    term = _local_app(tmp_path / "home")
    try:
        term.wait_for(lambda s: "LOCAL" in s and "No secrets yet" in s, "the secrets screen")
        term.send("n")
        term.wait_for(lambda _: "Name" in term.focused_field_label(), "the name field focused")
        # One write, so the app reads it in one go: auto-type of "user<Tab>password".
        term.send("MY_TOKEN\thunter2-very-secret")
        term.wait_for(
            lambda s: "Will create MY_TOKEN in user scope" in s and "•" * 12 in s,
            "the name planned and the value masked",
        )
        assert "hunter2" not in term.text(), "the value never shows, not even as a name"
        term.send("\r")  # enter in the value stages it
        term.wait_for(lambda s: "New secret" not in s and "1 staged" in s, "the change staged")
        assert "hunter2" not in term.text()
        term.send("\x13")  # ctrl+s: the review, then y pushes
        term.wait_for(lambda s: "Review 1 staged" in s, "the review")
        assert "hunter2" not in term.text()
        term.send("y")
        term.wait_for(lambda s: "1 created" in s, "the push report")
        term.send("\r")
        term.wait_for(lambda s: "All (1)" in s and "staged" not in s, "the secret listed")
        assert "MY_TOKEN" in term.text() and "hunter2" not in term.text()
        term.send("q")
        term.child.expect(pexpect.EOF, timeout=120)
    finally:
        term.child.close()

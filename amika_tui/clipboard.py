"""A clipboard that forgets: the system clipboard tool, what we copied, and when to clear.

The UI copies a secret value to the terminal's clipboard (OSC 52) and, where one exists,
to the system clipboard through its command-line tool (`find_tool`). After
`CLEAR_AFTER_SECONDS` it asks `Clipboard.expire` what to do with that copy:

- we copied again since: nothing (the newer copy's own clear is due later);
- the system clipboard can be read back and still holds our value: empty both;
- it holds something else now (the user copied elsewhere): leave both alone;
- there is no tool, or it cannot be read back: empty the terminal's clipboard (OSC 52
  cannot be read back, so that is done unconditionally), leave the system one.

Nothing here keeps a value: a copy is remembered by a keyed digest (the key is random per
session, so the digest says nothing about the value), and what is read back is hashed at
once. Tools run without a shell, the value on stdin, never in argv; no error quotes a value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CLEAR_AFTER_SECONDS",
    "TOOLS",
    "ClearDecision",
    "Clipboard",
    "ClipboardError",
    "ClipboardTool",
    "Copy",
    "find_tool",
]

CLEAR_AFTER_SECONDS = 30.0
"""How long a copied secret value stays on the clipboard."""

_TOOL_TIMEOUT = 5.0
"""Seconds a clipboard tool may take (a stuck X or Wayland connection must not hang us)."""


@dataclass(frozen=True, slots=True)
class ClipboardTool:
    """A system clipboard tool: how to write, read back and empty the clipboard with it."""

    name: str
    """What the user knows it by ("wl-copy", "xclip")."""
    copy: tuple[str, ...]
    """Writes its stdin to the clipboard."""
    paste: tuple[str, ...]
    """Prints the clipboard, byte for byte."""
    clear: tuple[str, ...]
    """Empties the clipboard (given empty stdin)."""
    needs: str | None = None
    """An environment variable without which the tool cannot reach a clipboard."""


TOOLS: tuple[ClipboardTool, ...] = (
    ClipboardTool(
        "wl-copy",
        ("wl-copy",),
        ("wl-paste", "--no-newline"),
        ("wl-copy", "--clear"),
        needs="WAYLAND_DISPLAY",
    ),
    ClipboardTool(
        "xclip",
        ("xclip", "-selection", "clipboard", "-in"),
        ("xclip", "-selection", "clipboard", "-out"),
        ("xclip", "-selection", "clipboard", "-in"),
        needs="DISPLAY",
    ),
    ClipboardTool(
        "xsel",
        ("xsel", "--clipboard", "--input"),
        ("xsel", "--clipboard", "--output"),
        ("xsel", "--clipboard", "--delete"),
        needs="DISPLAY",
    ),
    ClipboardTool("pbcopy", ("pbcopy",), ("pbpaste",), ("pbcopy",)),
)
"""The tools `find_tool` looks for, in order of preference."""


def find_tool(environ: Mapping[str, str] | None = None) -> ClipboardTool | None:
    """The first of `TOOLS` whose programs are on ``PATH`` and whose display is set.

    Args:
        environ: The environment to look in (default: this process's).
    """
    env = os.environ if environ is None else environ
    path = env.get("PATH", os.defpath)
    for tool in TOOLS:
        if tool.needs is not None and not env.get(tool.needs):
            continue
        programs = {tool.copy[0], tool.paste[0], tool.clear[0]}
        if all(shutil.which(program, path=path) for program in programs):
            return tool
    return None


class ClipboardError(Exception):
    """A clipboard tool failed (names the tool and why; never a value)."""


def _run(argv: tuple[str, ...], value: bytes, *, read: bool) -> bytes:
    """Run ``argv`` (no shell) with ``value`` on stdin; its stdout when ``read``.

    Raises:
        ClipboardError: it could not start, timed out or exited non-zero.
    """
    try:
        done = subprocess.run(
            argv,
            input=value,
            stdout=subprocess.PIPE if read else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=_TOOL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        # Raised afresh: the timeout exception holds what the tool printed so far.
        raise ClipboardError(f"{argv[0]} did not answer within {_TOOL_TIMEOUT:g} s") from None
    except OSError as error:
        raise ClipboardError(f"{argv[0]} could not start: {error.strerror}") from None
    if done.returncode != 0:
        raise ClipboardError(f"{argv[0]} failed (exit status {done.returncode})")
    return done.stdout if read else b""


class ClearDecision(StrEnum):
    """What to do with a copy once its time is up."""

    CLEAR = "clear"
    """The system clipboard still holds our value: empty it and the terminal's."""
    CLEAR_TERMINAL = "clear terminal"
    """Nothing can be read back: empty the terminal's clipboard (OSC 52) only."""
    CHANGED = "changed"
    """The clipboard holds something else now: leave it alone."""
    SUPERSEDED = "superseded"
    """We copied another value since: that copy's own clear is due later."""


@dataclass(frozen=True, slots=True)
class Copy:
    """One copy we made (no value: its keyed digest)."""

    generation: int
    """The how-manieth copy of this session."""
    label: str
    """What was copied, as the user knows it ("the value of OPENAI_API_KEY")."""
    digest: bytes = field(repr=False)


class Clipboard:
    """The session's copies: writes them to the system tool and decides when to clear.

    `remember` is quick (call it where the copy is asked for); `write`, `clear_decision`
    and `clear_system` run the tool and block: call them from a thread. One lock keeps
    the tool's runs in order, and a copy overtaken by a newer one is not written.
    """

    def __init__(self, tool: ClipboardTool | None) -> None:
        """Args:
        tool: The system clipboard tool (`find_tool`), None for the terminal's alone.
        """
        self.tool = tool
        self._key = secrets.token_bytes(32)
        self._generation = 0
        self._written = 0
        """The generation the system tool last took."""
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        name = self.tool.name if self.tool else None
        return f"Clipboard(tool={name!r}, copies={self._generation})"

    def _digest(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def remember(self, value: str, label: str) -> Copy:
        """A new copy of ``value``: from now on, the older ones are overtaken."""
        self._generation += 1
        return Copy(self._generation, label, self._digest(value.encode()))

    def is_latest(self, copy: Copy) -> bool:
        """True when nothing was copied by us after ``copy``."""
        return copy.generation == self._generation

    def write(self, copy: Copy, value: str) -> bool:
        """Hand ``value`` (the one ``copy`` remembers) to the system tool; False when there
        is no tool or a newer copy came first.

        Raises:
            ClipboardError: the tool failed (the terminal's clipboard has the value all
                the same, and is cleared in time).
        """
        with self._lock:
            if self.tool is None or not self.is_latest(copy):
                return False
            _run(self.tool.copy, value.encode(), read=False)
            self._written = copy.generation
            return True

    def expire(self, copy: Copy) -> ClearDecision:
        """``copy``'s time is up: decide (reading the system clipboard back) and, when it
        still holds our value, empty it. The caller empties the terminal's clipboard for
        `ClearDecision.CLEAR` and `ClearDecision.CLEAR_TERMINAL`.

        When the system tool did not take ``copy`` or cannot read it back (it fails), only
        the terminal's clipboard is to be emptied; the system one is left as it is.

        Raises:
            ClipboardError: the system clipboard held our value and could not be emptied.
        """
        with self._lock:
            if not self.is_latest(copy):
                return ClearDecision.SUPERSEDED
            if self.tool is None or self._written != copy.generation:
                return ClearDecision.CLEAR_TERMINAL
            try:
                held = self._digest(_run(self.tool.paste, b"", read=True))
            except ClipboardError:
                return ClearDecision.CLEAR_TERMINAL
            if not hmac.compare_digest(held, copy.digest):
                return ClearDecision.CHANGED
            _run(self.tool.clear, b"", read=False)
            self._written = 0
            return ClearDecision.CLEAR

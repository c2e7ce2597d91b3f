"""Run a program in a real pseudo-terminal until its screen shows a marker.

`run_until_shown` is what a user sees: the child gets a tty of a fixed size, draws on it,
and the clock stops when the marker's bytes reach the terminal. The child is then killed
and reaped with `os.wait4`, whose resource usage (CPU time) is that child's alone.

Peak RSS is the child's ``VmHWM`` (``/proc/PID/status``, read just before the kill): the
peak of the program it runs. Its ``ru_maxrss`` would do on macOS, but on Linux it is at
least the RSS of the parent that forked it (the parent's pages count until the `exec`),
and a benchmark that has just seeded 100,000 secrets is not small.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

COLUMNS, LINES = 120, 40
TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Shown:
    """How long until the marker was on screen; the child's CPU time and peak RSS."""

    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    """Peak resident set size of the program, KiB."""


def run_until_shown(command: Sequence[str], marker: bytes, env: Mapping[str, str]) -> Shown:
    """Start `command` on a new pty; wait until `marker` was written to it; kill the
    child; its time to `marker` and its peak RSS.

    Raises:
        RuntimeError: The child exited or hung (`TIMEOUT_S`) before showing `marker`.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)},
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    shown_at: float | None = None
    try:
        deadline = start + TIMEOUT_S
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.perf_counter()))
            if not ready:
                raise RuntimeError(f"{command[0]}: {marker!r} not shown in {TIMEOUT_S:.0f} s")
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[0]} exited before showing {marker!r}")
            # keep a tail as long as the marker, so a marker split across reads is found
            seen = seen[-len(marker) :] + chunk
            if marker in seen:
                shown_at = time.perf_counter() - start
                break
    finally:
        peak = _peak_rss_kib(process.pid)
        process.send_signal(signal.SIGKILL)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = -signal.SIGKILL
        os.close(master)
    assert shown_at is not None
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    fallback = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Shown(shown_at, usage.ru_utime + usage.ru_stime, peak or fallback)


def _peak_rss_kib(pid: int) -> int | None:
    """``VmHWM`` of a live process, None where there is no ``/proc``."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None

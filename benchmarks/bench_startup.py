"""Start-up of the command line against the interpreter's own: ``python -c pass`` vs
``amika-tui --version``, ``--help`` and ``extract`` on realistic homes.

Run: ``python -m benchmarks.bench_startup`` (or ``make bench``).

Each row runs the two commands as alternating pairs in one run (A B, B A, …) and prints
the median of each and their ratio against the goal (issue 13 / issue 15 P2b: at most 3×).
The extract homes are written by :mod:`benchmarks.homes`: Claude Code (a ~214 KB or a
2 MB ``~/.claude.json``, plus OAuth), Codex, OpenCode and Amika's env cache.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.homes import write_realistic_home

PAIRS = 15
GOAL = 3.0


def _entry_point() -> list[str]:
    script = Path(sys.executable).with_name("amika-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "amika_tui"]


def _seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def compare(label: str, command: list[str], env: dict[str, str]) -> float:
    """Print medians of ``python -c pass`` and ``command`` over alternating pairs; the ratio."""
    baseline = [sys.executable, "-c", "pass"]
    for _ in range(2):  # warm the page cache
        _seconds(baseline, env)
        _seconds(command, env)
    base: list[float] = []
    ours: list[float] = []
    for i in range(PAIRS):
        if i % 2:
            ours.append(_seconds(command, env))
            base.append(_seconds(baseline, env))
        else:
            base.append(_seconds(baseline, env))
            ours.append(_seconds(command, env))
    b, o = statistics.median(base), statistics.median(ours)
    ratio = o / b
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(
        f"{label:<44} {o * 1000:7.1f} ms vs python -c pass {b * 1000:6.1f} ms: "
        f"{ratio:4.2f}× (goal ≤ {GOAL:.0f}×, {verdict})"
    )
    return ratio


def main() -> None:
    """Every row, side by side."""
    amika = _entry_point()
    with tempfile.TemporaryDirectory() as tmp:
        # Byte-code cached, as after `pip install` (which compiles); the warm-up fills it.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("XDG_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        print(f"median of {PAIRS} alternating pairs each")
        compare("amika-tui --version", [*amika, "--version"], env)
        compare("amika-tui --help", [*amika, "--help"], env)
        for size, name in (
            (214_000, "realistic home"),
            (2_000_000, "home with a 2 MB ~/.claude.json"),
        ):
            home = write_realistic_home(Path(tmp) / f"home-{size}", claude_json_bytes=size)
            compare(f"amika-tui extract, {name}", [*amika, "extract", "--homedir", str(home)], env)


if __name__ == "__main__":
    main()

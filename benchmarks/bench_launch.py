"""Issue 15 row P2: ``amika-tui --local`` until the secrets' rows are drawn, in a real
pseudo-terminal, against a bare Textual app's first paint (`benchmarks.bare_textual`).

Run: ``python -m benchmarks.bench_launch`` (or ``make bench``).

Both run on a 120×40 pty (`benchmarks.terminal`); the clock stops when the marker's bytes
reach the terminal: the first secret's name (the store of a fake home holds ``SECRETS``),
or the bare app's one line. ``PAIRS`` alternating pairs (A B, B A, …) in one run; the
medians and their ratio against the goal, and the median CPU time of each (less moved by a
busy neighbour than the wall clock). The load average is printed with the figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.bare_textual import MARKER
from benchmarks.local_store import FIRST_NAME, seed_local_home
from benchmarks.terminal import Shown, run_until_shown

PAIRS = 7
SECRETS = 100
GOAL = 1.3


def amika_tui() -> list[str]:
    """The installed entry point (or ``python -m amika_tui`` beside this interpreter)."""
    script = Path(sys.executable).with_name("amika-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "amika_tui"]


def main() -> None:
    """Print row P2."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(seed_local_home(Path(scratch) / "home", SECRETS))
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")  # compiled, as installed
        ours_command = [*amika_tui(), "--local"]
        bare_command = [sys.executable, "-m", "benchmarks.bare_textual"]
        ours: list[Shown] = []
        bare: list[Shown] = []
        run_until_shown(bare_command, MARKER.encode(), env)  # warm the caches
        run_until_shown(ours_command, FIRST_NAME.encode(), env)
        for i in range(PAIRS):
            for which in ("bare", "ours") if i % 2 == 0 else ("ours", "bare"):
                if which == "bare":
                    bare.append(run_until_shown(bare_command, MARKER.encode(), env))
                else:
                    ours.append(run_until_shown(ours_command, FIRST_NAME.encode(), env))
    a = statistics.median(s.seconds for s in ours)
    b = statistics.median(s.seconds for s in bare)
    a_cpu = statistics.median(s.cpu_seconds for s in ours)
    b_cpu = statistics.median(s.cpu_seconds for s in bare)
    ratio = a / b
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(f"median of {PAIRS} alternating pairs, load average {os.getloadavg()[0]:.2f}")
    print(
        f"P2 amika-tui --local → {SECRETS} rows drawn {a * 1000:6.0f} ms vs bare Textual "
        f"first paint {b * 1000:5.0f} ms: {ratio:4.2f}× (goal ≤ {GOAL}×, {verdict}); "
        f"CPU {a_cpu * 1000:.0f} vs {b_cpu * 1000:.0f} ms: {a_cpu / b_cpu:4.2f}×"
    )


if __name__ == "__main__":
    main()

"""Issue 15 row P4: peak RSS of the app at 100,000 secrets against 100, with the hosted
API (here ``amika-tui serve`` in a process of its own) and with ``--local``.

Run: ``python -m benchmarks.bench_memory`` (or ``make bench``).

Each run starts the real app on a pty (`benchmarks.terminal`) in a fake home whose store
holds N user secrets, waits until the first row is drawn (the whole listing parsed, sorted
and shown) and reads the app's peak RSS (``VmHWM``; see `benchmarks.terminal` for why not
the parent's ``ru_maxrss``). Medians of ``RUNS`` runs each; the ratio against the goal.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.bench_launch import amika_tui
from benchmarks.local_store import FIRST_NAME, seed_local_home
from benchmarks.processes import listening
from benchmarks.terminal import run_until_shown

SMALL, LARGE = 100, 100_000
RUNS = 3
GOAL = 2.0


def _peak_kib(command: list[str], env: dict[str, str]) -> int:
    peaks = [run_until_shown(command, FIRST_NAME.encode(), env).max_rss_kib for _ in range(RUNS)]
    return int(statistics.median(peaks))


def _peaks(home: Path, count: int) -> tuple[int, int]:
    """(hosted, --local) peak RSS in KiB of the app with `count` secrets."""
    env = {**os.environ, **seed_local_home(home, count)}
    data_dir = Path(env["XDG_DATA_HOME"]) / "amika-tui" / "local-server"
    key = (data_dir / "dev-api-key").read_text(encoding="utf-8").strip()
    command = amika_tui()
    with listening([*command, "serve", "--data-dir", str(data_dir), "--port", "0"]) as url:
        hosted = _peak_kib([*command, "--api-url", url], {**env, "AMIKA_API_KEY": key})
    local = _peak_kib([*command, "--local"], env)
    return hosted, local


def main() -> None:
    """Print row P4 (hosted and --local)."""
    with tempfile.TemporaryDirectory() as scratch:
        small = _peaks(Path(scratch) / "small", SMALL)
        large = _peaks(Path(scratch) / "large", LARGE)
    print(f"median of {RUNS} runs each, peak RSS of the app until the first row is drawn")
    for label, little, big in (
        ("hosted API", small[0], large[0]),
        ("--local", small[1], large[1]),
    ):
        ratio = big / little
        verdict = "meets" if ratio <= GOAL else "MISSES"
        print(
            f"P4 {label:<10} {LARGE:,} secrets {big / 1024:6.1f} MiB vs {SMALL} "
            f"{little / 1024:5.1f} MiB: {ratio:4.2f}× (goal ≤ {GOAL:.0f}×, {verdict})"
        )


if __name__ == "__main__":
    main()

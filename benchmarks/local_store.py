"""Data dirs of `amika-tui --local` seeded with N secrets, for the launch benchmarks."""

from __future__ import annotations

from pathlib import Path

from amika_tui.server.runtime import ensure_dev_key, open_store
from benchmarks.homes import home_environment

FIRST_NAME = "BENCH_SECRET_000000"
"""The name listed first (names sort), so the first row on screen."""


def seed_local_home(home: Path, count: int) -> dict[str, str]:
    """A fake home whose ``--local`` store holds `count` user secrets of the default
    user (named ``BENCH_SECRET_<n>``); the environment variables that point there."""
    env = home_environment(home)
    data_dir = Path(env["XDG_DATA_HOME"]) / "amika-tui" / "local-server"
    data_dir.mkdir(parents=True, mode=0o700)
    store = open_store(data_dir)
    try:
        key, _ = ensure_dev_key(store, data_dir)
        principal = store.principal_for_key(key)
        assert principal is not None
        rows = ((f"BENCH_SECRET_{i:06d}", "fake-value", "user") for i in range(count))
        store.seed_secrets(principal, rows)
    finally:
        store.close()
    return env

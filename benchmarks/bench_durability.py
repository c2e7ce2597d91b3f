"""What `synchronous=FULL` (and clearing replaced ciphertexts) costs the store's writes.

Run: ``python -m benchmarks.bench_durability`` (or ``python -m benchmarks``).

The same store methods the server runs, in its database threads (``Store.run``), on this
machine's disk, once with ``synchronous=NORMAL`` (can lose the last commits on power loss)
and once with ``FULL`` (the server's setting: every acknowledged commit is on disk), in the
same run: 500 creates one at a time, 2,000 creates 16 at a time, and 300 updates 16 at a
time (each replaces a ciphertext, so a WAL checkpoint and truncation follows, coalesced
across a burst). Figures are per write and the FULL/NORMAL ratio; they depend on the disk
(fsync) more than on the CPU.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from cryptography.fernet import Fernet

from amika_tui.server.store import Store

SEQUENTIAL = 500
CONCURRENT = 2000
CONCURRENCY = 16
UPDATES = 300


async def _timed(count: int, concurrency: int, write: Callable[[int], Awaitable[object]]) -> float:
    """Seconds per write for `count` writes, `concurrency` in flight."""
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            await write(index)

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return (time.perf_counter() - start) / count


async def _measure(data_dir: Path, synchronous: str) -> dict[str, float]:
    store = Store(data_dir, synchronous=synchronous)
    store.cipher = Fernet(Fernet.generate_key())
    try:
        who = store.principal_for_key(store.create_api_key("bench@example.com", "bench"))
        assert who is not None
        value = "sk-bench-" + "q" * 40

        async def create(prefix: str, index: int) -> None:
            await store.run(store.create_secret, who, f"{prefix}_{index:05d}", value, "user", None)

        sequential = await _timed(SEQUENTIAL, 1, lambda i: create("SEQ", i))
        concurrent = await _timed(CONCURRENT, CONCURRENCY, lambda i: create("CON", i))
        ids = [s["id"] for s in store.list_secrets(who)][:UPDATES]

        async def update(index: int) -> None:
            await store.run(store.update_secret, who, ids[index], value + str(index))

        updates = await _timed(UPDATES, CONCURRENCY, update)
    finally:
        store.close()
    return {"sequential": sequential, "concurrent": concurrent, "updates": updates}


def main() -> None:
    """Measure both settings in one run and print per-write times and ratios."""
    with tempfile.TemporaryDirectory(prefix="bench-durability-", dir=Path.cwd()) as scratch:
        results = {}
        for synchronous in ("NORMAL", "FULL"):
            folder = Path(scratch) / synchronous
            folder.mkdir()
            results[synchronous] = asyncio.run(_measure(folder, synchronous))
    print(f"store writes on {Path.cwd()}'s disk (ms per write; FULL / NORMAL)")
    labels = {
        "sequential": f"{SEQUENTIAL} creates, one at a time",
        "concurrent": f"{CONCURRENT} creates, {CONCURRENCY} at a time",
        "updates": f"{UPDATES} updates, {CONCURRENCY} at a time",
    }
    for key, label in labels.items():
        normal, full = results["NORMAL"][key] * 1000, results["FULL"][key] * 1000
        print(f"  {label:42} NORMAL {normal:6.2f}  FULL {full:6.2f}  ratio {full / normal:5.2f}x")


if __name__ == "__main__":
    main()

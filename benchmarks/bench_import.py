"""Import benchmark (P9): toggle one row of a 5,000-line `.env` preview vs a 50-line one.

Runs the real app headless (`App.run_test` and Pilot) against the reference server, opens
the import dialog on each file and presses space on a row in the middle of the preview:
the time is from the key until its frame is drawn, the check box changed. Loading the
file, until its preview is drawn, is timed on the way, and its ratio (5,000 vs 50
lines) printed too (no goal in issue 15: it should stay near 1x). Also times
"select none" (x) and "select all" (a) on a 6,000-line file. About a tenth of the keys
update a listed secret and a fiftieth are a scope conflict, as in a real file.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from amika_tui.api import StaticTokenSource
from amika_tui.server.testing import RunningServer, run_server
from amika_tui.ui.app import AmikaApp, AppSettings, make_app
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.screens.secrets import SecretsScreen
from benchmarks.pilot import print_ratio_row, screen_of, until

SMALL, LARGE, SELECT_ALL = 50, 5_000, 6_000
TOGGLES = 15
LOADS: dict[str, list[float]] = {}
"""Seconds from loading each file until its preview is drawn, per run."""
P9_GOAL = 2.0
"""P9: a toggle in the 5,000-line preview at most this many times the 50-line one."""


def _env_file(folder: Path, lines: int) -> Path:
    path = folder / f"bench-{lines}.env"
    path.write_text("".join(f"KEY_{i:05d}=value-{i:05d}-abcdefghijkl\n" for i in range(lines)))
    return path


def _seed(server: RunningServer, key: str, lines: int) -> None:
    rows = [(f"KEY_{i:05d}", "old", "user") for i in range(0, lines, 10)]
    rows += [(f"KEY_{i:05d}", "org-old", "org") for i in range(5, lines, 50)]
    server.seed_secrets(key, rows)


async def _open(app: AmikaApp, pilot: Pilot[Any], path: Path) -> ImportEnvDialog:
    await until(
        lambda: (screen := screen_of(app, SecretsScreen)) is not None and screen.loaded,
        lambda: pilot.pause(0.001),
    )
    await pilot.press("i")
    await until(lambda: isinstance(app.screen, ImportEnvDialog), lambda: pilot.pause(0.001))
    dialog = app.screen
    assert isinstance(dialog, ImportEnvDialog)
    began = time.perf_counter()
    assert dialog.load(path)
    await pilot.pause()
    LOADS.setdefault(path.name, []).append(time.perf_counter() - began)
    return dialog


async def _timed_key(pilot: Pilot[Any], key: str) -> float:
    began = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()  # the frame showing the change
    return time.perf_counter() - began


async def _toggles(app: AmikaApp, path: Path, lines: int) -> float:
    """Median time of a space on the middle (non-conflict) row of ``path``'s preview."""
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open(app, pilot, path)
        assert dialog.plan is not None and len(dialog.plan.rows) == lines
        middle = lines // 2 + 1  # KEY_..01: a plain create
        dialog.table.cursor_row = middle
        await pilot.pause()
        times = []
        for _ in range(TOGGLES):
            before = dialog.plan.rows[middle].selected
            times.append(await _timed_key(pilot, "space"))
            assert dialog.plan.rows[middle].selected is not before, "the row toggled"
    return statistics.median(times)


async def _select_none_all(app: AmikaApp, path: Path) -> tuple[float, float]:
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open(app, pilot, path)
        none, every = [], []
        for _ in range(3):
            none.append(await _timed_key(pilot, "x"))
            assert dialog.plan is not None and dialog.plan.counts.to_push == 0
            every.append(await _timed_key(pilot, "a"))
            assert dialog.plan.counts.to_push > 0
    return statistics.median(none), statistics.median(every)


def _app(server: RunningServer, key: str, config: Path) -> AmikaApp:
    settings = AppSettings(
        api_url=server.url, token_source=StaticTokenSource(key), local=True, config_dir=config
    )
    return make_app(settings)


async def _run() -> None:
    with tempfile.TemporaryDirectory() as scratch, run_server(Path(scratch) / "server") as server:
        folder = Path(scratch)
        toggles: dict[int, list[float]] = {SMALL: [], LARGE: []}
        apps = {}
        for lines in (SMALL, LARGE, SELECT_ALL):
            key = server.create_user(f"import-{lines}@example.com", f"import-{lines}")
            _seed(server, key, lines)
            apps[lines] = (key, _env_file(folder, lines))
        for round_ in range(3):  # the sizes alternate, so a busy spell hits both
            for lines in (SMALL, LARGE):
                key, path = apps[lines]
                app = _app(server, key, folder / f"cfg-{lines}-{round_}")
                toggles[lines].append(await _toggles(app, path, lines))
        key, path = apps[SELECT_ALL]
        none, every = await _select_none_all(_app(server, key, folder / "cfg-all"), path)
    small, large = statistics.median(toggles[SMALL]), statistics.median(toggles[LARGE])
    loads = {lines: statistics.median(LOADS[f"bench-{lines}.env"]) for lines in (SMALL, LARGE)}
    for lines, median in ((SMALL, small), (LARGE, large)):
        load = loads[lines]
        print(
            f"{lines:>6}-line .env: toggle a row (space) → repaint (median) {median * 1000:6.1f} ms"
            f", load → preview drawn (median) {load * 1000:6.1f} ms"
        )
    print(
        f"{SELECT_ALL:>6}-line .env: select none (x) {none * 1000:6.1f} ms, "
        f"select all (a) {every * 1000:6.1f} ms (medians)"
    )
    what = f"import toggle → repaint, {LARGE:,} vs {SMALL} lines"
    print_ratio_row("P9", what, large / small, P9_GOAL)
    ratio = loads[LARGE] / loads[SMALL]
    print(f"P9b import load → preview drawn, {LARGE:,} vs {SMALL} lines: {ratio:.2f}x")


def main() -> None:
    """Run the benchmark and print the figures."""
    asyncio.run(_run())


if __name__ == "__main__":
    main()

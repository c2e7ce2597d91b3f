"""UI benchmark: first paint of the secrets screen and filter latency, 100 vs 10,000 and
100,000 secrets (P3: a filter keystroke at 100,000 vs 100, goal ≤ 1.5×).

Runs the real app headless (`App.run_test`) against the reference server. "First paint"
is from app start until the listed secrets are on screen; "filter latency" is from a
keystroke in the filter box until the table shows the filtered rows (it includes Textual's
frame scheduling, so it is noisy on a busy machine); "filter work" is the screen's own
re-filter and table update per keystroke. Prints each figure, the 10,000 / 100 ratios and
the P3 row (100,000 / 100) with its goal.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from amika_tui.api import StaticTokenSource
from amika_tui.server.testing import RunningServer, run_server
from amika_tui.ui.app import AppSettings, make_app
from amika_tui.ui.screens.secrets import SecretsScreen
from benchmarks.pilot import print_ratio_row, screen_of, until

SIZES = (100, 10_000, 100_000)
P3_GOAL = 1.5
"""P3: filter keystroke → repaint at 100,000 secrets at most this many times the 100 one."""
QUERIES = ("S", "SE", "SEC", "SECRET_0", "SECRET_00", "SECRET_001", "")


async def _measure(
    server: RunningServer, key: str, count: int, config: Path
) -> tuple[float, float, float]:
    settings = AppSettings(
        api_url=server.url, token_source=StaticTokenSource(key), local=True, config_dir=config
    )
    app = make_app(settings)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:

        def painted() -> bool:
            screen = screen_of(app, SecretsScreen)
            return screen is not None and screen.loaded and len(screen.table.rows) == count

        await until(painted, lambda: pilot.pause(0.001))
        await pilot.pause()  # the frame with the rows
        first_paint = time.perf_counter() - start
        screen = screen_of(app, SecretsScreen)
        assert screen is not None
        screen.filter_input.focus()
        latencies = []
        work = []
        for query in QUERIES * 3:
            expected = len([s for s in screen.secrets if query.casefold() in s.name.casefold()])
            began = time.perf_counter()
            screen.filter_input.value = query
            await until(
                lambda q=query, n=expected: (
                    screen.table.query_text == q  # type: ignore[misc]
                    and len(screen.table.rows) == n
                ),
                lambda: pilot.pause(0.001),
            )
            await pilot.pause()
            latencies.append(time.perf_counter() - began)
            began = time.perf_counter()
            screen.apply_view()
            work.append(time.perf_counter() - began)
            await pilot.pause()
    return first_paint, statistics.median(latencies), statistics.median(work)


async def _run() -> None:
    results: dict[int, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as scratch, run_server(Path(scratch) / "server") as server:
        for count in SIZES:
            key = server.create_user(f"bench-{count}@example.com", f"bench-{count}")
            server.seed_secrets(key, [(f"SECRET_{i:05d}", "value", "user") for i in range(count)])
            results[count] = await _measure(server, key, count, Path(scratch) / f"cfg{count}")
    small = results[SIZES[0]]
    for count, (paint, latency, work) in results.items():
        print(
            f"{count:>6} secrets: first paint {paint * 1000:7.1f} ms, "
            f"filter keystroke→repaint (median) {latency * 1000:6.1f} ms, "
            f"filter work (median) {work * 1000:5.2f} ms"
        )
    for count in SIZES[1:]:
        ratios = [big / little for big, little in zip(results[count], small, strict=True)]
        print(
            f"ratio {count:,} / 100: first paint {ratios[0]:.2f}x, "
            f"filter latency {ratios[1]:.2f}x, filter work {ratios[2]:.2f}x"
        )
    what = "filter keystroke→repaint, 100,000 vs 100 secrets"
    print_ratio_row("P3", what, results[100_000][1] / small[1], P3_GOAL)


def main() -> None:
    """Run the benchmark and print the figures."""
    asyncio.run(_run())


if __name__ == "__main__":
    main()

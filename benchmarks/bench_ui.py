"""UI benchmark: first paint of the secrets screen and filter latency, 100 vs 10,000 secrets.

Runs the real app headless (`App.run_test`) against the reference server. "First paint"
is from app start until the listed secrets are on screen; "filter latency" is from a
keystroke in the filter box until the table shows the filtered rows (it includes Textual's
frame scheduling, so it is noisy on a busy machine); "filter work" is the screen's own
re-filter and table update per keystroke. Prints each figure and the 10,000 / 100 ratios.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from amika_tui.api import StaticTokenSource
from amika_tui.server.testing import RunningServer, run_server
from amika_tui.ui.app import AmikaApp, AppSettings, make_app
from amika_tui.ui.screens.secrets import SecretsScreen

SIZES = (100, 10_000)
QUERIES = ("S", "SE", "SEC", "SECRET_0", "SECRET_00", "SECRET_001", "")


def _secrets_screen(app: AmikaApp) -> SecretsScreen | None:
    for screen in app.screen_stack:
        if isinstance(screen, SecretsScreen):
            return screen
    return None


async def _until(condition: Callable[[], bool], pause: Callable[[], object]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark condition not reached")
        await pause()  # type: ignore[misc]


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
            screen = _secrets_screen(app)
            return screen is not None and screen.loaded and len(screen.table.rows) == count

        await _until(painted, lambda: pilot.pause(0.001))
        await pilot.pause()  # the frame with the rows
        first_paint = time.perf_counter() - start
        screen = _secrets_screen(app)
        assert screen is not None
        screen.filter_input.focus()
        latencies = []
        work = []
        for query in QUERIES * 3:
            expected = len([s for s in screen.secrets if query.casefold() in s.name.casefold()])
            began = time.perf_counter()
            screen.filter_input.value = query
            await _until(
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
    small, large = results[SIZES[0]], results[SIZES[1]]
    for count, (paint, latency, work) in results.items():
        print(
            f"{count:>6} secrets: first paint {paint * 1000:7.1f} ms, "
            f"filter keystroke→repaint (median) {latency * 1000:6.1f} ms, "
            f"filter work (median) {work * 1000:5.2f} ms"
        )
    ratios = [big / little for big, little in zip(large, small, strict=True)]
    print(
        f"ratio 10,000 / 100: first paint {ratios[0]:.2f}x, "
        f"filter latency {ratios[1]:.2f}x, filter work {ratios[2]:.2f}x"
    )


def main() -> None:
    """Run the benchmark and print the figures."""
    asyncio.run(_run())


if __name__ == "__main__":
    main()

"""The reference server against a bare Starlette app serving the same bytes (issue 15, rows
P6 and P6b).

Run: ``python -m benchmarks.bench_server`` (or ``make bench``).

``amika-tui serve`` (A, default flags) and :mod:`benchmarks.bare_starlette` (B, the same
socket and uvicorn settings, no authentication, no database) each run in a process of their
own; the load comes from this process over loopback: a small asyncio HTTP/1.1 client on
keep-alive connections, cheap enough that the servers, not it, set the pace.

- P6: ``GET /api/v0beta1/secrets`` of a user who sees 10,000 secrets (5,000 of its own,
  5,000 of its org), from ``GET_CONNECTIONS`` connections for ``GET_SECONDS`` each:
  requests per second, A / B (goal: at least 1.0). B answers the bytes A answered.
- P6b: ``POST /api/v0beta1/secrets``, each a new name, ``POSTS`` of them from
  ``POST_CONNECTIONS`` connections at once (a bulk push at the push executor's default
  concurrency): the 99th percentile of the latency, A against the goal (at most 10 ms)
  and against B. The same at twice that concurrency follows, for information.
- Then, for information, what each app itself spends on a cached ``GET /secrets``, called
  in this process without sockets: the difference loopback noise hides in P6.

Each row alternates the two servers in ``PAIRS`` pairs (A B, B A, ...) and prints the
median of each and the median of the pairs' ratios (each pair measured back to back, so
a neighbour's burst of CPU moves both sides of a ratio). The machine's load average is
printed with the figures: on a shared machine, run it when ``uptime`` is quiet.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from amika_tui.server.runtime import open_store
from benchmarks.processes import listening

SECRETS = 10_000
PAIRS = 9
GET_CONNECTIONS = 4
GET_SECONDS = 2.0
POSTS = 2_000
POST_CONNECTIONS = 8  # amika_tui.sync.executor.DEFAULT_CONCURRENCY
P6_GOAL = 1.0
P6B_GOAL_MS = 10.0
_API = "/api/v0beta1/secrets"


class _Connection:
    """One keep-alive HTTP/1.1 connection: a request out, its whole answer in."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, url: str) -> _Connection:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(
            parts.hostname, parts.port, limit=16 * 1024 * 1024
        )
        return cls(reader, writer)

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send `request`; the answer's status and body."""
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        match = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if match is None:
            raise RuntimeError("answer without Content-Length")
        return status, await self._reader.readexactly(int(match.group(1)))

    def close(self) -> None:
        self._writer.close()


def _request(url: str, method: str, key: str, body: bytes = b"") -> bytes:
    host = urlsplit(url).netloc
    head = f"{method} {_API} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def _one(url: str, request: bytes) -> tuple[int, bytes]:
    connection = await _Connection.open(url)
    try:
        return await connection.exchange(request)
    finally:
        connection.close()


async def _requests_per_second(url: str, request: bytes) -> float:
    """GETs answered per second over `GET_CONNECTIONS` connections in `GET_SECONDS`."""
    connections = [await _Connection.open(url) for _ in range(GET_CONNECTIONS)]
    done = 0
    start = time.perf_counter()
    deadline = start + GET_SECONDS
    last = start

    async def loop(connection: _Connection) -> None:
        nonlocal done, last
        while time.perf_counter() < deadline:
            status, _ = await connection.exchange(request)
            if status != 200:
                raise RuntimeError(f"GET answered {status}")
            done += 1
            last = time.perf_counter()

    try:
        await asyncio.gather(*(loop(c) for c in connections))
    finally:
        for connection in connections:
            connection.close()
    return done / (last - start)


async def _p99_ms(url: str, requests: list[bytes], connections_count: int) -> float:
    """The 99th percentile latency of `requests` sent over `connections_count` connections."""
    connections = [await _Connection.open(url) for _ in range(connections_count)]
    pending = iter(requests)
    latencies: list[float] = []

    async def loop(connection: _Connection) -> None:
        for request in pending:
            start = time.perf_counter()
            status, _ = await connection.exchange(request)
            latencies.append(time.perf_counter() - start)
            if status != 201:
                raise RuntimeError(f"POST answered {status}")

    try:
        await asyncio.gather(*(loop(c) for c in connections))
    finally:
        for connection in connections:
            connection.close()
    return statistics.quantiles(latencies, n=100)[98] * 1000


def _pairs(
    measure_a: Callable[[int], float], measure_b: Callable[[int], float]
) -> tuple[float, float, float]:
    """Medians of A, of B and of A/B over `PAIRS` alternating pairs."""
    a: list[float] = []
    b: list[float] = []
    for i in range(PAIRS):
        if i % 2:
            b.append(measure_b(i))
            a.append(measure_a(i))
        else:
            a.append(measure_a(i))
            b.append(measure_b(i))
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    return statistics.median(a), statistics.median(b), statistics.median(ratios)


def _seed(data_dir: Path) -> tuple[str, str]:
    """A user who sees `SECRETS` secrets and a user (another org) to post as: their keys."""
    store = open_store(data_dir)
    try:
        reader = store.create_api_key("bench-list@example.com", "bench-list")
        poster = store.create_api_key("bench-post@example.com", "bench-post")
        who = store.principal_for_key(reader)
        assert who is not None
        value = "sk-bench-" + "q" * 40
        half = SECRETS // 2
        store.seed_secrets(who, ((f"BENCH_USER_{i:05d}", value, "user") for i in range(half)))
        store.seed_secrets(who, ((f"BENCH_ORG_{i:05d}", value, "org") for i in range(half)))
    finally:
        store.close()
    return reader, poster


def _post_body(name: str) -> bytes:
    return json.dumps({"name": name, "value": "sk-bench-" + "q" * 40, "scope": "user"}).encode()


def main() -> None:
    """Both rows, side by side."""
    with tempfile.TemporaryDirectory(prefix="bench-server-") as scratch:
        data_dir = Path(scratch) / "server"
        reader, poster = _seed(data_dir)
        serve = [sys.executable, "-m", "amika_tui", "serve", "--port", "0"]
        with listening([*serve, "--data-dir", str(data_dir)]) as url_a:
            status, listing = asyncio.run(_one(url_a, _request(url_a, "GET", reader)))
            assert status == 200 and len(json.loads(listing)) == SECRETS
            status, created = asyncio.run(
                _one(url_a, _request(url_a, "POST", poster, _post_body("P6B_SAMPLE")))
            )
            assert status == 201
            (Path(scratch) / "listing.json").write_bytes(listing)
            (Path(scratch) / "created.json").write_bytes(created)
            bare = [sys.executable, "-m", "benchmarks.bare_starlette"]
            files = [str(Path(scratch) / "listing.json"), str(Path(scratch) / "created.json")]
            with listening([*bare, *files]) as url_b:
                status, same = asyncio.run(_one(url_b, _request(url_b, "GET", reader)))
                assert status == 200 and same == listing
                _report(url_a, url_b, reader, poster)
        _app_time(data_dir, reader, listing, created)


def _app_time(data_dir: Path, reader: str, listing: bytes, created: bytes) -> None:
    """What the two ASGI apps themselves spend on a cached `GET /secrets`, called in this
    process without sockets (the part of P6 the loopback noise hides)."""
    from amika_tui.server.app import create_app
    from amika_tui.server.runtime import open_state
    from benchmarks.bare_starlette import bare_app

    state = open_state(data_dir)
    try:
        apps = (create_app(state), bare_app(listing, created))
        headers = [(b"host", b"bench"), (b"authorization", f"Bearer {reader}".encode())]
        scope = {"type": "http", "method": "GET", "path": _API, "raw_path": _API.encode()}
        scope |= {"query_string": b"", "headers": headers, "client": ("127.0.0.1", 1)}
        scope |= {"server": ("127.0.0.1", 80), "scheme": "http", "root_path": ""}

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: object) -> None:
            pass

        async def per_call_us(app: Any, calls: int = 2000) -> float:
            start = time.perf_counter()
            for _ in range(calls):
                await app(dict(scope), receive, send)
            return (time.perf_counter() - start) / calls * 1e6

        async def measure() -> tuple[float, float]:
            for app in apps:
                await per_call_us(app, 100)  # builds the listing, warms both up
            times: tuple[list[float], list[float]] = ([], [])
            for pair in range(PAIRS):
                for side in (0, 1) if pair % 2 == 0 else (1, 0):
                    times[side].append(await per_call_us(apps[side]))
            return statistics.median(times[0]), statistics.median(times[1])

        ours, bare = asyncio.run(measure())
    finally:
        state.store.close()
    print(
        f"    cached GET /secrets inside the app, no sockets: serve {ours:5.1f} µs vs bare"
        f" Starlette {bare:5.1f} µs per request (information)"
    )


def _report(url_a: str, url_b: str, reader: str, poster: str) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load}; medians of {PAIRS} alternating pairs")

    def gets(url: str) -> Callable[[int], float]:
        request = _request(url, "GET", reader)
        return lambda _: asyncio.run(_requests_per_second(url, request))

    gets(url_a)(0), gets(url_b)(0)  # warm both up
    a, b, ratio = _pairs(gets(url_a), gets(url_b))
    verdict = "meets" if ratio >= P6_GOAL else "MISSES"
    print(
        f"P6  GET /secrets, {SECRETS:,} visible, {GET_CONNECTIONS} connections: serve"
        f" {a:6.1f} req/s vs bare Starlette {b:6.1f} req/s: {ratio:5.3f}×"
        f" (goal ≥ {P6_GOAL:.1f}×, {verdict})"
    )

    def posts(url: str, tag: str, connections: int) -> Callable[[int], float]:
        def measure(pair: int) -> float:
            bodies = (_post_body(f"P6B_{tag}{connections}_{pair}_{i:05d}") for i in range(POSTS))
            requests = [_request(url, "POST", poster, body) for body in bodies]
            return asyncio.run(_p99_ms(url, requests, connections))

        return measure

    for connections in (POST_CONNECTIONS, 2 * POST_CONNECTIONS):
        posts(url_a, "W", connections)(0), posts(url_b, "W", connections)(0)  # warm up
        a, b, ratio = _pairs(posts(url_a, "A", connections), posts(url_b, "B", connections))
        label = "P6b" if connections == POST_CONNECTIONS else "   "
        verdict = "meets" if a <= P6B_GOAL_MS else "MISSES"
        goal = f" (≤ {P6B_GOAL_MS:.0f} ms, {verdict})" if label.strip() else " (information)"
        print(
            f"{label} POST /secrets p99, {connections:2} connections: serve {a:5.1f} ms"
            f" vs bare Starlette {b:5.1f} ms ({ratio:4.1f}×): {a / P6B_GOAL_MS:4.2f}× the"
            f" goal{goal}"
        )


if __name__ == "__main__":
    main()

"""The reference server in a background thread of this process.

`amika-tui --local` runs it here, and so do the tests and benchmarks (through
`amika_tui.server.testing`, which adds views for them):

with run_embedded(data_dir) as server:
    httpx.get(f"{server.url}/api/v0beta1/secrets",
              headers={"Authorization": f"Bearer {server.api_key}"})
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from amika_tui.server.app import ServerState, create_app
from amika_tui.server.faults import Faults
from amika_tui.server.listen import bind_socket, url_for, uvicorn_config
from amika_tui.server.listing_cache import MAX_CACHED_BYTES
from amika_tui.server.runtime import ensure_dev_key, open_state

__all__ = ["EmbeddedServer", "run_embedded"]


class EmbeddedServer:
    """A live server: its URL, the default user's key, its data dir and its state."""

    def __init__(self, url: str, api_key: str, data_dir: Path, state: ServerState) -> None:
        self.url = url
        """Host root, e.g. `http://127.0.0.1:54321` (clients append `/api/v0beta1`)."""
        self.api_key = api_key
        """Key of the default user (`dev@example.com`, org `default`)."""
        self.data_dir = data_dir
        """Directory of the database, the encryption key and `dev-api-key`."""
        self.state = state
        """What the running app serves from: store, fault knobs, keys."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, data_dir={str(self.data_dir)!r})"


def _wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"reference server: timed out waiting for {what}")
        time.sleep(0.002)


@contextmanager
def run_embedded(
    data_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    jwt_exchange: bool = True,
    listing_cache_bytes: int = MAX_CACHED_BYTES,
) -> Iterator[EmbeddedServer]:
    """Start the server on `host:port` (0 = a free port) in a thread; stop it on exit.

    Without `data_dir` the data lives in a temporary directory, removed on exit.
    `jwt_exchange=False` runs it without `POST /auth/jwt` (404), like an older server.
    `listing_cache_bytes`: see `Store` (`amika-tui --local` keeps none).

    Raises:
        RuntimeError: The server did not start.
    """
    with tempfile.TemporaryDirectory(prefix="amika-server-") as scratch:
        root = Path(scratch) if data_dir is None else data_dir
        state = open_state(
            root, faults, jwt_exchange=jwt_exchange, listing_cache_bytes=listing_cache_bytes
        )
        store = state.store
        try:
            api_key, _ = ensure_dev_key(store, root)
            sock = bind_socket(host, port)
            state.public_url = url_for(host, sock.getsockname()[1])
            config = uvicorn_config(
                create_app(state), log_level="warning", timeout_graceful_shutdown=2
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(
                target=server.run, kwargs={"sockets": [sock]}, name="amika-server", daemon=True
            )
            thread.start()
            try:
                _wait_until(lambda: server.started or not thread.is_alive(), 10.0, "server start")
                if not server.started:
                    raise RuntimeError("reference server failed to start")
                yield EmbeddedServer(state.public_url, api_key, root, state)
            finally:
                server.should_exit = True
                thread.join(timeout=10.0)
                sock.close()
        finally:
            store.close()

"""`amika-tui serve`: run the Amika-compatible reference server; `serve keys create`."""

from __future__ import annotations

import argparse
import gc
import ipaddress
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import uvicorn

from amika_tui.server.keys import ENV_KEY_FILE, KeyFileError
from amika_tui.server.listen import bind_socket, url_for, uvicorn_config
from amika_tui.server.runtime import (
    DEFAULT_EMAIL,
    DEFAULT_ORG,
    ensure_dev_key,
    open_state,
    open_store,
)

DEFAULT_PORT = 8787
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def default_data_dir() -> Path:
    """`<user data dir>/amika-tui/server` (XDG on Linux)."""
    return Path(platformdirs.user_data_dir("amika-tui")) / "server"


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def _public_url(text: str) -> str:
    scheme, _, rest = text.partition("://")
    if scheme not in ("http", "https") or not rest.strip("/"):
        raise argparse.ArgumentTypeError("must be an http(s) URL such as https://amika.example")
    return text.rstrip("/")


def _key_file_argument(parser: Any, dest: str = "key_file") -> None:
    parser.add_argument(
        "--key-file",
        type=Path,
        default=None,
        dest=dest,
        metavar="PATH",
        help=(
            "keep both keys (encryption and token signing) in this file instead of the data"
            f" dir (default: ${ENV_KEY_FILE}, else secret.key and jwt-signing.key in the"
            " data dir)"
        ),
    )


def _key_file(path: Path | None) -> Path | None:
    if path is not None:
        return path
    from_env = os.environ.get(ENV_KEY_FILE, "").strip()
    return Path(from_env) if from_env else None


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_parser(subparsers: Any) -> None:
    """Declare `serve` and `serve keys create`."""
    parser = subparsers.add_parser(
        "serve",
        help="run the Amika-compatible reference server",
        description="Run an Amika-compatible secrets API on loopback (SQLite storage).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=_non_negative_int, default=DEFAULT_PORT, help="port (default: 8787)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help=f"storage dir (default: {default_data_dir()})"
    )
    _key_file_argument(parser)
    parser.add_argument(
        "--public-url",
        type=_public_url,
        default=None,
        metavar="URL",
        help=(
            "the URL clients reach this server at; tokens may name it as their audience"
            " (default: the bind address, e.g. http://127.0.0.1:8787)"
        ),
    )
    parser.add_argument(
        "--no-jwt-exchange",
        dest="jwt_exchange",
        action="store_false",
        help="serve no POST /api/v0beta1/auth/jwt (404), like a server without the exchange",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="print a line per request (method, path, status; off by default: it costs CPU)",
    )
    faults = parser.add_argument_group("fault injection (off by default)")
    faults.add_argument("--latency-ms", type=_non_negative_int, default=0, metavar="N")
    faults.add_argument(
        "--fail-rate", type=_probability, default=0.0, metavar="P", help="503 before doing anything"
    )
    faults.add_argument(
        "--fail-retry-after",
        type=_non_negative_int,
        default=None,
        metavar="S",
        help="the --fail-rate 503s carry Retry-After: S (down for maintenance, say)",
    )
    faults.add_argument(
        "--fail-after-commit-rate",
        type=_probability,
        default=0.0,
        metavar="P",
        help="commit the write, then answer 503",
    )
    faults.add_argument(
        "--drop-after-commit-rate",
        type=_probability,
        default=0.0,
        metavar="P",
        help="commit the write, then close the connection without an answer",
    )
    faults.add_argument(
        "--rate-limit",
        type=_positive_float,
        default=None,
        metavar="N",
        help="requests/second per key (429 with Retry-After)",
    )
    commands = parser.add_subparsers(dest="serve_command", metavar="COMMAND")
    keys = commands.add_parser("keys", help="manage API keys")
    key_commands = keys.add_subparsers(dest="keys_command", metavar="COMMAND", required=True)
    create = key_commands.add_parser("create", help="create a user's API key and print it")
    create.add_argument("--email", required=True)
    create.add_argument("--org", required=True)
    create.add_argument("--data-dir", type=Path, default=None, dest="keys_data_dir")
    _key_file_argument(create, dest="keys_key_file")


def run(args: argparse.Namespace) -> int:
    """Run `serve` (or `serve keys create`)."""
    if getattr(args, "serve_command", None) == "keys":
        data_dir = args.keys_data_dir or args.data_dir or default_data_dir()
        key_file = _key_file(args.keys_key_file or args.key_file)
        return _create_key(data_dir, key_file, args.email, args.org)
    try:
        return _serve(args)
    except KeyFileError as exc:
        print(f"amika-tui serve: {exc}", file=sys.stderr)
        return 1


def _create_key(data_dir: Path, key_file: Path | None, email: str, org: str) -> int:
    try:
        store = open_store(data_dir, key_file, warn=_warn)
    except KeyFileError as exc:
        print(f"amika-tui serve keys create: {exc}", file=sys.stderr)
        return 1
    try:
        key = store.create_api_key(email, org)
    except ValueError as exc:
        print(f"amika-tui serve keys create: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(key)
    return 0


class _QuietExitServer(uvicorn.Server):
    """Signal handling owned by `_serve` (uvicorn's own re-raises the signal on exit);
    `on_ready` runs once the socket accepts connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_ready()


@contextmanager
def _stop_on_signals(server: uvicorn.Server) -> Iterator[None]:
    """SIGINT/SIGTERM ask `server` to shut down gracefully (installed before the banner)."""
    previous = {sig: signal.signal(sig, server.handle_exit) for sig in _STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace) -> int:
    from amika_tui.server.app import create_app
    from amika_tui.server.faults import Faults, RequestLog

    data_dir: Path = args.data_dir or default_data_dir()
    faults = Faults(
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        fail_retry_after=args.fail_retry_after,
        fail_after_commit_rate=args.fail_after_commit_rate,
        drop_after_commit_rate=args.drop_after_commit_rate,
        rate_limit=args.rate_limit,
    )
    state = open_state(
        data_dir,
        faults,
        jwt_exchange=args.jwt_exchange,
        key_file=_key_file(args.key_file),
        warn=_warn,
    )
    # the request log is a view for tests (`amika_tui.server.testing`); kept here, its
    # 100,000 entries would only slow the garbage collector down
    state.request_log = RequestLog(maxlen=0)
    store = state.store
    try:
        _, minted = ensure_dev_key(store, data_dir)
        try:
            sock = bind_socket(args.host, args.port)
        except OSError as exc:
            print(f"amika-tui serve: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        url = url_for(args.host, sock.getsockname()[1])
        state.public_url = args.public_url or url
        if not _is_loopback(args.host):
            print(
                f"warning: listening on {args.host}, not loopback: the API is reachable"
                " from other machines over plain HTTP",
                file=sys.stderr,
            )
        key_file = data_dir / "dev-api-key"
        lines = [f"amika-tui reference server listening on {url}", f"data dir: {data_dir}"]
        if minted:
            lines.append(
                f"created user {DEFAULT_EMAIL} (org {DEFAULT_ORG!r}); its API key is in {key_file}"
            )
        lines += [
            "point amika / amika-tui at it with:",
            f"  export AMIKA_API_URL={url}",
            f'  export AMIKA_API_KEY="$(cat {key_file})"',
            "more keys: amika-tui serve keys create --email E --org O"
            + (f" --data-dir {data_dir}" if args.data_dir else ""),
        ]
        config = uvicorn_config(create_app(state), access_log=args.access_log)
        # The banner is the readiness signal: a script may connect as soon as it reads it.
        server = _QuietExitServer(config, on_ready=lambda: print("\n".join(lines), flush=True))
        with _stop_on_signals(server):
            # what start-up made lives as long as the server: keep it out of the garbage
            # collector's full passes, which stall every request in flight while they run
            gc.freeze()
            server.run(sockets=[sock])
        print("amika-tui reference server stopped", flush=True)
        return 0
    finally:
        store.close()

"""How the server listens: its socket and its uvicorn settings, shared by `serve`,
`amika-tui --local` (`embedded`) and the benchmarks' bare-Starlette baseline."""

from __future__ import annotations

import socket

import uvicorn
from starlette.types import ASGIApp


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` (0: a free port) and listening, so a client may
    connect as soon as the URL is printed (uvicorn accepts once it has started).

    Raises:
        OSError: The address cannot be bound.
    """
    # asyncio sets TCP_NODELAY only when proto says TCP (else 40 ms per keep-alive request)
    sock = socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
    )
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # uvicorn's default backlog
    except OSError:
        sock.close()
        raise
    return sock


def url_for(host: str, port: int) -> str:
    """`http://host:port`, an IPv6 host in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def uvicorn_config(
    app: ASGIApp,
    *,
    access_log: bool = False,
    log_level: str = "info",
    timeout_graceful_shutdown: int = 5,
) -> uvicorn.Config:
    """The uvicorn settings the server runs with.

    The access log is off unless asked for: one line per request cost 8-16 % of the
    server's CPU under load.
    """
    return uvicorn.Config(
        app,
        lifespan="off",
        access_log=access_log,
        log_level=log_level,
        timeout_graceful_shutdown=timeout_graceful_shutdown,
    )

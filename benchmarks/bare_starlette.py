"""The floor `bench_server` measures the reference server against: a bare Starlette app
that answers fixed bytes, with the same socket and uvicorn settings as `amika-tui serve`.

Run: ``python -m benchmarks.bare_starlette LISTING_FILE CREATED_FILE`` prints
``listening on http://127.0.0.1:PORT``. ``GET /api/v0beta1/secrets`` answers LISTING_FILE's
bytes; ``POST /api/v0beta1/secrets`` reads the request body and answers 201 with
CREATED_FILE's bytes. No authentication, no database, no middleware.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from amika_tui.server.listen import bind_socket, url_for, uvicorn_config


def bare_app(listing: bytes, created: bytes) -> Starlette:
    """GET answers `listing`, POST answers 201 `created`."""

    async def secrets(request: Request) -> Response:
        if request.method == "GET":
            return Response(listing, media_type="application/json")
        await request.body()
        return Response(created, status_code=201, media_type="application/json")

    return Starlette(routes=[Route("/api/v0beta1/secrets", secrets, methods=["GET", "POST"])])


def main() -> None:
    """Serve on a free loopback port until SIGTERM."""
    listing, created = (Path(name).read_bytes() for name in sys.argv[1:3])
    sock = bind_socket("127.0.0.1", 0)
    print(f"listening on {url_for('127.0.0.1', sock.getsockname()[1])}", flush=True)
    uvicorn.Server(uvicorn_config(bare_app(listing, created))).run(sockets=[sock])


if __name__ == "__main__":
    main()

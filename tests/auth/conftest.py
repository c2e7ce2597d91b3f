"""Credential test helpers: the state dir, hand-made JWTs, and a local WorkOS stub server."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.api.stub_http import serve_asgi

CLI_SESSION_FIELDS = [
    "access_token",
    "refresh_token",
    "user_id",
    "email",
    "organization_id",
    "expires_at",
]
"""The Go CLI's `workos-session.json` fields, in the order it writes them."""


def make_jwt(exp: float, **claims: Any) -> str:
    """An unsigned-looking JWT whose payload carries `exp` (the CLI never verifies it)."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part({'exp': int(exp), **claims})}.c2ln"


@pytest.fixture
def state_dir() -> Path:
    """The credential directory the autouse environment fixture points at."""
    return Path(os.environ["AMIKA_STATE_DIRECTORY"])


def write_session(
    state_dir: Path,
    *,
    expires_in: float = 3600,
    access_token: str | None = None,
    refresh_token: str = "refresh-token-1-secret",
    email: str = "ada@example.com",
    org: str = "org_01ADA",
    **extra: Any,
) -> dict[str, Any]:
    """Write `workos-session.json` as the Go CLI does; return what was written."""
    exp = time.time() + expires_in
    data: dict[str, Any] = {
        "access_token": access_token or make_jwt(exp, sub="user_01ADA"),
        "refresh_token": refresh_token,
        "user_id": "user_01ADA",
        "email": email,
        "organization_id": org,
        # Go marshals time.Unix() in local time with an offset.
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(exp)),
        **extra,
    }
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = state_dir / "workos-session.json"
    path.write_text(json.dumps(data, indent=2))
    path.chmod(0o600)
    return data


@dataclass
class WorkOSStub:
    """A local stand-in for `https://api.workos.com` (third party, so stubbing is fine)."""

    url: str
    requests: list[dict[str, str]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def answer(self, status: int, body: dict[str, Any]) -> None:
        """Queue an answer; the last one repeats."""
        self.answers.append((status, body))

    def refreshed(self, *, expires_in: float = 3600, refresh_token: str = "refresh-token-2") -> str:
        """Queue a successful refresh; return its new access token."""
        token = make_jwt(time.time() + expires_in, sub="user_01ADA", n=len(self.answers))
        self.answer(
            200,
            {
                "access_token": token,
                "refresh_token": refresh_token,
                "user": {"id": "user_01ADA", "email": "ada@example.com"},
                "organization_id": "org_01ADA",
            },
        )
        return token


@pytest.fixture(scope="session")
def _workos_server() -> Iterator[tuple[str, list[WorkOSStub]]]:
    current: list[WorkOSStub] = []

    async def endpoint(request: Request) -> Response:
        stub = current[0]
        form = dict(parse_qsl((await request.body()).decode()))
        stub.requests.append(
            {
                "path": request.url.path,
                "content_type": request.headers.get("content-type", ""),
                **form,
            }
        )
        if not stub.answers:
            return JSONResponse({"error": "server_error"}, status_code=500)
        status, body = stub.answers.pop(0) if len(stub.answers) > 1 else stub.answers[0]
        return JSONResponse(body, status_code=status)

    app = Starlette(
        routes=[
            Route("/user_management/authenticate", endpoint, methods=["POST"]),
            Route("/user_management/authorize/device", endpoint, methods=["POST"]),
        ]
    )
    with serve_asgi(app) as url:
        yield url, current


@pytest.fixture
def workos(
    _workos_server: tuple[str, list[WorkOSStub]], monkeypatch: pytest.MonkeyPatch
) -> WorkOSStub:
    """A fresh WorkOS stub; `AMIKA_WORKOS_API_URL` points at it."""
    url, current = _workos_server
    stub = WorkOSStub(url)
    current[:] = [stub]
    monkeypatch.setenv("AMIKA_WORKOS_API_URL", url)
    return stub

"""The Starlette application: routes of `amika-reference.md` section 1."""

from __future__ import annotations

import asyncio
import math
import random
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amika_tui.server import validation as v
from amika_tui.server.auth import (
    DEFAULT_JWT_LIFETIME_S,
    MAX_JWT_LIFETIME_S,
    PERMISSIONS,
    Authenticator,
    Caller,
)
from amika_tui.server.drain import DrainUnreadBody
from amika_tui.server.errors import ApiError, error_response
from amika_tui.server.faults import Faults, RateLimiter, RequestLog, RequestLogEntry
from amika_tui.server.openapi import openapi_document
from amika_tui.server.store import ConflictError, Store

_T = TypeVar("_T")

API_PREFIX = "/api/v0beta1"
PROVIDERS: tuple[str, ...] = ("claude", "codex", "github")

# scope keys: the handler asks for a dropped connection; _AbortableApp provides the means
_DROP_CONNECTION = "amika.drop_connection"
_ABORT_CONNECTION = "amika.abort_connection"

_ONE_SEGMENT = re.compile(rf"^{API_PREFIX}/secrets/([^/]+)/?$")
_TWO_SEGMENTS = re.compile(rf"^{API_PREFIX}/secrets/([^/]+)/([^/]+)/?$")


class ListingResponse(Response):
    """The JSON body of `GET /secrets` (`Store.secrets_listing`'s pieces), sent a piece
    at a time, each once the socket took the one before (uvicorn's flow control); a piece
    is dropped once sent.

    A server without a listing cache (`--local`) has the listing in pieces of a batch of
    rows, so it never holds the whole body while its client builds the listing; a cached
    body is one piece, sent in one go (slicing it cost a copy of the body per request).
    """

    media_type = "application/json"

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces
        super().__init__(headers={"content-length": str(sum(len(piece) for piece in pieces))})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        pieces = self._pieces
        last = len(pieces) - 1
        for index, piece in enumerate(pieces):
            pieces[index] = b""  # this copy goes once sent (a cached body stays cached)
            await send({"type": "http.response.body", "body": piece, "more_body": index < last})
            del piece


@dataclass
class ServerState:
    """Everything the app shares: storage, knobs, log."""

    store: Store
    faults: Faults = field(default_factory=Faults)
    request_log: RequestLog = field(default_factory=RequestLog)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    rng: random.Random = field(default_factory=random.Random)
    jwt_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    jwt_lifetime_s: int = DEFAULT_JWT_LIFETIME_S
    jwt_exchange: bool = True  # False: no `POST /auth/jwt` route (an older server)
    public_url: str = ""  # the URL root tokens may name as audience; set before serving

    def now(self) -> datetime:
        """The server's clock: system time plus the `Faults.clock_offset_s` knob."""
        return datetime.now(UTC) + timedelta(seconds=self.faults.clock_offset_s)


class SecretsApi:
    """Route handlers over one `ServerState`."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.auth = Authenticator(state.store, state.jwt_key, state.public_url, clock=state.now)

    async def _as_caller(
        self, request: Request, work: Callable[[Caller], _T], permission: str | None = None
    ) -> _T:
        """`work(caller)` for the authenticated caller, checked for `permission`: both in
        one call to a database thread (the request's only one)."""
        return await self.state.store.run(self._checked_work, request, permission, work)

    def _checked_work(
        self, request: Request, permission: str | None, work: Callable[[Caller], _T]
    ) -> _T:
        caller = self._identify(request)
        if permission is not None and permission not in caller.permissions:
            raise ApiError(
                403,
                "insufficient_permissions",
                f"this token lacks the {permission} permission",
            )
        return work(caller)

    def _identify(self, request: Request) -> Caller:
        """The caller, within the rate limit knob (in a database thread).

        The limit is per principal: the API key behind a key or a token minted from it
        (else the user). A request without a valid token is limited per client address,
        which keeps no state per token; while that address is over its limit, even its
        valid requests wait, which slows guessing keys from it.
        """
        limit = self.state.faults.rate_limit
        if limit is not None:
            self._within_limit(_address_bucket(request), limit, take=False)
        try:
            caller = self.auth.identify(request)
        except ApiError as exc:
            if exc.status == 401 and limit is not None:
                self._within_limit(_address_bucket(request), limit)
            raise
        self._count(caller)
        return caller

    def _count(self, caller: Caller) -> None:
        """Take one request from the caller's rate limit (429 when over it)."""
        limit = self.state.faults.rate_limit
        if limit is not None:
            principal = caller.principal
            key = f"key:{principal.key_id}" if principal.key_id else f"user:{principal.user_id}"
            self._within_limit(key, limit)

    def _fresh_listing(self, request: Request) -> list[bytes] | None:
        """`GET /secrets` answered from memory, on the event loop, when that is exactly
        what the database thread would answer: a remembered caller allowed to read, within
        its rate limit, a cached listing with nothing committed since it was checked, and
        no held listing. Else None (the database thread answers)."""
        if self.state.faults.hold_next_listing is not None:
            return None
        limit = self.state.faults.rate_limit
        if limit is not None:
            self._within_limit(_address_bucket(request), limit, take=False)
        caller = self.auth.remembered(request)
        if caller is None or "secrets:read" not in caller.permissions:
            return None
        listing = self.state.store.fresh_listing(caller.principal)
        if listing is not None:
            self._count(caller)
        return listing

    def _within_limit(self, bucket: str, rate: float, *, take: bool = True) -> None:
        wait = self.state.limiter.check(bucket, rate, take=take)
        if wait is not None:
            retry_after = str(max(1, math.ceil(wait)))
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests; retry after {retry_after} s",
                headers={"Retry-After": retry_after},
            )

    def _after_commit(self, request: Request) -> None:
        """The after-commit knobs: the write is stored, then a 503 or a dropped connection."""
        faults = self.state.faults
        rate = faults.fail_after_commit_rate
        if rate > 0 and self.state.rng.random() < rate:
            raise ApiError(503, "service_unavailable", "injected failure after commit")
        rate = faults.drop_after_commit_rate
        if rate > 0 and self.state.rng.random() < rate:
            request.scope[_DROP_CONNECTION] = True  # FaultsMiddleware aborts instead of answering

    async def secrets(self, request: Request) -> Response:
        """GET (list) and POST (create) `/secrets`."""
        store = self.state.store
        if request.method == "GET":
            listing = self._fresh_listing(request)
            if listing is None:
                listing = await self._as_caller(request, self._list_secrets, "secrets:read")
            return ListingResponse(listing)
        raw = await v.read_body(request)

        def create(caller: Caller) -> dict[str, Any]:
            body = v.json_object(raw)
            name = v.name_field(body)
            value = v.value_field(body)
            scope = v.scope_field(body)
            description = v.description_field(body)
            try:
                return store.create_secret(caller.principal, name, value, scope, description)
            except ConflictError:
                article = "an" if scope == "org" else "a"
                raise ApiError(
                    409,
                    "secret_already_exists",
                    f"{article} {scope}-scoped secret named {name!r} already exists",
                ) from None

        summary = await self._as_caller(request, create, "secrets:write")
        self._after_commit(request)
        return JSONResponse(summary, status_code=201)

    def _list_secrets(self, caller: Caller) -> list[bytes]:
        """The listing, in a database thread (held there by the `hold_next_listing` knob)."""
        gate = self.state.faults.take_listing_gate()
        if gate is not None:
            gate.hold()
        return self.state.store.secrets_listing(caller.principal)

    async def update_secret(self, request: Request) -> Response:
        """PUT `/secrets/{secret_id}`: replace the value."""
        secret_id = request.path_params["secret_id"]
        raw = await v.read_body(request)

        def update(caller: Caller) -> dict[str, Any]:
            value = v.value_field(v.json_object(raw))
            summary = self.state.store.update_secret(caller.principal, secret_id, value)
            if summary is None:
                raise ApiError(404, "secret_not_found", f"no secret with id {secret_id!r}")
            return summary

        summary = await self._as_caller(request, update, "secrets:write")
        self._after_commit(request)
        return JSONResponse(summary)

    async def provider_secrets(self, request: Request) -> Response:
        """GET (list) and POST (create) `/secrets/{provider}`."""
        provider = _provider_of(request.url.path)
        store = self.state.store
        if request.method == "GET":
            listed = await self._as_caller(
                request,
                lambda caller: store.list_provider_secrets(caller.principal, provider),
                "providers:read",
            )
            return JSONResponse(listed)
        raw = await v.read_body(request)

        def create(caller: Caller) -> dict[str, Any]:
            body = v.json_object(raw)
            name = v.name_field(body)
            kind = v.type_field(body)
            value = v.value_field(body, allow_empty=False)
            scope = v.scope_field(body)
            if kind == "oauth":
                v.oauth_value_is_json(value)
            try:
                return store.create_provider_secret(
                    caller.principal, provider, name, value, kind, scope
                )
            except ConflictError:
                if scope == "org":
                    message = (
                        f"the org already has an org-scoped {provider} credential;"
                        " delete it first or use scope=user"
                    )
                else:
                    message = f"a user-scoped {provider} credential named {name!r} already exists"
                raise ApiError(409, "credential_already_exists", message) from None

        created = await self._as_caller(request, create, "providers:write")
        self._after_commit(request)
        return JSONResponse(created, status_code=201)

    async def delete_provider_secret(self, request: Request) -> Response:
        """DELETE `/secrets/{provider}/{credential_id}`."""
        provider = _provider_of(request.url.path)
        credential_id = request.path_params["credential_id"]

        def delete(caller: Caller) -> None:
            store = self.state.store
            if not store.delete_provider_secret(caller.principal, provider, credential_id):
                raise ApiError(
                    404,
                    "credential_not_found",
                    f"no {provider} credential with id {credential_id!r}",
                )

        await self._as_caller(request, delete, "providers:delete")
        self._after_commit(request)
        return Response(status_code=204)

    async def exchange_jwt(self, request: Request) -> Response:
        """POST `/auth/jwt`: an API key buys a short-lived JWT with chosen permissions."""
        raw = await v.read_body(request)
        caller = await self._as_caller(request, lambda caller: caller)
        if caller.via_jwt:
            raise ApiError(403, "api_key_required", "only an API key can be exchanged for a token")
        body = v.json_object(raw)
        audience = body.get("audience")
        if not isinstance(audience, str) or not 1 <= len(audience) <= 512:
            raise ApiError(400, "invalid_audience", "audience must be a string of 1-512 characters")
        permissions = body.get("permissions")
        if (
            not isinstance(permissions, list)
            or not permissions
            or not all(isinstance(p, str) for p in permissions)
        ):
            raise ApiError(
                400, "invalid_permissions", "permissions must be a non-empty list of strings"
            )
        unknown = sorted(set(permissions) - set(PERMISSIONS))
        if unknown:
            raise ApiError(
                400,
                "invalid_permissions",
                f"unknown permissions {', '.join(unknown)} (known: {', '.join(PERMISSIONS)})",
            )
        external_user_id = body.get("external_user_id")
        if external_user_id is not None and (
            not isinstance(external_user_id, str) or len(external_user_id) > 256
        ):
            raise ApiError(
                400, "invalid_external_user_id", "external_user_id must be a string of <= 256"
            )
        lifetime = body.get("expires_in", self.state.jwt_lifetime_s)
        if (
            isinstance(lifetime, bool)
            or not isinstance(lifetime, int)
            or not 1 <= lifetime <= MAX_JWT_LIFETIME_S
        ):
            raise ApiError(
                400, "invalid_expires_in", f"expires_in must be 1-{MAX_JWT_LIFETIME_S} seconds"
            )
        issued = self.auth.issue(
            caller.principal,
            audience=audience,
            permissions=tuple(dict.fromkeys(permissions)),
            lifetime_s=lifetime,
            external_user_id=external_user_id,
        )
        return JSONResponse(
            {"token": issued.token, "expires_at": rfc3339_seconds(issued.expires_at)}
        )

    async def openapi(self, request: Request) -> Response:
        """GET `/api/openapi.json`."""
        return JSONResponse(openapi_document(PROVIDERS, jwt_exchange=self.state.jwt_exchange))

    def routes(self) -> list[Route]:
        """The router table; `openapi_document` describes exactly these."""
        routes = [
            Route("/api/openapi.json", self.openapi, methods=["GET"]),
            Route(f"{API_PREFIX}/secrets", self.secrets, methods=["GET", "POST"]),
        ]
        for provider in PROVIDERS:
            routes.append(
                Route(
                    f"{API_PREFIX}/secrets/{provider}",
                    self.provider_secrets,
                    methods=["GET", "POST"],
                )
            )
            routes.append(
                Route(
                    f"{API_PREFIX}/secrets/{provider}/{{credential_id}}",
                    self.delete_provider_secret,
                    methods=["DELETE"],
                )
            )
        routes.append(
            Route(f"{API_PREFIX}/secrets/{{secret_id}}", self.update_secret, methods=["PUT"])
        )
        if self.state.jwt_exchange:
            routes.append(Route(f"{API_PREFIX}/auth/jwt", self.exchange_jwt, methods=["POST"]))
        return routes


def rfc3339_seconds(moment: datetime) -> str:
    """RFC 3339 UTC, whole seconds, `Z` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _provider_of(path: str) -> str:
    return path[len(API_PREFIX) + len("/secrets/") :].split("/", 1)[0]


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Router 404/405 in the envelope; unknown provider segments are 404s."""
    assert isinstance(exc, HTTPException)
    method, path = request.method, request.url.path
    one = _ONE_SEGMENT.match(path)
    two = _TWO_SEGMENTS.match(path)
    segment: str | None = None
    if one and method in ("GET", "POST", "HEAD"):
        segment = one.group(1)  # the provider list/create path
    elif two:
        segment = two.group(1)  # the provider delete path
    if segment is not None and segment not in PROVIDERS:
        return error_response(
            404,
            "provider_not_found",
            f"unknown provider {segment!r} (known: {', '.join(PROVIDERS)})",
        )
    if exc.status_code == 405:
        message = f"{method} is not allowed on {path}"
        if one and method == "DELETE":
            message = "generic secrets cannot be deleted"
        return error_response(405, "method_not_allowed", message, exc.headers)
    if exc.status_code == 404:
        return error_response(404, "not_found", f"no route for {method} {path}")
    return error_response(exc.status_code, "http_error", str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # never echo the exception text: it could hold request data
    return error_response(500, "internal_error", "internal server error")


class FaultsMiddleware:
    """Latency and fail-rate 503s, plus the request log (rate limits: `SecretsApi`)."""

    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        log: dict[str, Any] = {"status": 500, "user": None, "key_id": None, "logged": False}
        scope["amika.log"] = log

        def record() -> None:
            if not log["logged"]:
                log["logged"] = True
                self.state.request_log.append(
                    RequestLogEntry(
                        method=scope["method"],
                        path=scope["path"],
                        status=int(log["status"]),
                        user=log["user"],
                        key_id=log["key_id"],
                    )
                )

        async def send_and_record(message: Message) -> None:
            if scope.get(_DROP_CONNECTION):
                if log["status"] != 0:  # once per request
                    abort = self._abort_of(scope)
                    log["status"] = 0
                    record()  # before the client can see the drop, like answers
                    await abort()
                return  # swallow the answer: the client never sees it
            if message["type"] == "http.response.start":
                log["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # logged before the client can see the end of the answer, so a test
                # that just got its response always finds the entry
                record()
            await send(message)

        try:
            response = self._injected_fault(scope)
            if self.state.faults.latency_ms > 0:
                await asyncio.sleep(self.state.faults.latency_ms / 1000)
            if response is None:
                await self.app(scope, receive, send_and_record)
            else:
                await response(scope, receive, send_and_record)
        finally:
            record()

    @staticmethod
    def _abort_of(scope: Scope) -> Callable[[], Awaitable[None]]:
        """What closes this request's connection without an answer."""
        abort: Callable[[], Awaitable[None]] | None = scope.get(_ABORT_CONNECTION)
        if abort is None:
            raise RuntimeError("drop_after_commit_rate needs uvicorn's HTTP protocol")
        return abort

    def _injected_fault(self, scope: Scope) -> Response | None:
        faults = self.state.faults
        if faults.fail_rate > 0 and self.state.rng.random() < faults.fail_rate:
            wait = faults.fail_retry_after
            headers = None if wait is None else {"Retry-After": str(wait)}
            return error_response(503, "service_unavailable", "injected failure", headers)
        return None


def _address_bucket(request: Request) -> str:
    """The rate-limit bucket of the request's client address."""
    client = request.scope.get("client")
    return "client:" + (str(client[0]) if client else "?")


class _AbortableApp(Starlette):
    """Starlette that lets a handler drop its connection (the drop-after-commit knob)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # uvicorn's `send` is a method of its request cycle, which holds the transport
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if scope["type"] == "http" and transport is not None:

            async def abort() -> None:
                transport.abort()  # close at once; buffered and later writes are discarded
                # let connection_lost run so uvicorn sees the disconnect, not a missing answer
                for _ in range(100):
                    if getattr(cycle, "disconnected", True):
                        break
                    await asyncio.sleep(0)

            scope[_ABORT_CONNECTION] = abort
        try:
            await super().__call__(scope, receive, send)
        finally:
            # scope -> abort -> uvicorn's cycle -> scope: a cycle per request left for the
            # garbage collector, whose full passes stall every request in flight
            scope.pop(_ABORT_CONNECTION, None)


def create_app(state: ServerState) -> Starlette:
    """The ASGI application over `state`."""
    api = SecretsApi(state)
    return _AbortableApp(
        routes=api.routes(),
        middleware=[Middleware(DrainUnreadBody), Middleware(FaultsMiddleware, state=state)],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )

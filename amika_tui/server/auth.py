"""Bearer authentication: API keys (every permission) and scoped HS256 JWTs.

A JWT comes from `POST /api/v0beta1/auth/jwt` in exchange for an API key. It
carries the permissions it was minted with and is accepted on every route
when its audience is `JWT_AUDIENCE` or the server's configured public URL
(`serve --public-url`, by default the bind address) — never a URL built from
the request's `Host` header, which the caller chooses.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from amika_tui.server.errors import ApiError
from amika_tui.server.store import Principal, Store

#: Every permission a scoped token may carry; API keys carry them all.
PERMISSIONS: tuple[str, ...] = (
    "secrets:read",
    "secrets:write",
    "providers:read",
    "providers:write",
    "providers:delete",
)
#: The audience this server accepts besides its public URL (e.g. `http://127.0.0.1:8787`).
JWT_AUDIENCE = "amika-api"
JWT_ISSUER = "amika-tui-reference-server"
JWT_ALGORITHM = "HS256"
DEFAULT_JWT_LIFETIME_S = 3600
MAX_JWT_LIFETIME_S = 24 * 3600

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def is_canonical_base64url(segment: str) -> bool:
    """True for unpadded base64url that is the one encoding of its bytes (RFC 7515)."""
    if not _BASE64URL.fullmatch(segment) or len(segment) % 4 == 1:
        return False
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") == segment


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller and what it may do."""

    principal: Principal
    permissions: frozenset[str]
    via_jwt: bool


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A minted JWT and its expiry."""

    token: str = field(repr=False)
    expires_at: datetime


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, or None."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


class Authenticator:
    """Turns a request's bearer token into a `Caller` (or a 401/403 `ApiError`).

    `clock` is the server's time (system time unless given): tokens are issued and expire
    by it.
    """

    def __init__(
        self,
        store: Store,
        jwt_key: bytes,
        public_url: str = "",
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self._jwt_key = jwt_key
        self._audiences = [JWT_AUDIENCE] + ([public_url.rstrip("/")] if public_url else [])
        self._clock = clock or (lambda: datetime.now(UTC))

    def issue(
        self,
        principal: Principal,
        *,
        audience: str,
        permissions: tuple[str, ...],
        lifetime_s: int = DEFAULT_JWT_LIFETIME_S,
        external_user_id: str | None = None,
        now: datetime | None = None,
    ) -> IssuedToken:
        """Sign a JWT for `principal` limited to `permissions` and `audience`."""
        issued = (now or self._clock()).replace(microsecond=0)
        expires = issued + timedelta(seconds=lifetime_s)
        claims: dict[str, Any] = {
            "iss": JWT_ISSUER,
            "sub": principal.user_id,
            "aud": audience,
            "iat": int(issued.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": uuid.uuid4().hex,
            "org_id": principal.org_id,
            "key_id": principal.key_id,
            "permissions": list(permissions),
        }
        if external_user_id is not None:
            claims["external_user_id"] = external_user_id
        import jwt  # on first use: PyJWT loads cryptography's x509 and key types (~0.1 s)

        token = jwt.encode(claims, self._jwt_key, algorithm=JWT_ALGORITHM)
        return IssuedToken(token, expires)

    def caller(self, request: Request) -> Caller:
        """The authenticated caller of `request`."""
        token = bearer_token(request)
        if token is None:
            raise ApiError(
                401, "unauthorized", "missing bearer token (Authorization: Bearer <api key>)"
            )
        if _looks_like_jwt(token):
            return self._jwt_caller(token)
        principal = self._store.principal_for_key(token)
        if principal is None:
            raise ApiError(401, "invalid_api_key", "the API key is not valid")
        return Caller(principal, frozenset(PERMISSIONS), via_jwt=False)

    def remembered(self, request: Request) -> Caller | None:
        """The caller of `request` when known without database work (recorded in the
        request log like `identify`), else None: then `identify`, in a database thread,
        finds the caller or the exact error."""
        token = bearer_token(request)
        if token is None:
            return None
        if _looks_like_jwt(token):
            try:
                user_id, key_id, permissions = self._verified(token)
            except ApiError:
                return None
            principal = self._store.remembered_user(user_id, key_id)
            caller = None if principal is None else Caller(principal, permissions, via_jwt=True)
        else:
            principal = self._store.remembered_key(token)
            caller = None if principal is None else Caller(principal, frozenset(PERMISSIONS), False)
        if caller is not None:
            _record(request, caller)
        return caller

    def _jwt_caller(self, token: str) -> Caller:
        user_id, key_id, permissions = self._verified(token)
        principal = self._store.principal_for_user(user_id, key_id)
        if principal is None:
            raise ApiError(401, "invalid_token", "the access token's user no longer exists")
        return Caller(principal, permissions, via_jwt=True)

    def _verified(self, token: str) -> tuple[str, str, frozenset[str]]:
        """Subject, key id and known permissions of a valid token (else a 401)."""
        if not all(is_canonical_base64url(part) for part in token.split(".")):
            raise ApiError(401, "invalid_token", "the access token is not valid")
        import jwt  # see `issue`

        try:
            claims = jwt.decode(
                token,
                self._jwt_key,
                algorithms=[JWT_ALGORITHM],
                audience=self._audiences,
                issuer=JWT_ISSUER,
                # pyjwt checks `exp` against system time minus `leeway`: this makes it the
                # server's clock. `iat` is by that clock too, so pyjwt must not check it.
                leeway=time.time() - self._clock().timestamp(),
                options={"require": ["exp", "iat", "sub", "aud", "iss"], "verify_iat": False},
            )
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "token_expired", "the access token has expired") from None
        except jwt.InvalidAudienceError:
            raise ApiError(
                401,
                "invalid_audience",
                "the access token's audience must be "
                + " or ".join(repr(audience) for audience in self._audiences),
            ) from None
        except jwt.InvalidTokenError:
            raise ApiError(401, "invalid_token", "the access token is not valid") from None
        permissions = claims.get("permissions")
        if not isinstance(permissions, list) or not all(isinstance(p, str) for p in permissions):
            raise ApiError(401, "invalid_token", "the access token is not valid")
        known = frozenset(permissions) & frozenset(PERMISSIONS)
        return str(claims["sub"]), str(claims.get("key_id") or ""), known

    def identify(self, request: Request) -> Caller:
        """The caller, also recorded in the request log."""
        caller = self.caller(request)
        _record(request, caller)
        return caller


def _record(request: Request, caller: Caller) -> None:
    """Name the caller in the request's log entry."""
    log = request.scope.get("amika.log")
    if isinstance(log, dict):
        log["user"] = caller.principal.email
        log["key_id"] = caller.principal.key_id

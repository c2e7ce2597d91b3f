"""The one exception tree of the Amika API client.

```
AmikaError
 ├─ AmikaHTTPError             non-2xx answer (status, body, code, message)
 │   ├─ ValidationError        400 / 422
 │   ├─ AuthenticationError    401
 │   ├─ PermissionDeniedError  403
 │   ├─ NotFoundError          404
 │   ├─ ConflictError          409
 │   ├─ RateLimitedError       429 (.retry_after)
 │   └─ ServerError            5xx
 ├─ AmikaTransportError        connection failure or timeout (.request_sent)
 ├─ AmikaResponseError         a 2xx answer whose body is not what the API promises
 └─ InsecureTransportError     a token refused over plain http to a non-loopback host
```

No message built here ever contains a token or a secret value: HTTP errors carry only the
server's answer, and the client never puts request bodies into errors.
"""

from __future__ import annotations

import json

__all__ = [
    "AmikaError",
    "AmikaHTTPError",
    "AmikaResponseError",
    "AmikaTransportError",
    "AuthenticationError",
    "ConflictError",
    "InsecureTransportError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "ValidationError",
    "error_for_status",
    "parse_error_envelope",
]

# Long error bodies (an HTML error page from a proxy, say) are cut in messages.
_MAX_BODY_CHARS = 500


class AmikaError(Exception):
    """Root of every error raised by the Amika API client."""

    def user_message(self) -> str:
        """One line fit to show a user."""
        return str(self)


# --- HTTP status errors -------------------------------------------------------------------


class AmikaHTTPError(AmikaError):
    """The server answered with a non-2xx status."""

    def __init__(
        self,
        status: int,
        body: str,
        code: str | None = None,
        message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        """HTTP status code."""
        self.retry_after = retry_after
        """Seconds the server asks us to wait, from the Retry-After header (a 429, or a 503
        during maintenance or overload), when given."""
        self.body = body
        """Raw response body (the server's text, never the request)."""
        self.code = code
        """Machine-readable error code from the envelope (`code` or older `error_code`)."""
        self.message = message
        """Human-readable message from the envelope."""
        super().__init__(f"HTTP {status}: {self.user_message()}")

    def user_message(self) -> str:
        """`"<code>: <message>"` from the error envelope, or the raw body when it is not one."""
        if self.code and self.message:
            return f"{self.code}: {self.message}"
        if self.message:
            return self.message
        if self.code:
            return self.code
        body = self.body.strip()
        if not body:
            return f"HTTP {self.status}"
        if len(body) > _MAX_BODY_CHARS:
            body = body[:_MAX_BODY_CHARS] + "…"
        return body

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, "
            f"message={self.message!r})"
        )


class ValidationError(AmikaHTTPError):
    """400/422: the server rejected the request as invalid."""


class AuthenticationError(AmikaHTTPError):
    """401: the token is missing, wrong or expired (also raised when a token source fails)."""


class PermissionDeniedError(AmikaHTTPError):
    """403: authenticated, but not allowed to do this."""


class NotFoundError(AmikaHTTPError):
    """404: no such secret, credential or provider."""


class ConflictError(AmikaHTTPError):
    """409: a secret or credential with that name (or an org credential) already exists."""


class RateLimitedError(AmikaHTTPError):
    """429: too many requests; `retry_after` is the server's hint in seconds, when given."""


class ServerError(AmikaHTTPError):
    """5xx: the server failed; a 503 may say when to come back (`retry_after`)."""


# --- Other failures ----------------------------------------------------------------------


class AmikaTransportError(AmikaError):
    """The request did not complete: connection failure, timeout or dropped connection."""

    def __init__(self, message: str, *, url: str, request_sent: bool) -> None:
        self.url = url
        """The URL that was being requested (never carries credentials)."""
        self.request_sent = request_sent
        """True when the request may have reached the server (read timeout, connection
        dropped after sending): a create may then have landed."""
        self.detail = message
        super().__init__(f"{message} ({url})")

    def user_message(self) -> str:
        """What failed and where; says when the outcome is unknown."""
        text = f"Could not reach the Amika API at {self.url}: {self.detail}"
        if self.request_sent:
            text += " (the request may have reached the server)"
        return text


class AmikaResponseError(AmikaError):
    """A 2xx answer whose body is not what the API promises (bad JSON, missing fields)."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        self.status = status
        self.url = url
        self.detail = message
        where = f" from {url}" if url else ""
        super().__init__(f"Unexpected response{where}: {message}")

    def user_message(self) -> str:
        """A one-line description of what was wrong with the answer."""
        return str(self)


class InsecureTransportError(AmikaError):
    """Refused to send a credential over plain http to a host that is not loopback."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.reason = (
            "tokens never travel over plain http except to this machine"
            " (localhost, 127.0.0.1, [::1]): use https"
        )
        """Why, without the URL."""
        super().__init__(f"Refusing to send credentials to {url}: {self.reason}")

    def user_message(self) -> str:
        """Names the URL and how to proceed."""
        return str(self)


# --- Mapping -----------------------------------------------------------------------------


def parse_error_envelope(body: str) -> tuple[str | None, str | None]:
    """Return `(code, message)` from `{"type","code"|"error_code","message"}`, else Nones."""
    try:
        data = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    code = data.get("code")
    if not isinstance(code, str) or not code:
        code = data.get("error_code")
    message = data.get("message")
    return (
        code if isinstance(code, str) and code else None,
        message if isinstance(message, str) and message else None,
    )


_BY_STATUS: dict[int, type[AmikaHTTPError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_for_status(status: int, body: str, *, retry_after: float | None = None) -> AmikaHTTPError:
    """Build the most specific error for a non-2xx status and its body."""
    code, message = parse_error_envelope(body)
    cls = ServerError if status >= 500 else _BY_STATUS.get(status, AmikaHTTPError)
    return cls(status, body, code, message, retry_after=retry_after)

"""The error envelope `{type, code, message}` every non-2xx answer carries."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

#: HTTP status -> envelope `type`.
ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
}


class ApiError(Exception):
    """An error answer: raised by handlers, rendered as the envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def envelope(status: int, code: str, message: str) -> dict[str, str]:
    """The JSON body of an error answer."""
    return {"type": ERROR_TYPES.get(status, "api_error"), "code": code, "message": message}


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A ready error response with the envelope body."""
    return JSONResponse(envelope(status, code, message), status_code=status, headers=headers)

"""Request body parsing and field validation (400 codes name the field)."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from amika_tui.server.errors import ApiError

MAX_BODY_BYTES = 1024 * 1024
MAX_VALUE_BYTES = 64 * 1024
MAX_NAME_CHARS = 256
MAX_DESCRIPTION_CHARS = 1024
SCOPES = ("user", "org")
CREDENTIAL_TYPES = ("oauth", "api_key")
NAME_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
"""Names hold no control characters (C0, DEL, C1); the OpenAPI document states it so."""
_NAME_CHARACTERS = re.compile(NAME_PATTERN)


async def read_body(request: Request) -> bytes | None:
    """The request body, or None when it is over 1 MiB (declared or sent): read before
    the caller is authenticated, refused (`json_object`) only after."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def json_object(body: bytes | None) -> dict[str, Any]:
    """A body of `read_body` as a JSON object; 413 when it was too large, 400 when it is
    not a JSON object."""
    if body is None:
        raise _too_large()
    data = _parse_json(body, "request body must be valid JSON")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "request body must be a JSON object")
    return data


def _parse_json(text: bytes | bytearray | str, invalid: str) -> Any:
    """JSON that is also valid Unicode: a lone surrogate (`"\\ud800"`) or nesting too
    deep to handle is a 400 `invalid_json`, like any other malformed JSON."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ApiError(400, "invalid_json", f"{invalid}: nested too deeply") from None
    except ValueError:
        raise ApiError(400, "invalid_json", invalid) from None
    try:
        # a string with a lone surrogate cannot be encoded, stored or answered
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(
            400, "invalid_json", f"{invalid}: text must not contain lone surrogates"
        ) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", f"{invalid}: nested too deeply") from None
    return data


def _too_large() -> ApiError:
    return ApiError(413, "payload_too_large", f"request body exceeds {MAX_BODY_BYTES} bytes")


def _string(body: dict[str, Any], field: str, *, required: bool) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            raise ApiError(400, f"invalid_{field}", f"{field} is required")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{field}", f"{field} must be a string")
    return value


def name_field(body: dict[str, Any]) -> str:
    """`name`: required, 1-256 characters, no control characters."""
    name = _string(body, "name", required=True)
    assert name is not None
    if not 1 <= len(name) <= MAX_NAME_CHARS:
        raise ApiError(400, "invalid_name", f"name must be 1-{MAX_NAME_CHARS} characters")
    if not _NAME_CHARACTERS.fullmatch(name):  # (`$` alone would let a final "\n" in)
        raise ApiError(400, "invalid_name", "name must not contain control characters")
    return name


def value_field(body: dict[str, Any], *, allow_empty: bool = True) -> str:
    """`value`: required string of at most 64 KiB (UTF-8)."""
    value = _string(body, "value", required=True)
    assert value is not None
    if len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise ApiError(400, "invalid_value", f"value must be at most {MAX_VALUE_BYTES} bytes")
    if not allow_empty and not value:
        raise ApiError(400, "invalid_value", "value must not be empty")
    return value


def scope_field(body: dict[str, Any]) -> str:
    """`scope`: `user` (the default) or `org`."""
    scope = _string(body, "scope", required=False) or "user"
    if scope not in SCOPES:
        raise ApiError(400, "invalid_scope", "scope must be 'user' or 'org'")
    return scope


def type_field(body: dict[str, Any]) -> str:
    """`type`: required, `oauth` or `api_key`."""
    kind = _string(body, "type", required=True)
    if kind not in CREDENTIAL_TYPES:
        raise ApiError(400, "invalid_type", "type must be 'oauth' or 'api_key'")
    return kind


def description_field(body: dict[str, Any]) -> str | None:
    """`description`: optional string (null by default)."""
    description = _string(body, "description", required=False)
    if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
        raise ApiError(
            400,
            "invalid_description",
            f"description must be at most {MAX_DESCRIPTION_CHARS} characters",
        )
    return description


def oauth_value_is_json(value: str) -> None:
    """An OAuth credential value must be a valid JSON document."""
    try:
        _parse_json(value, "an oauth credential value must be a valid JSON document")
    except ApiError as error:
        raise ApiError(400, "invalid_value", error.message) from None

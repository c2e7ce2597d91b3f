"""Answers the reference server never gives (malformed bodies, 403, 502/504, old envelopes,
HTTP-date Retry-After), from a tiny real HTTP server, plus what only a stub can observe:
the User-Agent and connection reuse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from amika_tui import __version__
from amika_tui.api import (
    READ_ONLY_PERMISSIONS,
    AmikaClient,
    AmikaHTTPError,
    AmikaResponseError,
    AmikaTransportError,
    ApiKeyExchangeSource,
    CredentialType,
    PermissionDeniedError,
    RateLimitedError,
    Scope,
    ServerError,
)

TOKEN = "stub-token-5b2c9d0e1f"
SUMMARY = {
    "id": "sec_1",
    "org_id": "org_1",
    "user_id": "usr_1",
    "name": "OPENAI_API_KEY",
    "description": None,
    "scope": "user",
    "created_at": "2026-01-02T03:04:05.123456789Z",
    "updated_at": "2026-01-02T03:04:05Z",
}


@dataclass
class Script:
    """Queued answers (status, body, headers); the last one repeats. Records requests."""

    answers: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    seen: list[dict[str, object]] = field(default_factory=list)

    def answer(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        self.answers.append((status, body, headers or {}))


@pytest.fixture(scope="module")
def stub() -> Iterator[tuple[str, Script]]:
    from tests.api.stub_http import serve_asgi

    holder: list[Script] = [Script()]

    async def handle(request: Request) -> Response:
        script = holder[0]
        script.seen.append(
            {
                "method": request.method,
                "path": request.scope["raw_path"].decode("ascii"),
                "user_agent": request.headers.get("user-agent"),
                "authorization": request.headers.get("authorization"),
                "client_port": request.client.port if request.client else None,
            }
        )
        status, body, headers = (
            script.answers.pop(0) if len(script.answers) > 1 else script.answers[0]
        )
        return Response(body, status_code=status, headers=headers, media_type="application/json")

    app = Starlette(
        routes=[Route("/{path:path}", handle, methods=["GET", "POST", "PUT", "DELETE"])]
    )
    with serve_asgi(app) as url:
        yield url, holder[0]


@pytest.fixture
def script(stub: tuple[str, Script]) -> Script:
    _, shared = stub
    shared.answers.clear()
    shared.seen.clear()
    return shared


@pytest.fixture
def client(stub: tuple[str, Script]) -> AmikaClient:
    url, _ = stub
    return AmikaClient(url, access_token=TOKEN, backoff_base=0.001, backoff_max=0.01)


async def test_unknown_fields_are_ignored_and_nanosecond_times_parse(
    script: Script, client: AmikaClient
) -> None:
    script.answer(200, _json([{**SUMMARY, "future_field": {"x": 1}, "value_hint": "nope"}]))
    async with client:
        [secret] = await client.list_secrets()
    assert secret.name == "OPENAI_API_KEY"
    assert secret.created_at == datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert secret.description is None


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("not json at all", "not valid JSON"),
        ('{"secrets": []}', "expected a JSON array"),
        ("[1, 2]", "expected a secret object"),
        (None, "missing field 'name'"),
        ("bad-time", "not an RFC 3339 time"),
        ("bad-scope", "unknown scope"),
        ("bad-type", "should be a string"),
    ],
)
async def test_malformed_list_is_a_response_error_never_a_key_error(
    script: Script, client: AmikaClient, body: str | None, complaint: str
) -> None:
    if body is None:
        body = _json([{k: v for k, v in SUMMARY.items() if k != "name"}])
    elif body == "bad-time":
        body = _json([{**SUMMARY, "created_at": "yesterday"}])
    elif body == "bad-scope":
        body = _json([{**SUMMARY, "scope": "team"}])
    elif body == "bad-type":
        body = _json([{**SUMMARY, "id": 12}])
    script.answer(200, body)
    async with client:
        with pytest.raises(AmikaResponseError, match=complaint) as caught:
            await client.list_secrets()
    assert "/api/v0beta1/secrets" in caught.value.user_message()


async def test_create_answer_without_type_keeps_the_type_sent(
    script: Script, client: AmikaClient
) -> None:
    script.answer(201, _json({"id": "cred_1", "name": "Codex API Key", "scope": "org"}))
    async with client:
        created = await client.create_provider_secret(
            "codex", "Codex API Key", "sk-123", CredentialType.API_KEY, Scope.ORG
        )
    assert created.type is CredentialType.API_KEY
    assert created.scope is Scope.ORG


async def test_unknown_credential_type_is_listed_as_none(
    script: Script, client: AmikaClient
) -> None:
    script.answer(200, _json([{"id": "c", "name": "n", "type": "passkey", "scope": "user"}]))
    async with client:
        [credential] = await client.list_provider_secrets("claude")
    assert credential.type is None


async def test_403_is_permission_denied(script: Script, client: AmikaClient) -> None:
    script.answer(403, _json({"type": "permission_error", "code": "forbidden", "message": "no"}))
    async with client:
        with pytest.raises(PermissionDeniedError) as caught:
            await client.list_secrets()
    assert caught.value.user_message() == "forbidden: no"


async def test_older_error_code_envelope_is_understood(script: Script, client: AmikaClient) -> None:
    script.answer(409, _json({"type": "conflict", "error_code": "dup", "message": "exists"}))
    async with client:
        with pytest.raises(AmikaHTTPError) as caught:
            await client.create_secret("X", "value-x")
    assert caught.value.code == "dup"
    assert caught.value.user_message() == "dup: exists"


async def test_non_envelope_error_body_is_shown_raw(script: Script, client: AmikaClient) -> None:
    script.answer(418, "<html>teapot</html>")
    async with client:
        with pytest.raises(AmikaHTTPError) as caught:
            await client.list_secrets()
    assert type(caught.value) is AmikaHTTPError
    assert caught.value.user_message() == "<html>teapot</html>"


@pytest.mark.parametrize("status", [502, 504])
async def test_gateway_errors_are_retried(script: Script, client: AmikaClient, status: int) -> None:
    script.answer(status, "bad gateway")
    script.answer(200, "[]")
    async with client:
        assert await client.list_secrets() == []
    assert len(script.seen) == 2


async def test_undecodable_answer_is_a_transport_error_without_the_token(
    script: Script, client: AmikaClient
) -> None:
    # A proxy that mislabels its body: httpx's decoding error (whose request carries the
    # Authorization header) must not escape as it is.
    script.answer(200, "this is not gzip", {"Content-Encoding": "gzip"})
    async with client:
        with pytest.raises(AmikaTransportError) as caught:
            await client.create_secret("X", "undecodable-secret-value")
    error = caught.value
    assert error.request_sent is True
    assert "could not be decoded" in error.user_message()
    assert error.__context__ is None and error.__cause__ is None
    for text in (str(error), repr(error), error.user_message()):
        assert TOKEN not in text and "undecodable-secret-value" not in text
    assert len(script.seen) == 1  # a POST that may have landed is not repeated


async def test_500_is_not_retried(script: Script, client: AmikaClient) -> None:
    script.answer(500, _json({"code": "internal_error", "message": "boom"}))
    async with client:
        with pytest.raises(ServerError):
            await client.list_secrets()
    assert len(script.seen) == 1


async def test_retry_after_as_http_date_is_understood(
    stub: tuple[str, Script], script: Script
) -> None:
    url, _ = stub
    far = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    script.answer(429, _json({"code": "rate_limited", "message": "later"}), {"Retry-After": far})
    async with AmikaClient(url, access_token=TOKEN, backoff_max=1.0) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.list_secrets()
    retry_after = caught.value.retry_after
    assert retry_after is not None and 3000 < retry_after <= 3600
    assert len(script.seen) == 1


async def test_user_agent_bearer_and_one_kept_alive_connection(
    script: Script, client: AmikaClient
) -> None:
    script.answer(200, "[]")
    async with client:
        for _ in range(3):
            await client.list_secrets()
    assert {seen["user_agent"] for seen in script.seen} == {f"amika-tui/{__version__}"}
    assert {seen["authorization"] for seen in script.seen} == {f"Bearer {TOKEN}"}
    assert len({seen["client_port"] for seen in script.seen}) == 1
    assert {seen["path"] for seen in script.seen} == {"/api/v0beta1/secrets"}


async def test_path_segments_are_escaped(script: Script, client: AmikaClient) -> None:
    script.answer(204, "")
    async with client:
        await client.delete_provider_secret("claude", "a/b?c")
    assert script.seen[0]["path"] == "/api/v0beta1/secrets/claude/a%2Fb%3Fc"


def _json(data: object) -> str:
    import json

    return json.dumps(data)


@pytest.mark.parametrize("status", [404, 405])
async def test_probe_reports_a_server_without_token_exchange(
    stub: tuple[str, Script], script: Script, status: int
) -> None:
    url, _ = stub
    script.answer(status, _json({"code": "not_found", "message": "no route"}))
    source = ApiKeyExchangeSource(url, TOKEN, "amika-api", READ_ONLY_PERMISSIONS)
    assert await source.probe() is False
    await source.aclose()
    assert script.seen[0]["path"] == "/api/v0beta1/auth/jwt"
    assert script.seen[0]["method"] == "POST"

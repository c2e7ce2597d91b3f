"""Validation: 400 with a code naming the field, 413 for large bodies."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.server.conftest import API, assert_envelope, create_secret

GOOD = {"name": "N", "value": "v", "scope": "user"}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"value": "v"}, "invalid_name"),
        ({**GOOD, "name": ""}, "invalid_name"),
        ({**GOOD, "name": 12}, "invalid_name"),
        ({**GOOD, "name": "x" * 257}, "invalid_name"),
        ({**GOOD, "name": "bad\nname"}, "invalid_name"),
        ({**GOOD, "name": "trailing newline\n"}, "invalid_name"),
        ({**GOOD, "name": "bad\x00name"}, "invalid_name"),
        ({**GOOD, "name": "bad\x7fname"}, "invalid_name"),
        ({"name": "N"}, "invalid_value"),
        ({**GOOD, "value": None}, "invalid_value"),
        ({**GOOD, "value": 5}, "invalid_value"),
        ({**GOOD, "value": ["a"]}, "invalid_value"),
        ({**GOOD, "value": "x" * (64 * 1024 + 1)}, "invalid_value"),
        ({**GOOD, "scope": "team"}, "invalid_scope"),
        ({**GOOD, "scope": 1}, "invalid_scope"),
        ({**GOOD, "description": 3}, "invalid_description"),
    ],
)
def test_create_secret_rejects_bad_fields(
    api: httpx.Client, body: dict[str, Any], code: str
) -> None:
    response = api.post("/secrets", json=body)
    assert_envelope(response, 400, code)
    assert api.get("/secrets").json() == []


def test_boundaries_are_accepted(api: httpx.Client) -> None:
    assert api.post("/secrets", json={**GOOD, "name": "x" * 256}).status_code == 201
    big = "é" * (32 * 1024)  # 64 KiB in UTF-8
    assert api.post("/secrets", json={**GOOD, "name": "BIG", "value": big}).status_code == 201


def test_value_limit_counts_utf8_bytes(api: httpx.Client) -> None:
    response = api.post("/secrets", json={**GOOD, "value": "é" * (32 * 1024 + 1)})
    assert_envelope(response, 400, "invalid_value")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2]", "invalid_body"),
        (b'"string"', "invalid_body"),
        (b"null", "invalid_body"),
    ],
)
def test_body_must_be_a_json_object(api: httpx.Client, content: bytes, code: str) -> None:
    headers = {"Content-Type": "application/json"}
    assert_envelope(api.post("/secrets", content=content, headers=headers), 400, code)
    assert_envelope(api.post("/secrets/claude", content=content, headers=headers), 400, code)
    assert_envelope(api.put("/secrets/anything", content=content, headers=headers), 400, code)


def test_body_over_one_mebibyte_is_413(api: httpx.Client) -> None:
    body = {**GOOD, "value": "x" * (1024 * 1024)}
    assert_envelope(api.post("/secrets", json=body), 413, "payload_too_large")
    assert_envelope(api.post("/secrets/claude", json={**body, "type": "api_key"}), 413)


def test_streamed_body_over_one_mebibyte_is_413(api: httpx.Client) -> None:
    def chunks() -> Any:
        yield b'{"name": "N", "value": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    assert_envelope(api.post("/secrets", content=chunks()), 413, "payload_too_large")


def test_put_validates_the_value(api: httpx.Client) -> None:
    secret = create_secret(api, "P")
    assert_envelope(api.put(f"/secrets/{secret['id']}", json={}), 400, "invalid_value")
    assert_envelope(api.put(f"/secrets/{secret['id']}", json={"value": 1}), 400, "invalid_value")
    too_big = {"value": "x" * (64 * 1024 + 1)}
    assert_envelope(api.put(f"/secrets/{secret['id']}", json=too_big), 400, "invalid_value")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"value": "v", "type": "api_key"}, "invalid_name"),
        ({"name": "n", "type": "api_key"}, "invalid_value"),
        ({"name": "n", "value": "v"}, "invalid_type"),
        ({"name": "n", "value": "v", "type": "API_KEY"}, "invalid_type"),
        ({"name": "n", "value": "v", "type": "api_key", "scope": "global"}, "invalid_scope"),
        ({"name": "a\tb", "value": "v", "type": "api_key"}, "invalid_name"),
    ],
)
def test_provider_create_rejects_bad_fields(
    api: httpx.Client, body: dict[str, Any], code: str
) -> None:
    assert_envelope(api.post("/secrets/codex", json=body), 400, code)
    assert api.get("/secrets/codex").json() == []


@pytest.mark.parametrize("field", ["name", "value", "description"])
def test_a_lone_surrogate_is_a_400_on_every_write(api: httpx.Client, field: str) -> None:
    secret = create_secret(api, "SURROGATE_TARGET")
    headers = {"Content-Type": "application/json"}
    fields = {"name": '"N"', "value": '"v"', "description": '"d"'}
    fields[field] = '"bad \\ud800 text"'  # valid JSON, not valid Unicode
    body = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
    provider_body = body[:-1] + ', "type": "api_key"}'
    for response in (
        api.post("/secrets", content=body, headers=headers),
        api.put(f"/secrets/{secret['id']}", content=body, headers=headers),
        api.post("/secrets/claude", content=provider_body, headers=headers),
    ):
        message = assert_envelope(response, 400, "invalid_json")["message"]
        assert "surrogate" in message
    assert [s["name"] for s in api.get("/secrets").json()] == ["SURROGATE_TARGET"]


def test_deeply_nested_json_is_a_400(api: httpx.Client) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    headers = {"Content-Type": "application/json"}
    assert_envelope(api.post("/secrets", content=deep, headers=headers), 400, "invalid_json")
    deep_value = "[" * 30_000 + "]" * 30_000  # within the 64 KiB value limit
    oauth = {"name": "deep", "value": deep_value, "type": "oauth"}
    response = api.post("/secrets/claude", json=oauth)
    assert "nested too deeply" in assert_envelope(response, 400, "invalid_value")["message"]


def test_a_413_arrives_even_when_the_client_sends_the_whole_body_first(
    tenant: Tenant,
) -> None:
    # 12 MB: more than the kernel buffers between the two ends, so a server that stops
    # reading and closes makes the client's send fail with a reset instead of the answer
    body = b'{"name": "N", "value": "' + b"x" * 12_000_000 + b'"}'
    url = httpx.URL(tenant.url)
    head = (
        f"POST {API}/secrets HTTP/1.1\r\nHost: {url.host}\r\n"
        f"Authorization: Bearer {tenant.api_key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    for _ in range(3):
        with socket.create_connection((url.host, url.port or 80), timeout=60) as sock:
            sock.sendall(head + body)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        assert b'"payload_too_large"' in answer

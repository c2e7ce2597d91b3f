"""`GET /api/openapi.json` describes exactly the routes the server answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from amika_tui.server.app import ServerState, create_app
from amika_tui.server.runtime import open_store
from amika_tui.server.testing import run_server
from tests.conftest import Tenant
from tests.server.conftest import SUMMARY_KEYS

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture(scope="module")
def document(server: Any) -> dict[str, Any]:
    response = httpx.get(server.url + "/api/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def _routed(tmp_path: Path, *, jwt_exchange: bool = True) -> set[tuple[str, str]]:
    store = open_store(tmp_path)
    try:
        app = create_app(ServerState(store=store, jwt_exchange=jwt_exchange))
    finally:
        store.close()
    return {
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route)
        for method in (route.methods or ())
        if method != "HEAD"
    }


def test_document_and_router_agree_both_ways(document: dict[str, Any], tmp_path: Path) -> None:
    routed = _routed(tmp_path)
    documented = _documented(document)
    assert routed - documented == set(), "routes missing from the document"
    assert documented - routed == set(), "documented operations without a route"


def test_without_the_jwt_exchange_document_and_router_agree(tmp_path: Path) -> None:
    with run_server(tmp_path / "data", jwt_exchange=False) as bare:
        response = httpx.get(bare.url + "/api/openapi.json")
        exchange = httpx.post(
            bare.url + "/api/v0beta1/auth/jwt",
            json={"audience": "x", "permissions": ["secrets:read"]},
            headers={"Authorization": f"Bearer {bare.api_key}"},
        )
    documented = _documented(response.json())
    assert documented == _routed(tmp_path / "router", jwt_exchange=False)
    assert ("POST", "/api/v0beta1/auth/jwt") not in documented
    assert exchange.status_code == 404


def _concrete(path: str) -> str:
    return path.replace("{secret_id}", "sec_missing").replace("{credential_id}", "psec_missing")


def test_every_documented_operation_is_answered(document: dict[str, Any], tenant: Tenant) -> None:
    for method, path in _documented(document):
        response = httpx.request(
            method, tenant.url + _concrete(path), headers=tenant.headers(), json={}
        )
        # a real handler answered: never the router's own 404/405
        if response.status_code in (404, 405):
            assert response.json()["code"] not in ("not_found", "method_not_allowed"), (
                method,
                path,
            )


def test_document_shapes(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    schemas = document["components"]["schemas"]
    assert set(schemas["SecretSummary"]["required"]) == SUMMARY_KEYS
    assert schemas["SecretSummary"]["properties"]["description"]["nullable"] is True
    assert set(schemas["Error"]["required"]) == {"type", "code", "message"}
    assert set(schemas["ProviderSecretListItem"]["required"]) == {"id", "name", "type", "scope"}
    secrets = document["paths"]["/api/v0beta1/secrets"]
    assert "201" in secrets["post"]["responses"]
    # generic secrets have no delete and no get-by-id
    assert set(document["paths"]["/api/v0beta1/secrets/{secret_id}"]) == {"put"}

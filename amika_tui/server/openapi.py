"""The OpenAPI 3.0 document served at `/api/openapi.json`."""

from __future__ import annotations

from typing import Any

from amika_tui.server.auth import JWT_AUDIENCE, PERMISSIONS
from amika_tui.server.validation import NAME_PATTERN

API_PREFIX = "/api/v0beta1"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {
        400: "invalid request (the code names the field)",
        401: "missing or invalid bearer token",
        403: "the token lacks the permission (the message names it)",
        404: "not found or not visible to the caller",
        409: "conflicts with an existing item",
        413: "request body larger than 1 MiB",
        429: "rate limited (see Retry-After)",
        503: "temporarily unavailable",
    }
    return {str(s): _json(_ref("Error"), texts[s]) for s in statuses}


_COMMON = (401, 403, 429, 503)


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _jwt_schemas() -> dict[str, Any]:
    return {
        "JwtRequest": {
            "type": "object",
            "required": ["audience", "permissions"],
            "properties": {
                "audience": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "description": (f"'{JWT_AUDIENCE}' or the server's public URL to use it here"),
                },
                "external_user_id": {"type": "string", "maxLength": 256, "nullable": True},
                "permissions": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": list(PERMISSIONS)},
                },
                "expires_in": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 86400,
                    "description": "lifetime in seconds (default 3600)",
                },
            },
        },
        "JwtResponse": {
            "type": "object",
            "required": ["token", "expires_at"],
            "properties": {
                "token": {"type": "string"},
                "expires_at": {"type": "string", "format": "date-time"},
            },
        },
    }


def _schemas() -> dict[str, Any]:
    scope = {"type": "string", "enum": ["user", "org"]}
    kind = {"type": "string", "enum": ["oauth", "api_key"]}
    name = {
        "type": "string",
        "minLength": 1,
        "maxLength": 256,
        "pattern": NAME_PATTERN,
        "description": "no control characters (U+0000-U+001F, U+007F-U+009F)",
    }
    value = {"type": "string", "description": "at most 64 KiB (UTF-8)"}
    # null means the default (OpenAPI 3.0 wants null in the enum too)
    request_scope = {**scope, "enum": ["user", "org", None], "default": "user", "nullable": True}
    return {
        **_jwt_schemas(),
        "Error": {
            "type": "object",
            "required": ["type", "code", "message"],
            "properties": {
                "type": {"type": "string"},
                "code": {"type": "string"},
                "message": {"type": "string"},
            },
        },
        "SecretSummary": {
            "type": "object",
            "required": [
                "id",
                "org_id",
                "user_id",
                "name",
                "description",
                "scope",
                "created_at",
                "updated_at",
            ],
            "properties": {
                "id": {"type": "string"},
                "org_id": {"type": "string"},
                "user_id": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": "string", "nullable": True},
                "scope": scope,
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
        "CreateSecretRequest": {
            "type": "object",
            "required": ["name", "value"],
            "properties": {
                "name": name,
                "value": value,
                "scope": request_scope,
                "description": {"type": "string", "nullable": True, "maxLength": 1024},
            },
        },
        "UpdateSecretRequest": {
            "type": "object",
            "required": ["value"],
            "properties": {"value": value},
        },
        "CreateProviderSecretRequest": {
            "type": "object",
            "required": ["name", "value", "type"],
            "properties": {
                "name": name,
                "value": {
                    "type": "string",
                    "minLength": 1,
                    "description": (
                        "the bare key (api_key) or the whole credentials JSON document (oauth),"
                        " at most 64 KiB (UTF-8)"
                    ),
                },
                "type": kind,
                "scope": request_scope,
            },
        },
        "ProviderSecretSummary": {
            "type": "object",
            "required": ["id", "name", "scope"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "scope": scope},
        },
        "ProviderSecretListItem": {
            "type": "object",
            "required": ["id", "name", "type", "scope"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "type": kind,
                "scope": scope,
            },
        },
    }


def openapi_document(providers: tuple[str, ...], *, jwt_exchange: bool = True) -> dict[str, Any]:
    """The document describing exactly the routes `SecretsApi.routes` serves.

    `jwt_exchange=False` leaves out `POST /auth/jwt` (a server without the exchange).
    """
    secured: list[dict[str, list[str]]] = [{"bearerAuth": []}]
    paths: dict[str, Any] = {
        "/api/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "the OpenAPI document"}},
            }
        },
        f"{API_PREFIX}/secrets": {
            "get": {
                "operationId": "listSecrets",
                "summary": "The caller's user secrets and its org's org secrets (never values)",
                "security": secured,
                "responses": {
                    "200": _json({"type": "array", "items": _ref("SecretSummary")}, "summaries"),
                    **_errors(*_COMMON),
                },
            },
            "post": {
                "operationId": "createSecret",
                "summary": "Create a generic secret",
                "security": secured,
                "requestBody": _body("CreateSecretRequest"),
                "responses": {
                    "201": _json(_ref("SecretSummary"), "created"),
                    **_errors(400, 409, 413, *_COMMON),
                },
            },
        },
        f"{API_PREFIX}/secrets/{{secret_id}}": {
            "put": {
                "operationId": "updateSecret",
                "summary": "Replace a generic secret's value (generic secrets cannot be deleted)",
                "security": secured,
                "parameters": [_path_param("secret_id")],
                "requestBody": _body("UpdateSecretRequest"),
                "responses": {
                    "200": _json(_ref("SecretSummary"), "updated"),
                    **_errors(400, 404, 413, *_COMMON),
                },
            }
        },
    }
    for provider in providers:
        tag = provider.capitalize()
        paths[f"{API_PREFIX}/secrets/{provider}"] = {
            "get": {
                "operationId": f"list{tag}Secrets",
                "summary": f"The caller's {provider} credentials and its org's one",
                "security": secured,
                "responses": {
                    "200": _json(
                        {"type": "array", "items": _ref("ProviderSecretListItem")}, "credentials"
                    ),
                    **_errors(*_COMMON),
                },
            },
            "post": {
                "operationId": f"create{tag}Secret",
                "summary": (
                    f"Store a {provider} credential: user scope unique by name,"
                    " at most one org-scoped credential per provider"
                ),
                "security": secured,
                "requestBody": _body("CreateProviderSecretRequest"),
                "responses": {
                    "201": _json(_ref("ProviderSecretSummary"), "created"),
                    **_errors(400, 409, 413, *_COMMON),
                },
            },
        }
        paths[f"{API_PREFIX}/secrets/{provider}/{{credential_id}}"] = {
            "delete": {
                "operationId": f"delete{tag}Secret",
                "summary": f"Delete a {provider} credential",
                "security": secured,
                "parameters": [_path_param("credential_id")],
                "responses": {"204": {"description": "deleted"}, **_errors(404, *_COMMON)},
            }
        }
    if jwt_exchange:
        paths[f"{API_PREFIX}/auth/jwt"] = {
            "post": {
                "operationId": "getJwtFromKey",
                "summary": "Exchange an API key for a short-lived HS256 JWT",
                "description": (
                    "The bearer must be an API key. The token carries the requested permissions"
                    " and is accepted on every route when its audience is"
                    f" '{JWT_AUDIENCE}' or this server's public URL (`serve --public-url`, by"
                    " default the bind address, e.g. http://127.0.0.1:8787);"
                    " expired, tampered or foreign-audience tokens get 401, a missing"
                    " permission 403 naming it."
                ),
                "security": secured,
                "requestBody": _body("JwtRequest"),
                "responses": {
                    "200": _json(_ref("JwtResponse"), "the token"),
                    **_errors(400, 413, *_COMMON),
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Amika secrets API (amika-tui reference server)",
            "version": "v0beta1",
        },
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "an API key, or a JWT from POST /api/v0beta1/auth/jwt"
                        if jwt_exchange
                        else "an API key"
                    ),
                }
            },
        },
    }

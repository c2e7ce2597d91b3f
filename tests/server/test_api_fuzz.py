"""A bounded schemathesis run against the served OpenAPI document.

Schema-valid requests must be accepted (so the document states every rule the code
enforces), schema-invalid ones refused with a 4xx, and every answer must be one the
document lists, in its shape: never a 500. Bounded so that `make test` stays fast.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from amika_tui.server.testing import RunningServer

MAX_EXAMPLES = 15
"""Per operation and mode: enough to find a rule the document omits, small enough for
`make test` (about three seconds for the whole run; the coverage phase would triple it)."""


@pytest.fixture(scope="module")
def fuzz_headers(server: RunningServer) -> dict[str, str]:
    """A user of its own for the whole run (the fuzzer creates secrets as it goes)."""
    token = uuid.uuid4().hex[:12]
    key = server.create_user(f"fuzz-{token}@example.com", f"fuzz-{token}")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def api_document(server: RunningServer) -> Any:
    schema = schemathesis.openapi.from_url(server.url + "/api/openapi.json")
    schema.config.update(base_url=server.url)
    schema.config.phases.update(phases=["examples", "fuzzing"])
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
    )
    return schema


schema = schemathesis.pytest.from_fixture("api_document")


def _json_document(text: Any) -> bool:
    try:
        json.loads(text)
    except (TypeError, ValueError):
        return False
    return True


@schema.parametrize()
def test_every_operation_keeps_the_documented_contract(
    case: Any, fuzz_headers: dict[str, str]
) -> None:
    body = case.body
    if (
        isinstance(body, dict)
        and body.get("type") == "oauth"
        and not _json_document(body.get("value"))
    ):
        # "an oauth value is a JSON document" is in the document's words only: OpenAPI 3.0
        # has no schema for "a string holding JSON", so such a request is refused, rightly
        response = case.call_and_validate(
            headers=fuzz_headers, excluded_checks=[positive_data_acceptance]
        )
        assert response.status_code != 201
        return
    case.call_and_validate(headers=fuzz_headers)

"""Client test helpers: clients bound to a tenant, with tiny backoff so retries are fast."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from amika_tui.api import AmikaClient
from tests.conftest import Tenant

ClientFactory = Callable[..., AmikaClient]


@pytest.fixture
def make_client(tenant: Tenant) -> ClientFactory:
    """Build an `AmikaClient` for the tenant (its API key unless a token source is given)."""

    def build(**options: Any) -> AmikaClient:
        options.setdefault("backoff_base", 0.001)
        options.setdefault("backoff_max", 0.01)
        if "token_source" not in options and "access_token" not in options:
            options["access_token"] = tenant.api_key
        return AmikaClient(tenant.url, **options)

    return build

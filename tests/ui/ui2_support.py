"""Helpers for the provider, extract and account screen tests (UI engineer 2's tests).

`app_for` and `wait_until` are the shared ones from `tests.ui.support`.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant
from tests.ui.support import app_for, wait_until

__all__ = ["app_for", "provider_rows", "wait_until"]


def provider_rows(tenant: Tenant, provider: str) -> list[dict[str, Any]]:
    """The server's stored credentials of ``provider`` for ``tenant``'s user or org."""
    return [
        row
        for row in tenant.server.stored_secrets()
        if row["kind"] == "provider"
        and row["provider"] == provider
        and (row["email"] == tenant.email or (row["scope"] == "org" and row["org"] == tenant.org))
    ]

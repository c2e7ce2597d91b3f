"""`AmikaClient(read_only=True)` sends reads and refuses every other request before it leaves."""

from __future__ import annotations

import pytest

from amika_tui.api import AmikaClient, CredentialType, PermissionDeniedError, Scope
from tests.api.conftest import ClientFactory
from tests.conftest import Tenant


def _sent(tenant: Tenant) -> list[tuple[str, str]]:
    """What ``tenant`` sent (the worker's server is shared with the other tests' tenants)."""
    return [(e.method, e.path) for e in tenant.server.request_log() if e.user == tenant.email]


async def test_every_write_method_is_refused_without_reaching_the_server(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.seed_secrets(tenant.api_key, [("KEPT", "kept-value", "user")])
    [credential_id] = tenant.server.seed_provider_secrets(
        tenant.api_key, "claude", [("work", "sk-ant-api03-seeded-000000", "api_key", "user")]
    )
    before = tenant.stored_secrets()
    async with make_client(read_only=True) as client:
        [secret] = await client.list_secrets()
        writes = [
            client.create_secret("NEW", "new-value", Scope.ORG),
            client.update_secret(secret.id, "changed-value"),
            client.create_provider_secret("codex", "x", "sk-new", CredentialType.API_KEY),
            client.delete_provider_secret("claude", credential_id),
            client.exchange_api_key("aud", ["secrets:read"]),
        ]
        for write in writes:
            with pytest.raises(PermissionDeniedError) as refused:
                await write
            assert refused.value.code == "read_only_session"
            assert "was not sent to the server" in refused.value.user_message()
        assert [c.name for c in await client.list_provider_secrets("claude")] == ["work"]

    assert tenant.stored_secrets() == before
    assert {method for method, _ in _sent(tenant)} == {"GET"}


class _ClientWithANewWrite(AmikaClient):
    """A client grown a write method that knows nothing about read-only sessions."""

    async def rename_secret(self, secret_id: str, name: str) -> None:
        await self._request("PATCH", f"/secrets/{secret_id}", {"name": name})


async def test_a_write_method_added_later_is_refused_by_default(tenant: Tenant) -> None:
    client = _ClientWithANewWrite(tenant.url, access_token=tenant.api_key, read_only=True)
    async with client:
        with pytest.raises(PermissionDeniedError, match="PATCH"):
            await client.rename_secret("some-id", "OTHER")
    assert _sent(tenant) == []

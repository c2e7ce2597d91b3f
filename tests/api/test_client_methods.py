"""Every client method against the reference server over loopback HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from amika_tui.api import (
    AmikaClient,
    CredentialType,
    ProviderCredential,
    Scope,
    Secret,
    StaticTokenSource,
)
from tests.api.conftest import ClientFactory
from tests.conftest import Tenant


def _stored(tenant: Tenant, name: str) -> list[dict[str, object]]:
    return [row for row in tenant.stored_secrets() if row["name"] == name]


async def test_list_secrets_of_a_fresh_tenant_is_empty(make_client: ClientFactory) -> None:
    async with make_client() as client:
        assert await client.list_secrets() == []


async def test_create_secret_returns_its_summary_and_stores_the_value(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    async with make_client() as client:
        created = await client.create_secret("OPENAI_API_KEY", "sk-test-value-123456")
        listed = await client.list_secrets()

    assert isinstance(created, Secret)
    assert created.name == "OPENAI_API_KEY"
    assert created.scope is Scope.USER
    assert created.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - created.created_at).total_seconds()) < 3600
    assert listed == [created]
    [row] = _stored(tenant, "OPENAI_API_KEY")
    assert row["value"] == "sk-test-value-123456"
    assert row["email"] == tenant.email


async def test_org_scoped_secret_is_listed_for_another_member(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    async with make_client() as client:
        created = await client.create_secret("SHARED_TOKEN", "shared-value", Scope.ORG)
        await client.create_secret("PRIVATE_TOKEN", "private-value", Scope.USER)
    member = tenant.member()
    async with AmikaClient(member.url, access_token=member.api_key) as other:
        names = {secret.name: secret for secret in await other.list_secrets()}
    assert set(names) == {"SHARED_TOKEN"}
    assert names["SHARED_TOKEN"].scope is Scope.ORG
    assert names["SHARED_TOKEN"].id == created.id


async def test_update_secret_replaces_the_stored_value(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    async with make_client() as client:
        created = await client.create_secret("DB_PASSWORD", "old-password")
        await client.update_secret(created.id, "new-password")
    [row] = _stored(tenant, "DB_PASSWORD")
    assert row["value"] == "new-password"


async def test_provider_credentials_create_list_delete(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    oauth_document = '{"claudeAiOauth": {"accessToken": "sk-ant-oat-x", "refreshToken": "r"}}'
    async with make_client() as client:
        assert await client.list_provider_secrets("claude") == []
        created = await client.create_provider_secret(
            "claude", "Claude OAuth", oauth_document, CredentialType.OAUTH
        )
        api_key = await client.create_provider_secret(
            "claude", "Claude API Key", "sk-ant-api-1234567890", CredentialType.API_KEY, Scope.ORG
        )
        listed = await client.list_provider_secrets("claude")
        await client.delete_provider_secret("claude", created.id)
        after_delete = await client.list_provider_secrets("claude")

    assert created == ProviderCredential(
        created.id, "Claude OAuth", CredentialType.OAUTH, Scope.USER
    )
    assert api_key.scope is Scope.ORG
    assert {(c.name, c.type, c.scope) for c in listed} == {
        ("Claude OAuth", CredentialType.OAUTH, Scope.USER),
        ("Claude API Key", CredentialType.API_KEY, Scope.ORG),
    }
    assert [c.id for c in after_delete] == [api_key.id]
    [row] = _stored(tenant, "Claude API Key")
    assert row["value"] == "sk-ant-api-1234567890"


async def test_codex_credentials_are_separate_from_claude(make_client: ClientFactory) -> None:
    async with make_client() as client:
        await client.create_provider_secret(
            "codex", "Codex API Key", "sk-proj-abcdef", CredentialType.API_KEY
        )
        assert await client.list_provider_secrets("claude") == []
        [codex] = await client.list_provider_secrets("codex")
    assert codex.name == "Codex API Key"


async def test_token_source_is_asked_before_every_request(tenant: Tenant) -> None:
    class CountingSource:
        def __init__(self) -> None:
            self.calls = 0

        async def token(self) -> str:
            self.calls += 1
            return tenant.api_key

    source = CountingSource()
    async with AmikaClient(tenant.url, token_source=source) as client:
        await client.list_secrets()
        await client.create_secret("A_SECRET", "a-value")
        await client.list_secrets()
    assert source.calls == 3


async def test_static_token_source_works_like_access_token(tenant: Tenant) -> None:
    async with AmikaClient(tenant.url, token_source=StaticTokenSource(tenant.api_key)) as client:
        await client.create_secret("STATIC_ONE", "value-1")
        assert [s.name for s in await client.list_secrets()] == ["STATIC_ONE"]


@pytest.mark.parametrize(
    "options",
    [{}, {"access_token": "a", "token_source": StaticTokenSource("b")}],
    ids=["neither", "both"],
)
def test_exactly_one_of_access_token_and_token_source(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="exactly one of access_token or token_source"):
        AmikaClient("https://app.amika.dev", **options)  # type: ignore[arg-type]


def test_repr_of_client_and_static_source_hide_the_token() -> None:
    client = AmikaClient("https://app.amika.dev", access_token="tok-very-secret-1")
    source = StaticTokenSource("tok-very-secret-2")
    assert "tok-very-secret" not in repr(client)
    assert "tok-very-secret" not in repr(source)

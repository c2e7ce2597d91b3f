"""A listing of several batches (amika_tui.server.store._LISTING_BATCH rows each) and
larger than one network read arrives whole and in order, every field parsed, with the ids
every secret repeats held once."""

from __future__ import annotations

from amika_tui.api import Scope
from tests.api.conftest import ClientFactory
from tests.conftest import Tenant

COUNT = 6_000  # ~1.6 MB of JSON: six batches of rows, many network reads


async def test_a_big_listing_arrives_whole_in_order_with_every_field(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    names = [f"BIG_LISTING_{i:05d}" for i in range(COUNT)]
    tenant.server.seed_secrets(tenant.api_key, [(name, "v", "user") for name in names])
    async with make_client() as client:
        created = await client.create_secret("ZZ_ORG_SHARED", "v", Scope.ORG)
        listed = await client.list_secrets()

    assert [secret.name for secret in listed] == [*names, "ZZ_ORG_SHARED"]
    assert listed[-1] == created  # every field as the create answer gave it
    first = listed[0]
    assert first.id.startswith("sec_") and first.scope is Scope.USER
    assert first.org_id == created.org_id and first.user_id == created.user_id
    assert first.description is None
    assert len({secret.id for secret in listed}) == COUNT + 1


async def test_repeated_ids_and_an_unchanged_moment_are_held_once(
    tenant: Tenant, make_client: ClientFactory
) -> None:
    tenant.server.seed_secrets(tenant.api_key, [(f"SHARED_{i}", "v", "user") for i in range(3)])
    async with make_client() as client:
        listed = await client.list_secrets()
        await client.update_secret(listed[1].id, "new value")
        relisted = await client.list_secrets()

    a, b, c = listed
    assert a.org_id == b.org_id == c.org_id and a.org_id is b.org_id is c.org_id
    assert a.user_id == b.user_id and a.user_id is b.user_id
    assert a.created_at == a.updated_at and a.created_at is a.updated_at
    updated = relisted[1]
    assert updated.updated_at > updated.created_at  # a later update stays its own moment

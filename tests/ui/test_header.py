"""The header: every mode tab stays whatever the identity's length, and it says who you are
even when the credential (an API key) names nobody."""

from __future__ import annotations

import pytest

from amika_tui.api import AmikaClient, Scope
from amika_tui.auth.identity import Identity, short_id
from amika_tui.ui.widgets.header import ModeTab
from tests.conftest import Tenant
from tests.ui.support import app_for, header_text, loaded, screen_text, seed, wait_until

LONG_LABEL = (
    "stored API key (/home/someone-with-a-rather-long-name/.local/state/amika/api-key.json)"
)


async def my_ids(tenant: Tenant) -> tuple[str, str]:
    """The tenant's user id and org id, as the API lists them on its own user secrets."""
    async with AmikaClient(tenant.url, access_token=tenant.api_key) as client:
        mine = [s for s in await client.list_secrets() if s.scope is Scope.USER]
    assert mine[0].user_id and mine[0].org_id
    return mine[0].user_id, mine[0].org_id


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_long_credential_label_is_cut_and_every_tab_stays(
    tenant: Tenant, size: tuple[int, int]
) -> None:
    app = app_for(tenant, email=None, org=None, credential_description=LONG_LABEL)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: "online" in header_text(app, "header-state"), "online")
        await pilot.pause()
        width = size[0]
        tabs = list(app.screen.query(ModeTab))
        assert [str(tab.render()) for tab in tabs][-1] == "4 Account"
        for tab in tabs:
            assert tab.region.right <= width, f"{tab.render()} pushed off"
            assert tab.content_region.width >= len(str(tab.render()))
        who = app.screen.query_one("#header-who")
        shown = who.render_line(0).text
        assert shown.rstrip().endswith("…"), shown
        assert who.region.right <= tabs[0].region.x


async def test_an_api_key_session_says_who_and_which_org_once_listed(tenant: Tenant) -> None:
    seed(tenant, [("MINE", "value-0001", "user"), ("SHARED", "value-0002", "org")])
    user_id, org_id = await my_ids(tenant)
    app = app_for(tenant, email=None, org=None, credential_description="AMIKA_API_KEY variable")
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        who = header_text(app, "header-who")
        assert who == (
            f"user {short_id(user_id)} · org {short_id(org_id)} · AMIKA_API_KEY variable"
        )
        assert app.my_user_id == user_id
        # The org secret the same user created says "you", not a raw user id.
        await wait_until(pilot, lambda: "SHARED" in screen_text(app), "the rows drawn")
        [shared] = [line for line in screen_text(app).splitlines() if "SHARED" in line]
        assert shared.rstrip().rstrip("│▎ ").endswith("you"), shared
        assert user_id not in screen_text(app)


def test_identity_labels() -> None:
    assert Identity("ada@example.com", "acme", "browser session").label == (
        "ada@example.com · acme"
    )
    assert Identity(credential="AMIKA_API_KEY environment variable").label == (
        "AMIKA_API_KEY environment variable"
    )
    assert Identity().label == "not signed in"
    learned = Identity(credential="test key", user_id="usr_" + "a" * 32, org_id="org_" + "b" * 32)
    assert learned.label == "user usr_aaaaaaaa… · org org_bbbbbbbb… · test key"

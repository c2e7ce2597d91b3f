"""The push review lists every item on one line, value masked at one width."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from amika_tui.api import CredentialType, Scope
from amika_tui.masking import SCREEN_MASK_WIDTH
from amika_tui.sync.items import PushItem
from amika_tui.ui.push import PushReviewScreen
from tests.ui.support import SIZE, app_for, wait_until

OAUTH_DOCUMENT = json.dumps(
    {"claudeAiOauth": {"accessToken": "sk-ant-oat01-" + "a" * 80, "refreshToken": "r" * 40}},
    indent=2,
)


async def test_multi_line_values_are_masked_on_one_line() -> None:
    items = [
        PushItem.create_credential("claude", "work", OAUTH_DOCUMENT, CredentialType.OAUTH),
        PushItem.create_secret("PEM", "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----"),
        PushItem.create_secret("SHORT", "tiny", Scope.ORG),
    ]
    app = app_for(None)
    async with app.run_test(size=SIZE) as pilot:
        review = PushReviewScreen(items, title="Review")
        await app.push_screen(review)
        await wait_until(pilot, lambda: review.query_one(DataTable).row_count == 3, "rows")
        table = review.query_one(DataTable)
        values = [str(table.get_row_at(i)[-1]) for i in range(3)]
    oauth, pem, short = values
    assert all("\n" not in value and len(value) == SCREEN_MASK_WIDTH for value in values)
    assert oauth == "{   ********" and str(len(OAUTH_DOCUMENT)) not in oauth
    assert pem == "----********" and "BEGIN" not in pem
    assert short == "*" * SCREEN_MASK_WIDTH, "a short value shows nothing, not its length"

"""The one review → progress → result flow, for every push (typed, .env, extract, providers).

```python
from amika_tui.ui.push import start_push

start_push(
    self.app,                       # the AmikaApp
    plan.items(),                   # list[PushItem] from amika_tui.sync (plan or by hand)
    title="Push 3 secrets",
    review=True,                    # False when the caller's own dialog was the review
    notes=["Replacing deletes the old credential first …"],   # shown on the review
    on_complete=lambda report: ...,  # PushReport after each run (retries included)
    on_close=lambda report: ...,     # the result view was closed (None: never ran)
)
```

Review (`PushReviewScreen`, values masked) → `PushScreen` (progress bar with counts,
cancellable; then created / updated / replaced / skipped / failed with reasons and
"retry failed"). The app receives `SecretsChanged` when anything was written. Failed
values stay in memory for retry; quitting while they exist asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App

from amika_tui.sync.executor import PushReport
from amika_tui.sync.items import PushItem
from amika_tui.ui.push.progress import PushScreen, result_rows
from amika_tui.ui.push.review import PushReviewScreen, describe_item
from amika_tui.ui.push.runner import make_executor, retry_text

__all__ = [
    "PushReviewScreen",
    "PushScreen",
    "describe_item",
    "make_executor",
    "result_rows",
    "retry_text",
    "start_push",
]


def start_push(
    app: App[Any],
    items: Sequence[PushItem],
    *,
    title: str,
    review: bool = True,
    notes: Sequence[str] = (),
    on_complete: Callable[[PushReport], None] | None = None,
    on_close: Callable[[PushReport | None], None] | None = None,
) -> None:
    """Open the push flow for ``items`` (see the module docstring)."""
    items = list(items)
    if not items:
        app.notify("Nothing selected to push.", severity="warning")
        return

    def push() -> None:
        app.push_screen(PushScreen(items, title=title, on_complete=on_complete), on_close)

    if not review:
        push()
        return

    def reviewed(confirmed: bool | None) -> None:
        if confirmed:
            push()

    app.push_screen(PushReviewScreen(items, title=title, notes=notes), reviewed)

"""SVG snapshots: secrets screen, empty state, import preview, push result.

Deterministic: fixed clock and timestamps, LOCAL badge instead of a random port, a fixed
identity in the header, relative file paths, no values (all masked).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from amika_tui.auth.read_only import Enforcement
from amika_tui.ui.app import AmikaApp
from amika_tui.ui.dialogs.help import HelpScreen
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.push import PushScreen
from tests.conftest import Tenant
from tests.ui.support import (
    FIXED_NOW,
    SIZE,
    app_for,
    focused,
    loaded,
    secrets_screen,
    seed,
    wait_until,
)

Snap = Callable[..., bool]

SEED = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-0000000000000000", "user", 3),
    ("DATABASE_URL", "postgres://db.example/app", "user", 50),
    ("GITHUB_TOKEN", "ghp_fake000000000000000000", "org", 60 * 5),
    ("OPENAI_API_KEY", "sk-fake-openai-000000000000", "user", 60 * 26),
    ("SENTRY_DSN", "https://fake@sentry.example/1", "org", 60 * 24 * 12),
    ("STRIPE_SECRET_KEY", "sk_test_fake_0000000000", "org", 60 * 24 * 90),
]


def _seed_with_times(tenant: Tenant) -> None:
    seed(tenant, [(name, value, scope) for name, value, scope, _ in SEED])
    db = sqlite3.connect(tenant.server.data_dir / "amika.sqlite3", timeout=10)
    try:
        for name, _, _, minutes in SEED:
            at = (FIXED_NOW - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            db.execute(
                "UPDATE secrets SET created_at = ?, updated_at = ? WHERE name = ? AND user_id ="
                " (SELECT user_id FROM secrets WHERE name = ? ORDER BY rowid DESC LIMIT 1)",
                (at, at, name, name),
            )
        db.commit()
    finally:
        db.close()


def _app(tenant: Tenant, **changes: Any) -> AmikaApp:
    app = app_for(tenant, local=True, email="dev@example.com", org="acme", **changes)
    app.animation_level = "none"  # the tab underline would be caught mid-slide
    return app


async def _ready(pilot: Pilot[Any]) -> None:
    await loaded(pilot)
    await pilot.pause()


def test_secrets_screen(snap_compare: Snap, tenant: Tenant) -> None:
    _seed_with_times(tenant)
    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=_ready)


def test_secrets_screen_filtered(snap_compare: Snap, tenant: Tenant) -> None:
    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"key", "enter")
        await pilot.pause()

    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=run_before)


def test_read_only_header(snap_compare: Snap, tenant: Tenant) -> None:
    """The red READ-ONLY badge in the header, write keys gone from the footer."""
    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AmikaApp)
        await wait_until(
            pilot, lambda: app.read_only_enforcement is Enforcement.SERVER, "read-only token"
        )
        await _ready(pilot)

    app = _app(tenant, read_only=True)
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_empty_state(snap_compare: Snap, tenant: Tenant) -> None:
    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=_ready)


@pytest.fixture
def env_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding `demo.env` (paths in the dialog stay relative)."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "demo.env").write_text(
        "DATABASE_URL=postgres://db.example/app\n"
        'NEW_TOKEN="quoted-token-value-0000"\n'
        "this line is broken\n"
        "GITHUB_TOKEN=ghp_fake_user_000000000000\n"
        "bad-name=value\n"
        "EMPTY=\n"
    )
    monkeypatch.chdir(folder)
    return folder


async def _open_import(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await _ready(pilot)
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "import dialog")
    await focused(pilot, "#import-path")
    await pilot.press(*"demo.env", "enter")
    await wait_until(pilot, lambda: app.screen.query_one("#import-table").display, "preview")
    await pilot.pause()


def test_import_preview(snap_compare: Snap, tenant: Tenant, env_dir: Path) -> None:
    _seed_with_times(tenant)
    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=_open_import)


def test_push_result(snap_compare: Snap, tenant: Tenant, env_dir: Path) -> None:
    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await _open_import(pilot)
        await pilot.press("down", "down", "space")  # GITHUB_TOKEN: update the org one
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PushScreen), "push screen")
        screen = app.screen
        assert isinstance(screen, PushScreen)
        await wait_until(pilot, lambda: screen.report is not None, "push result")
        # The table two dialogs down reloads after the push; it is hidden behind the
        # import dialog's opaque backdrop, but wait for it so nothing repaints later.
        assert isinstance(app, AmikaApp)
        listing = secrets_screen(app)
        await wait_until(
            pilot, lambda: len(listing.secrets) == 8 and not listing.table.loading, "reloaded"
        )
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=run_before)


def test_new_secret_dialog_at_80x24(snap_compare: Snap, tenant: Tenant) -> None:
    """Every field, the plan (a name that exists in the other scope) and the buttons."""
    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("n")
        await focused(pilot, "#secret-name")
        await pilot.press(*"GITHUB_TOKEN", "tab", *"typed-value")
        await focused(pilot, "#value-masked")
        await pilot.pause()

    assert snap_compare(_app(tenant), terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare: Snap, tenant: Tenant) -> None:
    """The keys of the secrets screen first, then everywhere's, then the rest."""
    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await focused(pilot, "#help-filter")
        # no blinking cursor: on a busy machine the picture was taken either side of a blink
        pilot.app.screen.query_one("#help-filter", Input).cursor_blink = False
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        await wait_until(
            pilot, lambda: help_screen.table.fitted_width == help_screen.table.size.width, "fitted"
        )
        await pilot.pause()

    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=run_before)


async def _staged(pilot: Pilot[Any]) -> None:
    """A new secret and a new value staged, and a filter that matches neither."""
    await _ready(pilot)
    app = pilot.app
    assert isinstance(app, AmikaApp)
    await pilot.press("n")
    await focused(pilot, "#secret-name")
    await pilot.press(*"HF_TOKEN", "tab", *"hf_fake_staged_value_000", "enter")
    await wait_until(pilot, lambda: len(app.staged) == 1, "staged new")
    screen = secrets_screen(app)
    screen.table.cursor_row = [s.name for s in screen.table.rows].index("OPENAI_API_KEY")
    await pilot.press("e")
    await focused(pilot, "#value-masked")
    await pilot.press(*"rotated", "enter")
    await wait_until(pilot, lambda: len(app.staged) == 2, "staged update")
    await pilot.press("slash", *"stripe", "enter")
    await focused(pilot, "#secrets-table")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), SIZE])
def test_staged_rows_marked_masked_and_counted(
    snap_compare: Snap, tenant: Tenant, size: tuple[int, int]
) -> None:
    """Staged rows pinned above the filter's match, values masked, the count above the
    footer and the review key in it."""
    _seed_with_times(tenant)
    assert snap_compare(_app(tenant), terminal_size=size, run_before=_staged)


def test_staged_review(snap_compare: Snap, tenant: Tenant) -> None:
    """ctrl+s: the import's review of the staged changes, values masked."""
    from amika_tui.ui.push.plan_review import PlanReviewScreen

    _seed_with_times(tenant)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _staged(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PlanReviewScreen), "review")
        await pilot.pause()

    assert snap_compare(_app(tenant), terminal_size=SIZE, run_before=run_before)

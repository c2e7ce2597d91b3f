"""Shared helpers of the UI tests: apps bound to a tenant, waiting, and opening screens."""

from __future__ import annotations

import html
import itertools
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from amika_tui.api import StaticTokenSource
from amika_tui.ui.app import AmikaApp, AppSettings, make_app
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
from amika_tui.ui.dialogs.import_env import ImportEnvDialog
from amika_tui.ui.dialogs.secret import SecretDialog
from amika_tui.ui.push import PushReviewScreen, PushScreen
from amika_tui.ui.push.plan_review import PlanReviewScreen
from amika_tui.ui.screens.account import AccountScreen
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from amika_tui.ui.screens.secrets import SecretsScreen
from tests.conftest import Tenant

FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SIZE = (120, 40)
HANG = 120.0
"""Seconds after which a wait counts as hung. Waits are on state, never on the clock: this
only turns a hang into a failure, so it is far above what a busy machine needs."""


async def _answer_at_once(seconds: float) -> None:
    """The wait between browser-login polls: the stubs answer at once, so do not wait."""


def app_for(tenant: Tenant | None, *, url: str | None = None, **changes: Any) -> AmikaApp:
    """An app signed in as ``tenant`` (signed out when None): fixed clock, tiny backoff, no
    wait between login polls."""
    settings = AppSettings(
        api_url=tenant.url if tenant else (url or "http://127.0.0.1:9"),
        token_source=StaticTokenSource(tenant.api_key) if tenant else None,
        credential_description="test API key" if tenant else None,
        email=tenant.email if tenant else None,
        org=tenant.org if tenant else None,
        clock=lambda: FIXED_NOW,
        max_retries=0,
        backoff_base=0.001,
        timeout=30.0,
        poll_wait=_answer_at_once,
    )
    return make_app(replace(settings, **changes))


@dataclass(frozen=True)
class FakeTimer:
    """One call scheduled on `FakeTimers`; ``stop()`` calls it off."""

    stop: Callable[[], object]


class FakeTimers:
    """An injected timer (`AppSettings.timer`): what it was given runs when the
    test advances its clock, never on the wall clock."""

    def __init__(self) -> None:
        self.now = 0.0
        """Seconds since the app started, as far as these timers know."""
        self._due: list[tuple[float, int, Callable[[], object]]] = []
        self._order = itertools.count()

    def __call__(self, delay: float, callback: Callable[[], object]) -> FakeTimer:
        entry = (self.now + delay, next(self._order), callback)
        self._due.append(entry)
        return FakeTimer(lambda: self._due.remove(entry) if entry in self._due else None)

    def advance(self, seconds: float) -> None:
        """Move the clock on, running every callback that falls due, in order."""
        self.now += seconds
        due = sorted(entry for entry in self._due if entry[0] <= self.now)
        self._due = [entry for entry in self._due if entry[0] > self.now]
        for _, _, callback in due:
            callback()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = HANG
) -> None:
    """Let the app run until ``condition()`` holds; fail naming ``what`` if it hangs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def click(pilot: Pilot[Any], selector: str, offset: tuple[int, int] = (0, 0)) -> None:
    """Click ``selector`` (at ``offset`` in it) once the layout has settled with it on top.

    Pilot clicks where the last layout put the widget: right after it was shown, or while a
    table above it is still sizing itself (or a toast covers it), the click would land
    elsewhere and be lost. So wait until two looks a pause apart agree on where it is.
    """
    screen = pilot.app.screen

    def spot() -> Region | None:
        found = screen.query(selector)
        if not found:
            return None
        region = found.first().region
        try:
            hit, _ = screen.get_widget_at(region.x + offset[0], region.y + offset[1])
        except NoWidget:
            return None
        return region if region and hit is found.first() else None

    previous: list[Region | None] = [None]

    def settled_on_top() -> bool:
        now = spot()
        settled = now is not None and now == previous[0]
        previous[0] = now
        return settled

    await wait_until(pilot, settled_on_top, f"{selector} settled on screen")
    assert await pilot.click(selector, offset=offset), f"the click missed {selector}"


async def focused(pilot: Pilot[Any], selector: str) -> None:
    """Wait until ``selector`` has the keyboard. Focus moves a moment after the key or the
    screen change that asks for it; keys typed before then would go elsewhere."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: app.focused is not None and app.focused in app.screen.query(selector),
        f"focus on {selector}",
    )


async def settled(pilot: Pilot[Any]) -> None:
    """Wait for running workers and the messages they posted."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def secrets_screen(app: AmikaApp) -> SecretsScreen:
    """The secrets screen (the current screen or under a dialog)."""
    for screen in app.screen_stack:
        if isinstance(screen, SecretsScreen):
            return screen
    raise AssertionError(f"no secrets screen in {app.screen_stack}")


async def loaded(pilot: Pilot[Any]) -> SecretsScreen:
    """Wait until the secrets screen has listed the secrets."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    await wait_until(
        pilot,
        lambda: app.current_mode == "secrets" and secrets_screen(app).loaded,
        "secrets listed",
    )
    return secrets_screen(app)


def visible_names(app: AmikaApp) -> list[str]:
    """Names in the secrets table, in display order."""
    return [secret.name for secret in secrets_screen(app).table.rows]


def seed(tenant: Tenant, rows: Iterable[tuple[str, str, str]]) -> None:
    """Insert (name, value, scope) secrets for the tenant's user directly in the store."""
    tenant.server.seed_secrets(tenant.api_key, rows)


def stored(tenant: Tenant) -> dict[tuple[str, str], str]:
    """(name, scope) -> value of the generic secrets the tenant can see, from the server."""
    return {
        (row["name"], row["scope"]): row["value"]
        for row in tenant.server.stored_secrets()
        if row["kind"] == "secret"
        and (row["email"] == tenant.email or (row["scope"] == "org" and row["org"] == tenant.org))
    }


def notifications(app: AmikaApp) -> list[str]:
    """Title and message of every notification posted so far (expired toasts too)."""
    return [f"{n.title}: {n.message}" for n in app.notification_log]


def screen_text(app: AmikaApp) -> str:
    """What the terminal shows now, screens under a dialog included, as plain text (the
    same rendering a snapshot takes)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def header_text(app: AmikaApp, widget_id: str) -> str:
    """What a header field (``header-who``, ``header-state``, …) shows now."""
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


def offered_actions(app: AmikaApp, screen: Screen[Any]) -> set[str]:
    """What the footer and the command palette offer on ``screen`` (bindings with a
    description, and the palette's own entries)."""
    footer = {
        a.binding.description for a in screen.active_bindings.values() if a.binding.description
    }
    palette = {command.title for command in app.get_system_commands(screen)}
    return footer | palette


TOKEN_EXCHANGE_PATH = "/api/v0beta1/auth/jwt"


def writes_sent(tenant: Tenant) -> list[tuple[str, str]]:
    """(method, path) of every request but reads and the read-only token exchange."""
    return [
        (entry.method, entry.path)
        for entry in tenant.server.request_log()
        if entry.method != "GET" and (entry.method, entry.path) != ("POST", TOKEN_EXCHANGE_PATH)
    ]


def import_dialog(app: AmikaApp) -> ImportEnvDialog:
    """The open .env import dialog."""
    for screen in app.screen_stack:
        if isinstance(screen, ImportEnvDialog):
            return screen
    raise AssertionError("no import dialog")


async def open_import(pilot: Pilot[Any], path: Path) -> ImportEnvDialog:
    """Open the import dialog from the listed secrets screen and preview ``path``."""
    app = pilot.app
    assert isinstance(app, AmikaApp)
    await loaded(pilot)
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportEnvDialog), "import dialog")
    await focused(pilot, "#import-path")
    # Typing a long tmp path key by key is slow; the snapshot test types a short one.
    import_dialog(app).query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    await wait_until(pilot, lambda: import_dialog(app).plan is not None, "preview")
    return import_dialog(app)


def provider_rows(tenant: Tenant, provider: str) -> list[dict[str, Any]]:
    """The server's stored credentials of ``provider`` for ``tenant``'s user or org."""
    return [
        row
        for row in tenant.server.stored_secrets()
        if row["kind"] == "provider"
        and row["provider"] == provider
        and (row["email"] == tenant.email or (row["scope"] == "org" and row["org"] == tenant.org))
    ]


_S = TypeVar("_S", bound=Screen[Any])


async def open_mode(pilot: Pilot[Any], key: str, screen_type: type[_S]) -> _S:
    """Press a mode key (1-4) and wait until its screen is the one shown (the switch runs
    after the key press returns)."""
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, screen_type), screen_type.__name__)
    screen = app.screen
    assert isinstance(screen, screen_type)
    return screen


async def open_providers(pilot: Pilot[Any], key: str = "claude") -> ProvidersScreen:
    """Open the providers screen (2) on ``key``'s tab and wait until it is listed, with the
    keyboard on its table."""
    screen = await open_mode(pilot, "2", ProvidersScreen)
    if key != "claude":
        await pilot.press("right_square_bracket")
    await wait_until(pilot, lambda: screen.pane(key).loaded, "credentials listed")
    await focused(pilot, f"#provider-table-{key}")
    return screen


async def open_add_dialog(pilot: Pilot[Any], key: str) -> AddCredentialDialog:
    """Open the providers screen on ``key``'s tab, wait for the list, press a."""
    app = pilot.app
    await open_providers(pilot, key)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, AddCredentialDialog), "add dialog")
    dialog = app.screen
    assert isinstance(dialog, AddCredentialDialog)
    return dialog


async def push_after_review(pilot: Pilot[Any]) -> PushScreen:
    """Confirm the open push review (y) and wait for the push result."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, PushReviewScreen), "review")
    return await push_and_wait(pilot, "y")


async def push_started(pilot: Pilot[Any], key: str = "ctrl+s") -> PushScreen:
    """Press ``key`` (ctrl+s pushes from the import dialog) and wait for the push view."""
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, PushScreen), "push screen")
    push = app.screen
    assert isinstance(push, PushScreen)
    return push


async def push_and_wait(pilot: Pilot[Any], key: str = "ctrl+s") -> PushScreen:
    """Press ``key``, wait for the push view and then for its result."""
    push = await push_started(pilot, key)
    await wait_until(pilot, lambda: push.report is not None and not push.running, "push done")
    return push


async def staged_review(pilot: Pilot[Any]) -> PlanReviewScreen:
    """Wait for the review of the staged changes (after ctrl+s)."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, PlanReviewScreen), "staged review")
    review = app.screen
    assert isinstance(review, PlanReviewScreen)
    return review


async def push_staged(pilot: Pilot[Any]) -> PushScreen:
    """In the review of the staged changes: push (y) and wait for the result."""
    await staged_review(pilot)
    return await push_and_wait(pilot, "y")


async def close_push(pilot: Pilot[Any]) -> None:
    """Close the push result (enter) and wait until the secrets screen is back on top."""
    app = pilot.app
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.screen.id == "secrets-screen", "the result closed")


async def new_secret_dialog(pilot: Pilot[Any]) -> SecretDialog:
    """Wait for the listing, press n and wait for the New secret dialog's name field."""
    await loaded(pilot)
    return await open_secret_dialog(pilot, "n")


async def open_secret_dialog(pilot: Pilot[Any], key: str = "n") -> SecretDialog:
    """Press ``key`` on the secrets screen (n: new, e/enter: update) and wait for the dialog
    with the keyboard on its first field (the name; the value when updating)."""
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, SecretDialog), f"dialog after {key}")
    await focused(pilot, "#secret-name" if key == "n" else "#value-masked")
    dialog = app.screen
    assert isinstance(dialog, SecretDialog)
    return dialog


async def sign_in_view(pilot: Pilot[Any]) -> AccountScreen:
    """Wait until the sign-in (account) view is shown with its widgets."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, AccountScreen) and bool(app.screen.query("#account-key")),
        "the sign-in view",
    )
    screen = app.screen
    assert isinstance(screen, AccountScreen)
    return screen


async def open_extract(pilot: Pilot[Any]) -> ExtractScreen:
    """Switch to the extract pane (3) and wait for the first scan, with the keyboard on the
    findings."""
    screen = await open_mode(pilot, "3", ExtractScreen)
    await wait_until(pilot, lambda: screen.report is not None, "the scan")
    await focused(pilot, "#extract-findings")
    return screen

"""Every worker failure reaches the user, on every screen: faults come from the server's
knobs, a home directory that is not there, or an address nothing can connect to."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from textual.widgets import Input, Static

import amika_tui.ui
from amika_tui.ui.dialogs.add_credential import AddCredentialDialog
from amika_tui.ui.dialogs.error import ErrorModal
from amika_tui.ui.dialogs.scope_choice import ScopeChoiceModal
from amika_tui.ui.push import PushScreen
from amika_tui.ui.screens.extract import ExtractScreen
from amika_tui.ui.screens.providers import ProvidersScreen
from amika_tui.ui.workers import ReportsWorkerFailures
from tests.conftest import Tenant
from tests.ui.support import (
    SIZE,
    app_for,
    focused,
    loaded,
    notifications,
    open_add_dialog,
    open_extract,
    open_import,
    open_mode,
    open_providers,
    sign_in_view,
    wait_until,
)
from tests.ui.test_extract import select
from tests.ui.test_providers import seed as seed_credential


def said(app: object, text: str) -> bool:
    """True once a notification (expired or not) contains ``text``."""
    from amika_tui.ui.app import AmikaApp

    assert isinstance(app, AmikaApp)
    return any(text in line for line in notifications(app))


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """``$HOME`` empty: the scan of this machine has no home directory (XDG and the state
    directory still point into the test's tmp, so nothing is written elsewhere)."""
    monkeypatch.setenv("HOME", "")


class TestScreens:
    async def test_secrets_listing_failure_is_a_toast_and_the_offline_line(
        self, tenant: Tenant
    ) -> None:
        tenant.server.faults.fail_rate = 1.0
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: said(app, "Could not load secrets"), "the toast")
            assert not any(isinstance(s, ErrorModal) for s in app.screen_stack)

    async def test_provider_listing_failure_says_so_in_the_toast_and_the_pane(
        self, tenant: Tenant
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            tenant.server.faults.fail_rate = 1.0
            screen = await open_mode(pilot, "2", ProvidersScreen)
            await wait_until(
                pilot, lambda: said(app, "Listing Claude credentials failed"), "the toast"
            )
            status = screen.pane("claude").query_one(".provider-status", Static)
            await wait_until(pilot, lambda: "r to retry" in str(status.render()), "the status")

    async def test_provider_delete_failure_is_a_toast(self, tenant: Tenant) -> None:
        await seed_credential(tenant, "claude", "Work key", "sk-ant-api03-FAKE-000000000000")
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await open_providers(pilot)
            tenant.server.faults.fail_rate = 1.0
            await pilot.press("d", "y")
            await wait_until(pilot, lambda: said(app, "Deleting “Work key” failed"), "the toast")

    async def test_extract_without_a_home_says_why_in_a_toast_and_the_state_line(
        self, tenant: Tenant, no_home: None
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            screen = await open_mode(pilot, "3", ExtractScreen)
            await wait_until(pilot, lambda: said(app, "Cannot scan this machine"), "the toast")
            state = str(screen.query_one("#extract-state", Static).render())
            assert "$HOME is not defined" in state

    async def test_extract_push_listing_failure_is_a_toast(
        self, tenant: Tenant, demo_home: Path
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            screen = await open_extract(pilot)
            await select(pilot, screen, "groq")
            tenant.server.faults.fail_rate = 1.0
            await pilot.press("p")
            await wait_until(pilot, lambda: isinstance(app.screen, ScopeChoiceModal), "scope")
            await pilot.press("u")
            await wait_until(pilot, lambda: said(app, "Listing secrets failed"), "the toast")
            assert app.screen is screen, "no push started"

    async def test_add_credential_without_a_home_says_why(
        self, tenant: Tenant, no_home: None
    ) -> None:
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            dialog = await open_add_dialog(pilot, "claude")
            await wait_until(pilot, lambda: said(app, "Cannot scan this machine"), "the toast")
            state = str(dialog.query_one("#discover-state", Static).render())
            assert "Could not scan this machine" in state and "$HOME" in state
            assert isinstance(app.screen, AddCredentialDialog), "the dialog stays usable"

    async def test_import_relisting_failure_is_a_toast(self, tenant: Tenant, env: Path) -> None:
        app = app_for(tenant)
        async with app.run_test(size=SIZE) as pilot:
            dialog = await open_import(pilot, env)
            tenant.server.faults.fail_rate = 1.0
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, PushScreen), "push")
            push = app.screen
            assert isinstance(push, PushScreen)
            await wait_until(pilot, lambda: push.report is not None, "push finished")
            await pilot.press("escape")  # back in the dialog, which lists again: fails
            await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
            await wait_until(pilot, lambda: said(app, "Could not list secrets"), "the toast")

    async def test_sign_in_that_cannot_even_connect_is_reported_not_a_crash(
        self, tenant: Tenant
    ) -> None:
        # Port 99999 does not exist: the connection attempt fails in a way the API client
        # does not map to one of its errors. The app must say so and keep running.
        app = app_for(None, url="http://127.0.0.1:99999")
        async with app.run_test(size=SIZE) as pilot:
            screen = await sign_in_view(pilot)
            await pilot.press("s")
            await focused(pilot, "#account-key")
            screen.query_one("#account-key", Input).value = tenant.api_key
            await pilot.press("enter")
            result = screen.query_one("#account-key-result", Static)
            await wait_until(
                pilot, lambda: "Nothing was saved" in str(result.render()), "the key result"
            )
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, ErrorModal) or said(app, "Signing in"),
                "the failure reported",
            )
            assert not app.signed_in
            if isinstance(app.screen, ErrorModal):
                await pilot.press("enter")
                await wait_until(pilot, lambda: app.screen is screen, "the modal closed")
            assert app.is_running


@pytest.fixture
def env(tmp_path: Path) -> Path:
    """A small .env file."""
    path = tmp_path / "app.env"
    path.write_text("DATABASE_URL=postgres://db.example/app\nAPI_TOKEN=token-0123456789\n")
    return path


def _worker_methods() -> list[tuple[str, str, ast.Call | None]]:
    """(module, class, decorator call) of every ``@work`` method under amika_tui/ui."""
    root = Path(inspect.getfile(amika_tui.ui)).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        module = "amika_tui." + ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for decorator in item.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    target = call.func if call is not None else decorator
                    if isinstance(target, ast.Name) and target.id == "work":
                        found.append((module, node.name, call))
    return found


def test_every_worker_routes_its_failures_and_names_itself() -> None:
    workers = _worker_methods()
    assert len(workers) >= 13
    for module, class_name, call in workers:
        where = f"{module}.{class_name}"
        assert call is not None, f"{where}: @work needs arguments"
        keywords = {k.arg: k.value for k in call.keywords}
        exit_on_error = keywords.get("exit_on_error")
        assert isinstance(exit_on_error, ast.Constant) and exit_on_error.value is False, (
            f"{where}: a failing worker must not crash the app (exit_on_error=False)"
        )
        description = keywords.get("description")
        assert isinstance(description, ast.Constant) and isinstance(description.value, str), (
            f"{where}: the default description quotes the arguments (an API key, say)"
        )
        owner = getattr(importlib.import_module(module), class_name)
        assert issubclass(owner, ReportsWorkerFailures), f"{where} drops its workers' failures"

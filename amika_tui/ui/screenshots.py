"""Regenerate the README screenshots: ``python -m amika_tui.ui.screenshots OUTDIR``.

Starts the reference server in a temporary directory, seeds it with obviously fake data,
points HOME (and the XDG dirs) at a temporary fixture home with fake agent credentials,
drives the real app headless and saves one SVG per main screen. Nothing on the machine
running it is read or written outside OUTDIR and the temporary directory.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

__all__ = ["SCREENS", "main", "take_screenshots"]

SIZE = (120, 40)

#: Generic secrets of the demo account: (name, value, scope). Values are fake.
DEMO_SECRETS: tuple[tuple[str, str, str], ...] = (
    ("ANTHROPIC_API_KEY", "sk-ant-api03-FAKE-demo-0000000000", "user"),
    ("OPENAI_API_KEY", "sk-proj-FAKE-demo-0000000000", "user"),
    ("GITHUB_TOKEN", "ghp_FAKEdemo000000000000000000", "user"),
    ("DATABASE_URL", "postgres://demo:FAKE@db.example.com/app", "user"),
    ("STRIPE_SECRET_KEY", "sk_test_FAKE_demo_000000000000", "org"),
    ("SENTRY_DSN", "https://FAKE@o0.ingest.example.com/0", "org"),
    ("SLACK_WEBHOOK_URL", "https://hooks.example.com/services/FAKE", "org"),
    ("NPM_TOKEN", "npm_FAKEdemo0000000000000000000", "org"),
)


def _isolate(root: Path) -> Path:
    """Point HOME, the XDG dirs and the Amika state dir into ``root``; returns the home."""
    home = root / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)
    for variable, relative in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        os.environ[variable] = str(home / relative)
    os.environ["AMIKA_STATE_DIRECTORY"] = str(home / ".local/state/amika")
    for variable in ("AMIKA_API_KEY", "AMIKA_API_URL", "AMIKA_TOKEN_PROVIDER_URL"):
        os.environ.pop(variable, None)
    return home


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 15
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"screenshots: timed out waiting for {what}")
        await pilot.pause(0.05)


async def _secrets(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.current_mode == "secrets", "the secrets screen")
    await _until(pilot, lambda: bool(getattr(app.screen, "loaded", False)), "secrets listed")


async def _staged(pilot: Pilot[Any]) -> None:
    """A new secret and a new value staged, with a filter that matches neither."""
    from amika_tui.ui.dialogs.secret import SecretDialog
    from amika_tui.ui.screens.secrets import SecretsScreen

    await _secrets(pilot)
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, SecretsScreen)
    staged = screen.amika_app.staged
    for key, name, value in (
        ("n", "HF_TOKEN", "hf_FAKEdemo00000000000000"),
        ("e", "", "sk-proj-FAKE-rotated-0000000000"),
    ):
        if key == "e":
            names = [secret.name for secret in screen.table.rows]
            screen.table.cursor_row = names.index("OPENAI_API_KEY")
        wanted = len(staged) + 1
        await pilot.press(key)
        await _until(pilot, lambda: isinstance(app.screen, SecretDialog), "the dialog")
        await pilot.pause(0.1)
        await pilot.press(*name, *(["tab"] if name else []), *value, "enter")
        await _until(pilot, lambda: len(staged) == wanted, "the change staged")  # noqa: B023
    await pilot.press("slash", *"stripe", "enter")
    await _until(pilot, lambda: screen.query_text == "stripe", "the filter")


async def _providers(pilot: Pilot[Any]) -> None:
    from amika_tui.ui.screens.providers import ProvidersScreen

    await _secrets(pilot)
    await pilot.press("2")
    screen = pilot.app.screen
    assert isinstance(screen, ProvidersScreen)
    await _until(pilot, lambda: screen.pane("claude").loaded, "Claude credentials listed")
    table = screen.pane("claude").query_one(DataTable)
    id_column = table.ordered_columns[-1].key
    for index, row_key in enumerate(list(table.rows)):
        table.update_cell(row_key, id_column, f"psec_demo_{index + 1:04d}")


async def _add_credential(pilot: Pilot[Any]) -> None:
    from amika_tui.ui.dialogs.add_credential import AddCredentialDialog

    await _providers(pilot)
    await pilot.press("a")
    await _until(pilot, lambda: isinstance(pilot.app.screen, AddCredentialDialog), "add dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, AddCredentialDialog)
    await _until(pilot, lambda: bool(dialog.discovered), "local discovery")


async def _extract(pilot: Pilot[Any]) -> None:
    from amika_tui.ui.screens.extract import ExtractScreen

    await _secrets(pilot)
    await pilot.press("3")
    screen = pilot.app.screen
    assert isinstance(screen, ExtractScreen)
    await _until(pilot, lambda: screen.report is not None, "the scan")
    await pilot.press("space")


async def _account(pilot: Pilot[Any]) -> None:
    await _secrets(pilot)
    await pilot.press("4")
    await pilot.pause(0.2)


async def _sign_in(pilot: Pilot[Any]) -> None:
    await _until(pilot, lambda: pilot.app.current_mode == "account", "the sign-in view")
    await pilot.pause(0.2)


Step = Callable[[Pilot[Any]], Awaitable[None]]

#: file name -> (signed in?, how to get there).
SCREENS: dict[str, tuple[bool, Step]] = {
    "secrets.svg": (True, _secrets),
    "staged.svg": (True, _staged),
    "providers.svg": (True, _providers),
    "add-credential.svg": (True, _add_credential),
    "extract.svg": (True, _extract),
    "account.svg": (True, _account),
    "sign-in.svg": (False, _sign_in),
}


async def _seed(url: str, api_key: str) -> None:
    from amika_tui.api import AmikaClient, CredentialType, Scope

    async with AmikaClient(url, access_token=api_key) as client:
        await client.create_provider_secret(
            "claude",
            "Claude OAuth",
            '{"claudeAiOauth": {"accessToken": "FAKE"}}',
            CredentialType.OAUTH,
        )
        await client.create_provider_secret(
            "claude", "Team Claude key", "sk-ant-api03-FAKE-team", CredentialType.API_KEY, Scope.ORG
        )
        await client.create_provider_secret(
            "codex", "Codex API Key", "sk-proj-FAKE-demo", CredentialType.API_KEY
        )


async def take_screenshots(outdir: Path) -> list[Path]:
    """Write every screenshot into ``outdir``; returns the written paths."""
    from amika_tui.api import StaticTokenSource
    from amika_tui.server.testing import run_server
    from amika_tui.ui.app import AppSettings, make_app
    from amika_tui.ui.demo_home import write_demo_home

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="amika-screenshots-") as temp:
        root = Path(temp)
        write_demo_home(_isolate(root))
        with run_server(root / "server") as server:
            server.seed_secrets(server.api_key, DEMO_SECRETS)
            await _seed(server.url, server.api_key)
            for name, (signed_in, step) in SCREENS.items():
                settings = AppSettings(
                    api_url=server.url if signed_in else "https://app.amika.dev",
                    token_source=StaticTokenSource(server.api_key) if signed_in else None,
                    credential_description="LOCAL server key" if signed_in else None,
                    email="dev@example.com" if signed_in else None,
                    org="default" if signed_in else None,
                    local=signed_in,
                    config_dir=root / "config",
                )
                app = make_app(settings)
                async with app.run_test(size=SIZE) as pilot:
                    await step(pilot)
                    await pilot.pause()
                    path = outdir / name
                    app.save_screenshot(filename=name, path=str(outdir))
                    written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m amika_tui.ui.screenshots OUTDIR``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m amika_tui.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in asyncio.run(take_screenshots(Path(args[0]))):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

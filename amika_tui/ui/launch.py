"""Start the Textual app from parsed command line arguments.

- ``amika-tui``: `AMIKA_API_URL` (or ``--api-url``) with the credentials `amika` would use;
  none usable → the app opens on the sign-in view.
- Credential precedence, first one set wins: ``--token-provider-url`` →
  ``AMIKA_TOKEN_PROVIDER_URL`` → the CLI's own order (``AMIKA_API_KEY`` → ``api-key.json`` →
  ``workos-session.json``). A token provider is an explicit choice for this tool, so it
  wins over what `amika` has stored or exported.
- ``--read-only``: see `amika_tui.auth.read_only` (the app does the exchange).
- ``amika-tui --local``: the reference server runs embedded (background thread, free
  loopback port, persistent store under the user data dir) and the app uses its key.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from amika_tui.ui.app import AmikaApp, AppSettings, make_app

__all__ = [
    "local_data_dir",
    "local_server",
    "run_app",
    "settings_from_environment",
]


def local_data_dir() -> Path:
    """Where ``--local`` keeps its store: ``<user data dir>/amika-tui/local-server``."""
    return Path(platformdirs.user_data_dir("amika-tui")) / "local-server"


def settings_from_environment(
    env: Mapping[str, str],
    *,
    api_url: str | None = None,
    token_provider_url: str | None = None,
    read_only: bool = False,
) -> AppSettings:
    """Settings for the hosted (or ``--api-url``) API with the resolved credentials.

    Raises:
        ValueError: The API URL or the token provider URL (flag or environment) is not an
            http(s) URL with a host.
    """
    from amika_tui.auth import CredentialKind, api_base_url, auth_status, resolve_credentials

    url = api_url or api_base_url(env)
    _check_api_url(url)
    resolved = resolve_credentials(env, token_provider_url=token_provider_url)
    # Who a session belongs to is known from its file; a token provider says nothing.
    from_files = resolved is None or resolved.kind is not CredentialKind.TOKEN_PROVIDER
    status = auth_status(env) if from_files else None
    return AppSettings(
        api_url=url,
        token_source=resolved.token_source if resolved else None,
        credential_description=resolved.description if resolved else None,
        email=status.email if status else None,
        org=status.org if status else None,
        read_only=read_only,
    )


def _check_api_url(url: str) -> None:
    """Refuse an API URL the client could not use, before the UI starts (it would fail at
    the first request, or crash at start-up).

    Raises:
        ValueError: naming the URL and what is wrong with it.
    """
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as error:
        raise ValueError(f"the API URL {url!r} has a bad port ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the API URL must be an http(s) URL with a host, got {url!r}")


@contextmanager
def local_server(data_dir: Path | None = None) -> Iterator[AppSettings]:
    """Run the embedded reference server; yields settings pointing at it."""
    from amika_tui.api import StaticTokenSource
    from amika_tui.server.embedded import run_embedded
    from amika_tui.server.runtime import DEFAULT_EMAIL, DEFAULT_ORG, DEV_KEY_FILE_NAME

    folder = data_dir or local_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # The app is the server's only client, in this process: a cached copy of its listing
    # would only double the memory a big listing takes.
    with run_embedded(folder, listing_cache_bytes=0) as server:
        _silence_server_logs()
        yield AppSettings(
            api_url=server.url,
            token_source=StaticTokenSource(server.api_key),
            credential_description="embedded server key",
            email=DEFAULT_EMAIL,
            org=DEFAULT_ORG,
            local=True,
            local_key_file=server.data_dir / DEV_KEY_FILE_NAME,
        )


def _silence_server_logs() -> None:
    """Server log lines would be drawn over the UI: keep them out of the terminal."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "amika_tui.server"):
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False


def run_app(args: argparse.Namespace) -> int:
    """Open the UI; returns the exit code."""
    read_only = bool(getattr(args, "read_only", False))
    token_provider_url = getattr(args, "token_provider_url", None)
    if getattr(args, "local", False):
        if args.api_url or token_provider_url:
            raise SystemExit(
                "amika-tui: --local cannot be combined with --api-url or --token-provider-url"
            )
        from amika_tui.server.keys import KeyFileError

        try:
            with local_server() as settings:
                app = make_app(_with_read_only(settings, read_only))
                result = _run(app)
        except KeyFileError as error:
            raise SystemExit(f"amika-tui --local: {error}") from None
        return int(result or 0)
    try:
        settings = settings_from_environment(
            os.environ,
            api_url=args.api_url,
            token_provider_url=token_provider_url,
            read_only=read_only,
        )
    except ValueError as error:
        raise SystemExit(f"amika-tui: {error}") from None
    result = _run(make_app(settings))
    return int(result or 0)


def _run(app: AmikaApp) -> int | None:
    """Run ``app``; what is alive now (modules, the app) is moved out of the cyclic
    collector's way first (see `amika_tui.cli.main`, which turned it off for the imports)."""
    gc.freeze()
    gc.enable()
    return app.run()


def _with_read_only(settings: AppSettings, read_only: bool) -> AppSettings:
    from dataclasses import replace

    return replace(settings, read_only=read_only) if read_only else settings

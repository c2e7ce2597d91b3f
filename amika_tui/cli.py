"""Command line entry point: `amika-tui` and its subcommands.

Each subcommand lives in its own module and exposes two functions:
``add_parser(subparsers)`` to declare its arguments and ``run(args) -> int``.
They are imported lazily so `amika-tui --version` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from amika_tui import __version__

#: subcommand name -> module that implements it (``add_parser`` / ``run``).
SUBCOMMANDS: dict[str, str] = {
    "serve": "amika_tui.server.cli",
    "extract": "amika_tui.discovery.cli",
    "push": "amika_tui.commands.push",
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, subcommands included."""
    parser = argparse.ArgumentParser(
        prog="amika-tui",
        description="A keyboard-first terminal UI for the Amika secrets store.",
    )
    parser.add_argument("--version", action="version", version=f"amika-tui {__version__}")
    parser.add_argument(
        "--local",
        action="store_true",
        help="start an embedded Amika-compatible server on loopback and open the UI against it",
    )
    parser.add_argument(
        "--api-url", metavar="URL", help="Amika API base URL (default: $AMIKA_API_URL)"
    )
    parser.add_argument(
        "--token-provider-url",
        metavar="URL",
        help=(
            "fetch access tokens from your own backend, which answers "
            '{"accessToken": "..."} (default: $AMIKA_TOKEN_PROVIDER_URL); wins over '
            "AMIKA_API_KEY and the stored credentials"
        ),
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help=(
            "open a session that cannot write: an API key is exchanged for a read-only "
            "token when the server supports it, otherwise amika-tui refuses writes itself"
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in SUBCOMMANDS.values():
        module = importlib.import_module(module_name)
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `amika-tui`; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        module = importlib.import_module(SUBCOMMANDS[args.command])
        try:
            return int(module.run(args))
        except BrokenPipeError:
            # `amika-tui extract | head`: the reader left; stop quietly like other Unix tools.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
    from amika_tui.ui.launch import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())

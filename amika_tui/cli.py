"""Command line entry point: `amika-tui` and its subcommands.

Each subcommand lives in its own module and exposes two functions:
``add_parser(subparsers)`` to declare its arguments and ``run(args) -> int``. Only the
chosen subcommand's module is imported: `amika-tui --version`, `--help` and `extract`
never load the server, the API client or Textual.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from amika_tui import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    import argparse

#: subcommand -> (module that implements it with ``add_parser`` / ``run``, its summary
#: in `amika-tui --help`).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("amika_tui.server.cli", "run the Amika-compatible reference server"),
    "extract": (
        "amika_tui.discovery.cli",
        "print local agent credentials as shell assignments (like `amika auth extract`)",
    ),
    "push": (
        "amika_tui.commands.push",
        "push secrets from a .env file, arguments or the environment (like `amika secret push`)",
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``command``'s own arguments are declared by its module, every
    other subcommand is only named (so its module is not imported)."""
    from amika_tui.arguments import ArgumentParser

    parser = ArgumentParser(
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
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=ArgumentParser
    )
    for name, (_, summary) in SUBCOMMANDS.items():
        if name == command:
            _module(name).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=summary, add_help=False)
    return parser


def _module(command: str) -> argparse.Namespace:
    import importlib

    return importlib.import_module(SUBCOMMANDS[command][0])  # type: ignore[return-value]


#: Top-level options followed by a value (`--api-url URL`).
_VALUED_OPTIONS = ("--api-url", "--token-provider-url")


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, if any: its first word that is not an option or an
    option's value (``--api-url serve`` names none; argparse's unique prefixes count)."""
    args = iter(argv)
    for arg in args:
        if arg == "--":
            return next(args, None)
        if not arg.startswith("-"):
            return arg
        name = arg.partition("=")[0]
        if "=" not in arg and len(name) > 2:
            matches = [o for o in _VALUED_OPTIONS if o.startswith(name)]
            if len(matches) == 1:
                next(args, None)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `amika-tui`; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        sys.stdout.write(f"amika-tui {__version__}\n")
        return 0
    args = build_parser(chosen_command(argv)).parse_args(argv)
    if args.command:
        module = _module(args.command)
        try:
            return int(module.run(args))
        except BrokenPipeError:
            # `amika-tui extract | head`: the reader left; stop quietly like other Unix tools.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
    import gc

    # The UI's imports make only long-lived objects, which the cyclic collector would walk
    # again and again before the first frame (~100 ms); `run_app` freezes them and turns
    # it back on just before the app starts.
    gc.disable()
    try:
        from amika_tui.ui.launch import run_app

        return run_app(args)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())

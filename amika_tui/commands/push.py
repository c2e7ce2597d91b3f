"""`amika-tui push`: plan, confirm and push generic secrets from the command line.

A drop-in for ``amika secret push`` (the same inputs, ``.env`` rules and precedence; see
`amika_tui.sync.inputs`) that shows the whole plan first and pushes through the one
executor.

Exit status: 0 everything written (or a dry run that would write everything; or the user
answered no, as with the CLI); 1 something was not written (an item failed, a scope
conflict or invalid row was skipped, or the store could not be listed); 2 bad usage or
input, nothing sent; 3 not signed in, or the server refused the credentials (401); 130
interrupted with ctrl+c (during the push: after the items in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from amika_tui.api import (
    AmikaClient,
    AmikaError,
    AuthenticationError,
    InsecureTransportError,
    Scope,
)
from amika_tui.auth import api_base_url, resolve_credentials
from amika_tui.sync.envfile import (
    EnvFileError,
    EnvParseResult,
    ParseMode,
    parse_env_bytes,
    read_env_file,
)
from amika_tui.sync.executor import PushExecutor, PushProgress, PushReport
from amika_tui.sync.inputs import InputError, PushInput, collect_inputs
from amika_tui.sync.pacing import INITIAL_CONCURRENCY, MAX_CONCURRENCY
from amika_tui.sync.plan import RowKind, SecretPlan, plan_secrets
from amika_tui.sync.push_output import (
    PushSummary,
    left_as_is_lines,
    plan_json,
    plan_lines,
    report_json,
    report_lines,
)

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_NOT_ALL_WRITTEN, EXIT_USAGE, EXIT_AUTH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_MAX_CONCURRENCY = 64
_STDIN = "<stdin>"

_DESCRIPTION = """\
Push secrets to the remote Amika secrets store, like `amika secret push`: from a .env file,
KEY=VALUE arguments and environment variables (--from-env); when a key is in several, the
arguments override the file and --from-env overrides both. The plan comes first (create,
update, scope conflict, invalid; values masked; the store's secrets the input does not have
are listed as left as is), then `Push N secret(s) to remote store? [y/N]` on a terminal.

Values given as KEY=VALUE arguments land in your shell history and are visible to other
users in the process list: prefer --from-env NAME or --from-file - (standard input)."""

_EPILOG = """\
exit status: 0 all written (or a dry run that would write all), 1 something not written,
2 bad usage or input (nothing sent), 3 not signed in or credentials refused (401)

examples:
  amika-tui push --from-file .env --dry-run        # the plan and a drift check, no writes
  amika-tui push --from-env ANTHROPIC_API_KEY,OPENAI_API_KEY
  sops --decrypt secrets.env | amika-tui push --from-file - --yes --json"""


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= _MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be between 1 and {_MAX_CONCURRENCY}")
    return value


def add_parser(subparsers: Any) -> None:
    """Declare `push`."""
    parser = subparsers.add_parser(
        "push",
        help="push secrets from a .env file, arguments or the environment (`amika secret push`)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "assignments",
        nargs="*",
        metavar="KEY=VALUE",
        help="a secret to push (kept in your shell history: prefer --from-env or stdin)",
    )
    parser.add_argument(
        "--from-file",
        metavar="PATH",
        help="a .env file to read (- reads standard input)",
    )
    parser.add_argument(
        "--from-env",
        metavar="A,B",
        default="",
        help="comma-separated names of environment variables to push (each must be set)",
    )
    parser.add_argument(
        "--scope", choices=[s.value for s in Scope], default="user", help="default: user"
    )
    parser.add_argument(
        "--mode",
        choices=[m.value for m in ParseMode],
        default="amika",
        help="how to read the file: amika (verbatim, like the CLI; default) or dotenv "
        "(quotes, export, comments, multi-line values)",
    )
    parser.add_argument("--only", metavar="A,B", help="push only these names from the input")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before pushing")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the plan and the report as JSON on stdout (never a value); "
        "human text goes to stderr",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=MAX_CONCURRENCY,
        metavar="N",
        help=f"at most N secrets in flight (default {MAX_CONCURRENCY}; a push starts at "
        f"{INITIAL_CONCURRENCY}, grows while the server keeps up and halves on a 429)",
    )
    # Also accepted after `push`; SUPPRESS keeps the top-level value when not given here.
    parser.add_argument(
        "--api-url", metavar="URL", default=argparse.SUPPRESS, help="as amika-tui --api-url"
    )
    parser.add_argument(
        "--token-provider-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="as amika-tui --token-provider-url",
    )


class _Stop(Exception):
    """End the command with ``status``, after printing ``lines`` (human) to stderr."""

    def __init__(self, status: int, *lines: str) -> None:
        super().__init__(status)
        self.status = status
        self.lines = lines


@dataclass
class _Output:
    """Where text goes: the plan and report to stdout, or to stderr with ``--json``."""

    json_mode: bool

    @property
    def human(self) -> TextIO:
        return sys.stderr if self.json_mode else sys.stdout

    def say(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.human)

    def warn(self, *lines: str) -> None:
        for line in lines:
            print(line, file=sys.stderr)

    def document(self, data: dict[str, Any]) -> None:
        if self.json_mode:
            json.dump(data, sys.stdout, indent=2)
            sys.stdout.write("\n")


def run(args: argparse.Namespace) -> int:
    """Run `push`; returns the exit status."""
    out = _Output(json_mode=args.json)
    doc: dict[str, Any] = {"dry_run": args.dry_run}
    try:
        status = _run(args, out, doc)
    except _Stop as stop:
        status = _stopped(stop, out, doc)
    except KeyboardInterrupt:  # during the push itself ctrl+c only stops the executor
        status = _stopped(
            _Stop(EXIT_INTERRUPTED, "interrupted before the push; nothing was written"), out, doc
        )
    doc["exit_status"] = status
    out.document(doc)
    return status


def _stopped(stop: _Stop, out: _Output, doc: dict[str, Any]) -> int:
    out.warn(*(f"amika-tui push: {line}" for line in stop.lines))
    doc["error"] = "; ".join(stop.lines)
    return stop.status


def _run(args: argparse.Namespace, out: _Output, doc: dict[str, Any]) -> int:
    if getattr(args, "local", False):
        raise _Stop(EXIT_USAGE, "--local is for the UI; push to `amika-tui serve` with --api-url")
    if getattr(args, "read_only", False) and not args.dry_run:
        raise _Stop(EXIT_USAGE, "--read-only cannot push; add --dry-run to see the plan")
    if not args.dry_run and not args.yes:
        if args.from_file == "-":
            raise _Stop(
                EXIT_USAGE,
                "standard input is the .env file (--from-file -), so it cannot answer "
                "the confirmation; pass --yes (or --dry-run to see the plan)",
            )
        if sys.stdin is None or not sys.stdin.isatty():
            raise _Stop(
                EXIT_USAGE,
                "standard input is not a terminal, so no one can answer the confirmation; "
                "pass --yes to push without asking (or --dry-run to see the plan)",
            )
    given = _collect(args, out, doc)
    try:
        resolved = resolve_credentials(
            os.environ, token_provider_url=getattr(args, "token_provider_url", None)
        )
    except ValueError as error:
        raise _Stop(EXIT_USAGE, str(error)) from None
    if resolved is None:
        raise _Stop(
            EXIT_AUTH,
            "not signed in: set AMIKA_API_KEY, run `amika auth login`, or sign in in amika-tui",
        )
    base_url = getattr(args, "api_url", None) or api_base_url(os.environ)
    try:
        client = AmikaClient(base_url, token_source=resolved.token_source)
    except ValueError as error:
        raise _Stop(EXIT_USAGE, str(error)) from None
    # One loop for both network phases, stopped in between: the question is asked outside
    # it, so ctrl+c at the prompt interrupts at once.
    with asyncio.Runner() as runner:
        try:
            plan = runner.run(_plan(client, given, args.scope))
            return _review_and_push(runner, client, plan, args, given, out, doc)
        finally:
            runner.run(client.aclose())


def _collect(args: argparse.Namespace, out: _Output, doc: dict[str, Any]) -> PushInput:
    """Read every source; stops with exit 2 on any input problem, before anything is sent."""
    parsed: EnvParseResult | None = None
    label = _STDIN if args.from_file == "-" else (args.from_file or "")
    try:
        if args.from_file == "-":
            if sys.stdin is None:
                raise EnvFileError("standard input is closed")
            parsed = parse_env_bytes(sys.stdin.buffer.read(), _STDIN, args.mode)
        elif args.from_file:
            parsed = read_env_file(args.from_file, args.mode)
        given = collect_inputs(
            parsed=parsed,
            file_label=label,
            arguments=args.assignments,
            from_env=args.from_env,
            environ=os.environ,
        )
    except EnvFileError as error:
        raise _Stop(EXIT_USAGE, str(error)) from None
    except InputError as error:
        doc["problems"] = list(error.problems)
        raise _Stop(EXIT_USAGE, *error.problems, "nothing was pushed") from None
    out.warn(*given.notes)
    doc["notes"] = list(given.notes)
    if not given.entries:
        raise _Stop(
            EXIT_USAGE,
            "no secrets provided; pass KEY=VALUE args, use --from-env, or use --from-file",
        )
    if args.only is None:
        return given
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    keys = {entry.key for entry in given.entries}
    out.warn(*(f"warning: --only {name}: not in the input" for name in wanted if name not in keys))
    entries = tuple(entry for entry in given.entries if entry.key in wanted)
    if not entries:
        raise _Stop(EXIT_USAGE, "no secrets match the --only filter")
    return PushInput(entries, given.origins, given.notes)


async def _plan(client: AmikaClient, given: PushInput, scope: str) -> SecretPlan:
    """List the remote secrets once and plan the push against them."""
    try:
        remote = await client.list_secrets()
    except AuthenticationError as error:
        raise _Stop(
            EXIT_AUTH, f"the server refused the credentials: {error.user_message()}"
        ) from None
    except InsecureTransportError as error:
        raise _Stop(EXIT_USAGE, error.user_message()) from None
    except AmikaError as error:
        raise _Stop(
            EXIT_NOT_ALL_WRITTEN, f"listing remote secrets: {error.user_message()}"
        ) from None
    return plan_secrets(given.entries, remote, scope)


def _review_and_push(
    runner: asyncio.Runner,
    client: AmikaClient,
    plan: SecretPlan,
    args: argparse.Namespace,
    given: PushInput,
    out: _Output,
    doc: dict[str, Any],
) -> int:
    """Show the plan, ask (unless told not to), push, report; returns the exit status."""
    doc["plan"] = plan_json(plan, given.origins)
    out.say(*plan_lines(plan, given.origins))
    if plan.left_as_is:
        out.say("", *left_as_is_lines(plan))
    out.say("", f"Plan: {plan.summary()}.")
    if args.dry_run:
        out.say("Dry run: nothing was written.")
        clean = all(row.kind in (RowKind.CREATE, RowKind.UPDATE) for row in plan.rows)
        return EXIT_OK if clean else EXIT_NOT_ALL_WRITTEN
    to_push = plan.counts.to_push
    if to_push and not args.yes and not _confirm(out, to_push):
        out.say("Aborted.")
        doc["aborted"] = True
        return EXIT_OK
    report = runner.run(_execute(client, plan, args.concurrency)) if to_push else None
    summary = PushSummary(plan, report)
    doc["report"] = report_json(summary)
    out.say("", *report_lines(summary))
    return _exit_status(summary)


def _confirm(out: _Output, count: int) -> bool:
    """Ask on the terminal, like the CLI; end of input counts as no."""
    stream = out.human if out.human.isatty() else sys.stderr
    print(f"\nPush {count} secret(s) to remote store? [y/N] ", end="", file=stream, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


async def _execute(client: AmikaClient, plan: SecretPlan, concurrency: int) -> PushReport:
    progress = _ProgressLine() if sys.stderr.isatty() else None
    executor = PushExecutor(client, concurrency=concurrency, on_progress=progress)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows loops
        loop.add_signal_handler(signal.SIGINT, executor.cancel)  # in-flight items finish
    try:
        return await executor.run(plan.items())
    finally:
        with contextlib.suppress(NotImplementedError):
            loop.remove_signal_handler(signal.SIGINT)
        if progress is not None:
            progress.clear()


class _ProgressLine:
    """One self-overwriting line on the terminal: ``pushing: 12 of 40 done, 1 failed``."""

    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, event: PushProgress) -> None:
        if event.result is not None and not event.result.ok:
            self.failed += 1
        failed = f", {self.failed} failed" if self.failed else ""
        text = f"pushing: {event.done} of {event.total} done{failed} (ctrl+c stops)"
        print(f"\r\x1b[K{text}", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)


def _exit_status(summary: PushSummary) -> int:
    if any(result.error_status == 401 for result in summary.failed):
        return EXIT_AUTH
    if summary.cancelled:
        return EXIT_INTERRUPTED
    if summary.failed or summary.skipped:
        return EXIT_NOT_ALL_WRITTEN
    return EXIT_OK

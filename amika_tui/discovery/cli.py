"""`amika-tui extract`: print discovered agent credentials like `amika auth extract`.

Default output is byte-for-byte upstream's: sorted ``KEY='value'`` lines on
stdout, nothing at all when nothing is found, and on the first broken file
upstream's error message on stderr with exit status 1. ``--keep-going`` skips
broken sources with a warning instead; ``--json`` prints the full report.
"""

from __future__ import annotations

import argparse
import json
import sys

from amika_tui.discovery.engine import HomeDirectoryError, scan
from amika_tui.discovery.jsonreport import report_to_dict
from amika_tui.discovery.output import env_lines
from amika_tui.discovery.report import DiscoveryReport

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """Declare `extract`."""
    parser = subparsers.add_parser(
        "extract",
        help="print local agent credentials as shell assignments (like `amika auth extract`)",
        description="Discover local API credentials and print environment assignments.",
    )
    parser.add_argument(
        "--homedir", metavar="DIR", default="", help="override home directory used for discovery"
    )
    parser.add_argument("--no-oauth", action="store_true", help="skip OAuth credential sources")
    parser.add_argument("--export", action="store_true", help="prefix each line with export")
    parser.add_argument(
        "--json", action="store_true", help="print the full report as JSON (values masked)"
    )
    parser.add_argument(
        "--show-values", action="store_true", help="with --json: do not mask values"
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="skip broken sources with a warning instead of failing",
    )


def _warn_problems(report: DiscoveryReport, *, only_refusals: bool) -> None:
    for source, file in report.problems:
        if only_refusals and file.upstream_error is not None:
            continue
        print(f"warning: {source.id}: skipped {file.path}: {file.detail}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run `extract`; returns the exit status."""
    try:
        report = scan(args.homedir or None, include_oauth=not args.no_oauth)
    except HomeDirectoryError as err:
        print(err, file=sys.stderr)
        return 1
    if args.json:
        json.dump(report_to_dict(report, show_values=args.show_values), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.keep_going:
        _warn_problems(report, only_refusals=False)
    elif report.upstream_error is not None:
        print(report.upstream_error, file=sys.stderr)
        return 1
    else:
        # Files we refuse to read (symlink out of home, over 1 MiB) are ones
        # upstream would read; never skip them silently.
        _warn_problems(report, only_refusals=True)
    for line in env_lines(report.env, export=args.export):
        sys.stdout.write(line + "\n")
    return 0

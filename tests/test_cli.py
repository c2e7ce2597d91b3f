"""The command line answers --version and --help."""

import subprocess
import sys

from amika_tui import __version__


def test_version_prints_the_package_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "amika_tui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"amika-tui {__version__}"


def test_help_lists_the_subcommands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "amika_tui", "--help"], capture_output=True, text=True, check=True
    )
    assert "serve" in out.stdout
    assert "extract" in out.stdout
    assert "--local" in out.stdout

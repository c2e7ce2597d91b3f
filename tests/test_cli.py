"""The command line answers --version and --help."""

import os
import subprocess
import sys
from pathlib import Path

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
    assert "push" in out.stdout
    assert "--local" in out.stdout


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes anything
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "amika_tui", "extract", "--json", "--homedir", str(tmp_path)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert "Traceback" not in proc.stderr

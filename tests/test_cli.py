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


#: What `--version`, `--help` and `extract` must not load: the server, the client, the UI
#: (issue 15's 33x start-up), and the modules that alone cost extract more than its scan.
_HEAVY = (
    "uvicorn",
    "starlette",
    "httpx",
    "jwt",
    "cryptography",
    "textual",
    "amika_tui.server",
    "amika_tui.api",
    "amika_tui.sync",
    "amika_tui.ui",
)
_EXTRACT_ALSO = ("dataclasses", "typing", "pathlib", "shutil", "inspect")


def _loaded_after(argv: list[str]) -> set[str]:
    code = (
        "import sys, contextlib, io\n"
        "from amika_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        # a None entry marks a module as absent (amika_tui/__init__.py: httpx's CLI)
        "print('\\n'.join(n for n, m in sys.modules.items() if m is not None))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_version_help_and_extract_load_only_what_they_use(tmp_path: Path) -> None:
    for argv in (["--version"], ["--help"], ["extract", "--help"]):
        loaded = _loaded_after(argv)
        assert not {m for m in loaded if m.startswith(_HEAVY)}, argv
    loaded = _loaded_after(["extract", "--homedir", str(tmp_path)])
    assert not {m for m in loaded if m.startswith(_HEAVY) or m in _EXTRACT_ALSO}
    assert "amika_tui.server.cli" in _loaded_after(["serve", "--help"])

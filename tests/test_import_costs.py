"""What a module loads: `amika-tui extract` and `.env` parsing do not pull in the HTTP
client or Textual (each would cost every run its start-up time)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded_after(module: str) -> set[str]:
    script = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "amika_tui.discovery",
        "amika_tui.discovery.provider_spec",
        "amika_tui.sync.envfile",
        "amika_tui.sync.plan",
        "amika_tui.masking",
        "amika_tui.api.models",
    ],
)
def test_module_loads_neither_httpx_nor_textual(module: str) -> None:
    loaded = _loaded_after(module)
    assert module in loaded
    assert not {"httpx", "httpcore", "textual"} & loaded


def test_the_client_still_loads_on_first_use() -> None:
    loaded = _loaded_after("amika_tui.api; amika_tui.api.AmikaClient")
    assert "httpx" in loaded


def test_the_client_does_not_load_httpx_s_command_line_tool() -> None:
    # httpx imports its CLI (click, pygments) whenever click is installed; we never run it
    loaded = _loaded_after("amika_tui.api; amika_tui.api.AmikaClient")
    assert "httpx" in loaded
    assert not {"click", "pygments"} & loaded


def test_the_embedded_server_loads_pyjwt_only_when_a_token_is_used() -> None:
    loaded = _loaded_after("amika_tui.server.embedded")
    assert "uvicorn" in loaded
    assert "jwt" not in loaded

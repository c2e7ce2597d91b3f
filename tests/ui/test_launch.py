"""Starting the UI: a bad API URL is refused with a message, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("htp://typo.example", "must be an http(s) URL with a host"),
        ("127.0.0.1:8787", "must be an http(s) URL with a host"),
        ("http://127.0.0.1:99999", "has a bad port"),
    ],
)
def test_a_bad_api_url_is_refused_before_the_ui_starts(url: str, said: str) -> None:
    # Signed in (the key is never sent: the URL is refused first), so the UI would open.
    env = {**os.environ, "AMIKA_API_KEY": "amk_FAKE_never_sent"}
    proc = subprocess.run(
        [sys.executable, "-m", "amika_tui", "--api-url", url],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "amika-tui: the API URL" in proc.stderr and said in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "amk_FAKE" not in proc.stderr + proc.stdout

"""UI test fixtures (the shared helpers are in `tests.ui.support`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from amika_tui.ui.demo_home import write_demo_home


@pytest.fixture
def demo_home(_isolated_environment: Path) -> Path:
    """The test's HOME filled with the demo's fake agent credentials (for extract)."""
    write_demo_home(_isolated_environment)
    return _isolated_environment

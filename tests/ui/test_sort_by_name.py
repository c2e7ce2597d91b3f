"""Sorting by name: case-insensitive, names equal but for case in code-point order, and
the reverse is the exact reverse (two stable passes give what one tuple key gave)."""

from __future__ import annotations

from datetime import UTC, datetime

from amika_tui.api import Scope, Secret
from amika_tui.ui.widgets.secrets_table import SortKey, sort_secrets

AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
NAMES = ["b_key", "A_KEY", "a_key", "B_KEY", "a_Key", "Zeta", "alpha", "Ä_KEY"]


def _secrets() -> list[Secret]:
    return [Secret(f"id-{n}", "org", "usr", n, None, Scope.USER, AT, AT) for n in NAMES]


def test_names_sort_case_insensitively_with_case_ties_in_code_point_order() -> None:
    expected = sorted(NAMES, key=lambda n: (n.casefold(), n))
    assert [s.name for s in sort_secrets(_secrets(), SortKey.NAME)] == expected
    assert expected[:3] == ["A_KEY", "a_Key", "a_key"]


def test_the_reverse_sort_is_the_exact_reverse() -> None:
    forward = [s.name for s in sort_secrets(_secrets(), SortKey.NAME)]
    backward = [s.name for s in sort_secrets(_secrets(), SortKey.NAME, reverse=True)]
    assert backward == forward[::-1]

"""Masked values never show more than the CLI shows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amika_tui.masking import SCREEN_MASK_WIDTH, mask, mask_fixed, mask_on_screen


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("a", "*"),
        ("abcdefghijkl", "************"),
        ("abcdefghijklm", "abcd*****jklm"),
        ("sk-ant-api03-0123456789abcdef", "sk-a*********************cdef"),
    ],
)
def test_mask_hides_short_values_entirely_and_long_ones_in_the_middle(
    value: str, expected: str
) -> None:
    assert mask(value) == expected


@given(st.text())
def test_mask_keeps_the_length_and_never_reveals_the_middle(value: str) -> None:
    masked = mask(value)
    assert len(masked) == len(value)
    if len(value) <= 12:
        assert set(masked) <= {"*"}
    else:
        assert masked[4:-4] == "*" * (len(value) - 8)
        assert masked[:4] == value[:4] and masked[-4:] == value[-4:]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "(empty)"),
        ("a", "********"),
        ("abcdefghijkl", "********"),
        ("abcdefghijklm", "abcd********jklm"),
        ("sk-ant-api03-0123456789abcdef" * 40, "sk-a********cdef"),
        ("\x1b[2J" + "x" * 20 + "\n}\r\n", "*[2J*********}**"),
    ],
)
def test_fixed_mask_hides_the_length_and_stays_one_safe_line(value: str, expected: str) -> None:
    assert mask_fixed(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "(empty)"),
        ("a", "************"),
        ("spacious key!", "************"),  # was "spac***** key!": 8 of 13, and the length
        ("fifteen-chars!!", "************"),
        ("sixteen-chars!!!", "sixt********"),
        ("sk-ant-api03-0123456789abcdef" * 40, "sk-a********"),
        ("\x1b[2J" + "x" * 20, " [2J********"),
        ('{\n  "claudeAiOauth": {}' + " " * 20, "{   ********"),
    ],
)
def test_the_screen_mask_has_one_width_and_a_short_prefix_at_most(
    value: str, expected: str
) -> None:
    assert mask_on_screen(value) == expected


@given(st.text(min_size=1))
def test_the_screen_mask_never_shows_the_length_nor_more_than_four_characters(value: str) -> None:
    shown = mask_on_screen(value)
    assert len(shown) == SCREEN_MASK_WIDTH and shown.isprintable()
    assert shown[4:] == "*" * (SCREEN_MASK_WIDTH - 4)
    kept = [c for c in shown[:4] if c not in "* "]
    assert len(kept) <= 4 and (not kept or len(value) >= 16)
    assert all(a in (b, " ", "*") for a, b in zip(shown[:4], value[:4], strict=False))

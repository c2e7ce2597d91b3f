"""Masked values never show more than the CLI shows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amika_tui.masking import mask, mask_fixed


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

"""The name rule the import preview, `amika-tui push` and the New secret dialog share."""

from __future__ import annotations

import pytest

from amika_tui.sync.validation import MAX_NAME_CHARS, name_problem, typed_name_problem


@pytest.mark.parametrize("name", ["", "A", "_", "MY_TOKEN", "lower_2", "N" * MAX_NAME_CHARS])
def test_a_name_field_takes_what_can_still_become_a_valid_name(name: str) -> None:
    assert typed_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("MY_TOKEN\thunter2", "a tab is not allowed in a name"),
        ("MY-TOKEN", "'-' is not allowed in a name"),
        ("MY TOKEN", "a space is not allowed in a name"),
        ("MY=VALUE", "'=' is not allowed in a name"),
        ("9LIVES", "a name cannot start with a digit"),
        ("CAFÉ", "'É' is not allowed in a name"),
        ("BELL\x07", "the character U+0007 is not allowed in a name"),
        ("N" * (MAX_NAME_CHARS + 1), f"a name has at most {MAX_NAME_CHARS} characters"),
    ],
)
def test_a_name_field_refuses_with_a_reason_that_quotes_one_character(name: str, why: str) -> None:
    problem = typed_name_problem(name)
    assert problem is not None and problem.startswith(why)
    assert "hunter2" not in problem, "the sentence never repeats what was typed"


def test_an_empty_name_is_fine_while_typing_but_not_for_saving() -> None:
    assert typed_name_problem("") is None
    assert name_problem("") == "the name is empty"
    assert name_problem("GOOD") is None

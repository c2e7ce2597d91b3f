"""Merging a push's sources the way `amika secret push` does, and refusing bad input whole."""

from __future__ import annotations

import pytest

from amika_tui.sync.envfile import parse_env_text
from amika_tui.sync.inputs import InputError, collect_inputs


def test_later_sources_win_and_keys_keep_their_first_place() -> None:
    given = collect_inputs(
        parsed=parse_env_text("A=file\nB=file\n# note\nexport C=file\nD=\n"),
        file_label=".env",
        arguments=["B=arg", "E=a=b", "A=arg"],
        from_env=" A , ,F",
        environ={"A": "env", "F": "env"},
    )
    assert [(e.key, e.value, e.line) for e in given.entries] == [
        ("A", "env", 0),
        ("B", "arg", 0),
        ("export C", "file", 4),
        ("D", "", 5),
        ("E", "a=b", 0),
        ("F", "env", 0),
    ]
    assert given.origins == {
        "A": "$A",
        "B": "argument 1",
        "export C": ".env:4",
        "D": ".env:5",
        "E": "argument 2",
        "F": "$F",
    }
    # The invalid name is the plan's to show; the rest are notes with path:line.
    assert given.notes == (
        ".env:4: hint: the amika CLI keeps 'export ' as part of the key; dotenv mode would drop it",
        ".env:5: warning: D has an empty value",
    )


def test_every_problem_is_listed_and_no_argument_is_echoed() -> None:
    with pytest.raises(InputError) as raised:
        collect_inputs(
            parsed=parse_env_text("GOOD=1\nsk-live-pasted-value\n"),
            file_label="app.env",
            arguments=["sk-other-pasted-value", "=also-a-value"],
            from_env="UNSET_ONE",
            environ={},
        )
    assert raised.value.problems == (
        "app.env:2: error: expected KEY=VALUE: no '=' on this line",
        "argument 1: expected KEY=VALUE (not shown, in case it is a value)",
        "argument 2: expected KEY=VALUE (not shown, in case it is a value)",
        "environment variable 'UNSET_ONE' is not set",
    )

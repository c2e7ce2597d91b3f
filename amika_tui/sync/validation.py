"""What the API would refuse in a generic secret, found before anything is sent.

One function, `secret_problem`, decides it for every way of pushing (the import dialog's
plan, `amika-tui push`, typed secrets), so a row the server would answer with a 400 is shown
as invalid, with the reason, instead of failing in the middle of a push.

The limits are the reference server's (``amika_tui/server/validation.py``; the client does
not import the server, so they are written down again here). The hosted API publishes no
limits; upstream's docs say an empty value is allowed, and both servers accept one.
"""

from __future__ import annotations

from amika_tui.sync.envfile import is_valid_env_name

__all__ = ["MAX_NAME_CHARS", "MAX_VALUE_BYTES", "secret_problem"]

MAX_NAME_CHARS = 256
"""Longest name the server stores."""
MAX_VALUE_BYTES = 64 * 1024
"""Largest value (UTF-8) the server stores."""


def secret_problem(name: str, value: str) -> str | None:
    """Why a generic secret ``name`` = ``value`` cannot be pushed, or None when it can.

    The sentence names the problem and never contains the value. Names must be environment
    variable names (secrets are injected into sandboxes as variables), which also rules out
    the control characters the server refuses.
    """
    if name == "":
        return "the name is empty"
    if not is_valid_env_name(name):
        return f"{name!r} is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)"
    if len(name) > MAX_NAME_CHARS:
        return f"the name is longer than {MAX_NAME_CHARS} characters"
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        # A value read from a non-UTF-8 environment carries lone surrogates (surrogateescape).
        return "the value is not valid UTF-8 text"
    if size > MAX_VALUE_BYTES:
        return f"the value is larger than the server's limit of {MAX_VALUE_BYTES // 1024} KiB"
    return None

"""Pushing secrets: ``.env`` parsing, push plans, and the concurrent push executor.

parse (``envfile``) → plan (``plan``) → review (``review`` keeps the user's ticks and
conflict choices; the UI shows them) → execute (``executor``) → report.
Beside them, ``filtering`` narrows a listing by name as the user types.

Import the modules themselves: this package imports nothing, so reading a ``.env`` file
(``amika_tui.sync.envfile``) does not load the HTTP client the executor needs.
"""

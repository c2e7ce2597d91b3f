"""The secrets a command-line push is given: a ``.env`` file, ``KEY=VALUE`` arguments and
environment variables, merged the way ``amika secret push`` merges them.

Precedence, lowest first: the file, then the arguments, then ``--from-env``; a key keeps the
place where it first appeared and takes the value of the last source that has it. A file
line that cannot be read, an argument without ``KEY=`` or a missing variable stops the whole
push before anything is sent (`InputError`), with every problem listed and no value shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from amika_tui.sync.envfile import EnvEntry, EnvParseResult, EnvProblem, ProblemCode

__all__ = ["InputError", "PushInput", "collect_inputs", "problem_location"]


class InputError(Exception):
    """The input cannot be pushed at all; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class PushInput:
    """The merged secrets, in order of first appearance, and where each value came from."""

    entries: tuple[EnvEntry, ...]
    origins: Mapping[str, str] = field(default_factory=dict)
    """Key -> ``path:line``, ``argument N`` or ``$NAME``."""
    notes: tuple[str, ...] = ()
    """The file's warnings and hints, ``path:line: severity: message``."""


def problem_location(source: str, problem: EnvProblem) -> str:
    """``path:line`` of a problem (``path`` alone for one about the whole file)."""
    return source if problem.line is None else f"{source}:{problem.line}"


def collect_inputs(
    *,
    parsed: EnvParseResult | None,
    file_label: str,
    arguments: Sequence[str],
    from_env: str,
    environ: Mapping[str, str],
) -> PushInput:
    """Merge the file, the ``KEY=VALUE`` arguments and ``--from-env`` (comma-separated
    variable names) into one input.

    Raises:
        InputError: a file line that could not be read, an argument that is not
            ``KEY=VALUE`` (it is not quoted: it may be a value) or an unset variable.
    """
    errors: list[str] = []
    values: dict[str, tuple[str, int]] = {}
    origins: dict[str, str] = {}
    notes: list[str] = []

    def put(key: str, value: str, line: int, origin: str) -> None:
        values[key] = (value, line)  # a known key keeps its place and takes the new value
        origins[key] = origin

    if parsed is not None:
        for problem in parsed.problems:
            where = problem_location(file_label, problem)
            text = f"{where}: {problem.severity}: {problem.message}"
            if problem in parsed.unreadable:
                errors.append(text)
            elif problem.code is not ProblemCode.INVALID_NAME:  # the plan shows it as invalid
                notes.append(text)
        for entry in parsed.entries:
            put(entry.key, entry.value, entry.line, f"{file_label}:{entry.line}")
    for number, argument in enumerate(arguments, start=1):
        key, sep, value = argument.partition("=")
        if not sep or not key:
            errors.append(
                f"argument {number}: expected KEY=VALUE (not shown, in case it is a value)"
            )
            continue
        put(key, value, 0, f"argument {number}")
    for name in (part.strip() for part in from_env.split(",")):
        if not name:
            continue
        if name not in environ:
            errors.append(f"environment variable {name!r} is not set")
            continue
        put(name, environ[name], 0, f"${name}")
    if errors:
        raise InputError(errors)
    entries = tuple(EnvEntry(key, value, line) for key, (value, line) in values.items())
    return PushInput(entries, origins, tuple(notes))

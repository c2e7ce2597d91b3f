"""Push plans: what a push would do, row by row, before anything is sent.

Plans are pure and immutable. The review dialog changes them with ``with_selected`` /
``with_resolution`` (one row; each returns a new plan) or ``with_choices`` (every row in
one pass) and hands ``plan.items()`` to the executor.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from amika_tui.api import CredentialType, ProviderCredential, Scope, Secret
from amika_tui.sync.envfile import EnvEntry
from amika_tui.sync.items import PushItem
from amika_tui.sync.validation import secret_problem

__all__ = [
    "ConflictResolution",
    "PlanCounts",
    "ProviderAction",
    "ProviderPlan",
    "RowKind",
    "SecretPlan",
    "SecretPlanRow",
    "conflict_text",
    "entries_from_mapping",
    "other_scope",
    "plan_provider",
    "plan_secrets",
    "scoped",
]


class RowKind(StrEnum):
    """What a row of a generic secret plan would do."""

    CREATE = "create"
    UPDATE = "update"
    SCOPE_CONFLICT = "scope_conflict"
    INVALID = "invalid"


class ConflictResolution(StrEnum):
    """The user's choice for a name that exists only in the other scope."""

    SKIP = "skip"
    """Leave it out of the push (the default)."""
    UPDATE_OTHER = "update_other"
    """Update the secret of that name in the other scope instead."""
    CREATE_HERE = "create_here"
    """Create it in the pushed scope too: the server keeps names unique per scope, so two
    secrets of that name then exist, one in each scope."""

    def next(self) -> ConflictResolution:
        """The choice after this one, in the order the UI cycles through them."""
        order = list(ConflictResolution)
        return order[(order.index(self) + 1) % len(order)]


def other_scope(scope: Scope) -> Scope:
    """The scope that is not ``scope``."""
    return Scope.ORG if scope is Scope.USER else Scope.USER


def scoped(scope: Scope) -> str:
    """``a user-scoped`` or ``an org-scoped``, for sentences."""
    return f"{'an' if scope is Scope.ORG else 'a'} {scope}-scoped"


@dataclass(frozen=True, slots=True)
class SecretPlanRow:
    """One key of the plan: what would happen to it, and whether the user wants it."""

    key: str
    value: str = field(repr=False)
    line: int
    """Line in the source file (0 when the value did not come from a file)."""
    kind: RowKind
    scope: Scope
    """Where the row is written: the scope being pushed to (for UPDATE_OTHER: the other
    scope, where the secret is)."""
    selected: bool
    secret_id: str | None = None
    """UPDATE: the secret to update; SCOPE_CONFLICT: the secret in the other scope."""
    resolution: ConflictResolution | None = None
    """SCOPE_CONFLICT only: skip (default), update the other-scope secret instead, or create
    a second one in the pushed scope."""
    reason: str | None = None
    """INVALID: why it cannot be pushed; SCOPE_CONFLICT: what the chosen resolution does."""
    remote_updated_at: datetime | None = None
    """UPDATE and SCOPE_CONFLICT: when the existing secret was last written."""

    @property
    def will_push(self) -> bool:
        """True when the executor will write this row."""
        if not self.selected or self.kind is RowKind.INVALID:
            return False
        return not (
            self.kind is RowKind.SCOPE_CONFLICT and self.resolution is ConflictResolution.SKIP
        )

    @property
    def creates(self) -> bool:
        """True when pushing this row creates a secret (a new name, or a second one)."""
        return self.kind is RowKind.CREATE or (
            self.kind is RowKind.SCOPE_CONFLICT
            and self.resolution is ConflictResolution.CREATE_HERE
        )

    @property
    def action_text(self) -> str:
        """Short text for the action column: create, update, update (org), create (user),
        skip, invalid."""
        if self.kind is RowKind.INVALID:
            return "invalid"
        if not self.will_push:
            return "skip"
        if self.kind is RowKind.SCOPE_CONFLICT:
            return f"{'create' if self.creates else 'update'} ({self.scope})"
        return str(self.kind)

    def to_item(self) -> PushItem | None:
        """The work item for the executor, or None when this row is not pushed."""
        if not self.will_push:
            return None
        if self.creates:
            return PushItem.create_secret(
                self.key, self.value, self.scope, beside_other_scope=self.kind is not RowKind.CREATE
            )
        assert self.secret_id is not None
        return PushItem.update_secret(self.key, self.value, self.secret_id, self.scope)


def _selected(row: SecretPlanRow, selected: bool) -> SecretPlanRow:
    """``row`` (de)selected; an invalid row stays unselected."""
    selected = selected and row.kind is not RowKind.INVALID
    return row if row.selected is selected else replace(row, selected=selected)


def _resolved(row: SecretPlanRow, scope: Scope, resolution: ConflictResolution) -> SecretPlanRow:
    """The conflict ``row`` of a push into ``scope`` with ``resolution`` chosen.

    Raises:
        ValueError: the row is not a scope conflict.
    """
    if row.kind is not RowKind.SCOPE_CONFLICT:
        raise ValueError(f"{row.key} is not a scope conflict")
    if row.resolution is resolution:
        return row
    target = other_scope(scope) if resolution is ConflictResolution.UPDATE_OTHER else scope
    reason = conflict_text(row.key, scope, resolution)
    return replace(row, resolution=resolution, scope=target, reason=reason)


@dataclass(frozen=True, slots=True)
class PlanCounts:
    """How many rows of each kind a plan has, and how many will be pushed."""

    create: int
    update: int
    conflict: int
    invalid: int
    to_push: int


@dataclass(frozen=True, slots=True)
class SecretPlan:
    """The plan for pushing generic secrets into ``scope``: one row per key."""

    scope: Scope
    rows: tuple[SecretPlanRow, ...]
    left_as_is: tuple[Secret, ...] = ()
    """Secrets of ``scope`` that exist remotely but are not in the plan: the push leaves them
    as they are (listing them makes a plan a drift check of a file against the store)."""

    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Keys are unique (the last entry of a key wins), so a row is found without a walk.
        object.__setattr__(self, "_positions", {row.key: i for i, row in enumerate(self.rows)})

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def position(self, key: str) -> int:
        """The index of the row for ``key``; raises KeyError when there is none."""
        return self._positions[key]

    def row(self, key: str) -> SecretPlanRow:
        """The row for ``key``; raises KeyError when there is none."""
        return self.rows[self._positions[key]]

    def with_selected(self, key: str, selected: bool) -> SecretPlan:
        """A copy with the row for ``key`` (de)selected; invalid rows stay unselected."""
        return self._with_row(_selected(self.row(key), selected))

    def with_resolution(self, key: str, resolution: ConflictResolution | str) -> SecretPlan:
        """A copy with the conflict row for ``key`` set to skip, update-the-other-scope or
        create-here-too.

        Raises:
            ValueError: the row is not a scope conflict.
        """
        return self._with_row(_resolved(self.row(key), self.scope, ConflictResolution(resolution)))

    def with_choices(
        self, deselected: Collection[str], resolutions: Mapping[str, ConflictResolution]
    ) -> SecretPlan:
        """A copy with the user's choices applied to every row in one pass: the rows in
        ``deselected`` unticked and every other pushable row ticked, and each scope conflict
        set to its choice in ``resolutions`` (keys that are not conflicts are ignored)."""
        rows = []
        for row in self.rows:
            resolution = resolutions.get(row.key)
            if resolution is not None and row.kind is RowKind.SCOPE_CONFLICT:
                row = _resolved(row, self.scope, resolution)
            rows.append(_selected(row, row.key not in deselected))
        return replace(self, rows=tuple(rows))

    def _with_row(self, row: SecretPlanRow) -> SecretPlan:
        at = self._positions[row.key]
        return replace(self, rows=(*self.rows[:at], row, *self.rows[at + 1 :]))

    @property
    def counts(self) -> PlanCounts:
        """Rows per kind, and how many will be pushed."""
        kinds = [r.kind for r in self.rows]
        return PlanCounts(
            create=kinds.count(RowKind.CREATE),
            update=kinds.count(RowKind.UPDATE),
            conflict=kinds.count(RowKind.SCOPE_CONFLICT),
            invalid=kinds.count(RowKind.INVALID),
            to_push=sum(1 for r in self.rows if r.will_push),
        )

    def summary(self) -> str:
        """E.g. ``"12 to create, 3 to update, 1 conflict, 2 invalid"`` (zero parts left out)."""
        c = self.counts
        parts = []
        if c.create:
            parts.append(f"{c.create} to create")
        if c.update:
            parts.append(f"{c.update} to update")
        if c.conflict:
            parts.append(f"{c.conflict} conflict" + ("s" if c.conflict != 1 else ""))
        if c.invalid:
            parts.append(f"{c.invalid} invalid")
        return ", ".join(parts) if parts else "nothing to push"

    def items(self) -> list[PushItem]:
        """The work for the executor: one item per row that will be pushed, in row order."""
        return [item for row in self.rows if (item := row.to_item()) is not None]


def conflict_text(key: str, scope: Scope, resolution: ConflictResolution) -> str:
    """What pushing ``key`` into ``scope`` does when it exists only in the other scope."""
    theirs = other_scope(scope)
    exists = f"{key} already exists as {scoped(theirs)} secret"
    if resolution is ConflictResolution.UPDATE_OTHER:
        return f"{exists}: that one gets the new value"
    if resolution is ConflictResolution.CREATE_HERE:
        return (
            f"{exists}: {scoped(scope)} {key} is created too, so two secrets named {key} "
            f"will exist ({scope} and {theirs})"
        )
    return f"{exists}: skipped (choose: update that one, or create {scoped(scope)} one too)"


def entries_from_mapping(values: Mapping[str, str]) -> list[EnvEntry]:
    """Entries for values that did not come from a file (typed by hand, extract): line 0."""
    return [EnvEntry(key, value, 0) for key, value in values.items()]


def plan_secrets(
    entries: Iterable[EnvEntry], remote_secrets: Sequence[Secret], scope: Scope | str
) -> SecretPlan:
    """Plan pushing ``entries`` into ``scope`` against the secrets listed remotely.

    A name existing in ``scope`` is an update (even if it also exists in the other scope); a
    name existing only in the other scope is a scope conflict (skipped unless the user picks
    "update that one instead" or "create one here too"); a row the server would refuse
    (`secret_problem`) is invalid, with the reason, and never pushed. When a key occurs more
    than once the last entry wins.
    """
    scope = Scope(scope)
    by_scope: dict[Scope, dict[str, Secret]] = {Scope.USER: {}, Scope.ORG: {}}
    for secret in remote_secrets:
        by_scope[secret.scope].setdefault(secret.name, secret)
    latest: dict[str, EnvEntry] = {}
    for entry in entries:
        latest[entry.key] = entry
    rows = tuple(
        _row(entry, scope, by_scope[scope], by_scope[other_scope(scope)])
        for entry in latest.values()
    )
    untouched = tuple(s for s in remote_secrets if s.scope is scope and s.name not in latest)
    return SecretPlan(scope=scope, rows=rows, left_as_is=untouched)


def _row(
    entry: EnvEntry, scope: Scope, same: Mapping[str, Secret], other: Mapping[str, Secret]
) -> SecretPlanRow:
    key = entry.key
    problem = secret_problem(key, entry.value)
    if problem is not None:
        return SecretPlanRow(
            key, entry.value, entry.line, RowKind.INVALID, scope, False, reason=problem
        )
    if key in same:
        return SecretPlanRow(
            key,
            entry.value,
            entry.line,
            RowKind.UPDATE,
            scope,
            True,
            secret_id=same[key].id,
            remote_updated_at=same[key].updated_at,
        )
    if key in other:
        return SecretPlanRow(
            key,
            entry.value,
            entry.line,
            RowKind.SCOPE_CONFLICT,
            scope,
            True,
            secret_id=other[key].id,
            resolution=ConflictResolution.SKIP,
            remote_updated_at=other[key].updated_at,
            reason=conflict_text(key, scope, ConflictResolution.SKIP),
        )
    return SecretPlanRow(key, entry.value, entry.line, RowKind.CREATE, scope, True)


# --------------------------------------------------------------------------- providers


class ProviderAction(StrEnum):
    """What pushing a provider credential would do."""

    CREATE = "create"
    REPLACE = "replace"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class ProviderPlan:
    """The plan for one provider credential; ``message`` is a plain sentence for the user."""

    provider: str
    name: str
    value: str = field(repr=False)
    credential_type: CredentialType
    scope: Scope
    action: ProviderAction
    message: str
    replaces: tuple[ProviderCredential, ...] = ()
    """REPLACE: the credentials that would be deleted first."""

    def to_item(self) -> PushItem | None:
        """The work item for the executor, or None when the plan is invalid."""
        if self.action is ProviderAction.INVALID:
            return None
        if self.action is ProviderAction.REPLACE:
            return PushItem.replace_credential(
                self.provider,
                self.name,
                self.value,
                self.credential_type,
                self.scope,
                tuple(c.id for c in self.replaces),
            )
        return PushItem.create_credential(
            self.provider, self.name, self.value, self.credential_type, self.scope
        )


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _json_problem(value: str) -> str | None:
    """None when ``value`` is strict JSON (as Go's json.Valid), else where it goes wrong."""
    try:
        json.loads(value, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return f" (line {exc.lineno}, column {exc.colno})"
    except (ValueError, RecursionError):
        return ""
    return None


def plan_provider(
    provider: str,
    name: str,
    value: str,
    credential_type: CredentialType | str,
    scope: Scope | str,
    existing: Sequence[ProviderCredential],
) -> ProviderPlan:
    """Plan pushing one provider credential.

    OAuth values must be valid JSON (the whole credentials document). A conflict the server
    would refuse becomes a REPLACE: in user scope a credential with the same name and scope,
    in org scope any org credential of the provider (at most one is allowed).
    """
    credential_type = CredentialType(credential_type)
    scope = Scope(scope)

    def plan(
        action: ProviderAction, message: str, replaces: tuple[ProviderCredential, ...] = ()
    ) -> ProviderPlan:
        return ProviderPlan(
            provider, name, value, credential_type, scope, action, message, replaces
        )

    if not name.strip():
        return plan(ProviderAction.INVALID, "The credential needs a name.")
    if not value.strip():
        return plan(ProviderAction.INVALID, "The credential value is empty.")
    if credential_type is CredentialType.OAUTH:
        problem = _json_problem(value)
        if problem is not None:
            return plan(ProviderAction.INVALID, f"OAuth credentials must be valid JSON{problem}.")
    if scope is Scope.ORG:
        conflicts = tuple(c for c in existing if c.scope is Scope.ORG)
    else:
        conflicts = tuple(c for c in existing if c.scope is scope and c.name == name)
    if not conflicts:
        return plan(ProviderAction.CREATE, f"{name} will be created as {scoped(scope)} credential.")
    names = ", ".join(f"“{c.name}”" for c in conflicts)
    why = (
        "an organisation can hold only one credential per provider"
        if scope is Scope.ORG
        else "a credential with this name already exists"
    )
    message = (
        f"Replace {names}: {why}. Replacing deletes the old credential first and then uploads "
        "the new one; if the upload then fails, the old credential is gone (your new value is "
        "kept here so you can retry)."
    )
    return plan(ProviderAction.REPLACE, message, conflicts)

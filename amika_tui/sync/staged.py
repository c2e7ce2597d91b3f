"""Staged edits: new secrets and new values held in memory until they are reviewed and pushed.

The Secrets screen stages what ``n`` and ``e`` produce instead of writing it; ``ctrl+s``
turns the staged set into plans (`StagedChanges.plans`, one per scope, the same plans an
import makes), the review's selection into push items, and the push report back into what
stays staged (`StagedChanges.settle`: what was written leaves, what failed stays, value and
all, for a retry). Values never leave this module except as `PushItem` values or through
`value_of` (to put them back into an editor or a clipboard); reprs leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from amika_tui.api import Scope, Secret
from amika_tui.sync.executor import PushReport
from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import (
    ConflictResolution,
    RowKind,
    SecretPlan,
    entries_from_mapping,
    other_scope,
    plan_secrets,
)

__all__ = ["StagedChange", "StagedChanges", "StagedKey"]

StagedKey = tuple[Scope, str]
"""Where a staged change lands: (scope, name). At most one change per key."""


@dataclass(frozen=True, slots=True)
class StagedChange:
    """One secret to create, or a new value for an existing one, not pushed yet."""

    name: str
    scope: Scope
    value: str = field(repr=False)
    secret_id: str | None = None
    """The existing secret that gets the new value; None for a new secret."""
    beside_other_scope: bool = False
    """A new secret whose name exists in the other scope, and the user asked for a second
    one: the review plans it as "create here too" rather than as a skipped conflict."""

    @property
    def key(self) -> StagedKey:
        """(scope, name): what the staged set is keyed by."""
        return self.scope, self.name

    @property
    def is_new(self) -> bool:
        """True for a secret to create, False for a new value on an existing one."""
        return self.secret_id is None

    @property
    def kind_text(self) -> str:
        """``new`` or ``changed``, as the table marks the row."""
        return "new" if self.is_new else "changed"


class StagedChanges:
    """The staged set, in the order the changes were first staged."""

    def __init__(self) -> None:
        self._changes: dict[StagedKey, StagedChange] = {}

    def __len__(self) -> int:
        return len(self._changes)

    def __iter__(self) -> Iterator[StagedChange]:
        return iter(list(self._changes.values()))

    def __repr__(self) -> str:
        return f"StagedChanges({len(self)} staged)"

    def stage(self, change: StagedChange, *, replacing: StagedKey | None = None) -> None:
        """Add ``change``, or replace the one staged for its key (keeping its place).

        Args:
            replacing: The key of a staged change that ``change`` is an edit of (it may
                have been renamed or moved to the other scope); that one is dropped.
        """
        if replacing is not None and replacing != change.key:
            self._changes.pop(replacing, None)
        self._changes[change.key] = change

    def get(self, scope: Scope, name: str) -> StagedChange | None:
        """The change staged for (scope, name), or None."""
        return self._changes.get((scope, name))

    def value_of(self, scope: Scope, name: str) -> str | None:
        """The staged value for (scope, name) (for an editor or a clipboard), or None."""
        change = self._changes.get((scope, name))
        return change.value if change is not None else None

    def unstage(self, scope: Scope, name: str) -> StagedChange | None:
        """Drop the change staged for (scope, name); returns it (None when there was none)."""
        return self._changes.pop((scope, name), None)

    def follow(self, listed: Iterable[Secret]) -> None:
        """A staged new secret whose name is now listed in its scope (it landed behind an
        error, or someone else created it) becomes a change to that stored secret."""
        if not any(change.is_new for change in self._changes.values()):
            return
        ids = {(secret.scope, secret.name): secret.id for secret in listed}
        for key, change in self._changes.items():
            if change.is_new and key in ids:
                self._changes[key] = replace(change, secret_id=ids[key])

    def clear(self) -> int:
        """Drop every staged change; returns how many there were."""
        count = len(self._changes)
        self._changes.clear()
        return count

    def counts(self) -> tuple[int, int]:
        """(new, changed)."""
        new = sum(1 for change in self._changes.values() if change.is_new)
        return new, len(self._changes) - new

    def summary(self) -> str:
        """E.g. ``3 staged (2 new, 1 changed)``; empty when nothing is staged."""
        if not self._changes:
            return ""
        new, changed = self.counts()
        parts = [f"{new} new"] if new else []
        if changed:
            parts.append(f"{changed} changed")
        return f"{len(self)} staged ({', '.join(parts)})"

    def names(self, limit: int = 5) -> str:
        """The staged names for a question, e.g. ``A, B, C and 4 more``."""
        names = [change.name for change in self._changes.values()]
        shown = ", ".join(names[:limit])
        return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")

    def plans(self, remote: Sequence[Secret]) -> tuple[SecretPlan, ...]:
        """The staged set planned against the listed secrets: one plan per scope that has
        staged changes (user first), as an import of the same values would plan them.

        A new secret asked for beside the other scope's is planned as "create here too";
        everything else gets the import's defaults (an existing name is an update, a name
        only in the other scope a skipped conflict, a value the server refuses invalid).
        """
        plans = []
        for scope in (Scope.USER, Scope.ORG):
            values = {c.name: c.value for c in self._changes.values() if c.scope is scope}
            if not values:
                continue
            plan = plan_secrets(entries_from_mapping(values), remote, scope)
            for row in plan.rows:
                change = self._changes[(scope, row.key)]
                if row.kind is RowKind.SCOPE_CONFLICT and change.beside_other_scope:
                    plan = plan.with_resolution(row.key, ConflictResolution.CREATE_HERE)
            plans.append(plan)
        return tuple(plans)

    def settle(self, report: PushReport) -> int:
        """Drop what ``report`` wrote; what failed or was skipped stays staged, with its
        value. Returns how many changes left the set."""
        settled = 0
        for result in report.results:
            if not result.ok:
                continue
            key = self._key_of(result.item)
            if key is not None and self._changes.pop(key, None) is not None:
                settled += 1
        return settled

    def _key_of(self, item: PushItem) -> StagedKey | None:
        """The staged change ``item`` was made from: its own scope, or (a conflict resolved
        as "update the other scope's") the other one."""
        for scope in (item.scope, other_scope(item.scope)):
            change = self._changes.get((scope, item.name))
            if change is not None and change.value == item.value:
                return scope, item.name
        return None

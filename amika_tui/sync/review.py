"""`SecretReview`: generic-secret plans under review, and what the user chose on them.

The rows of one or more plans (the import's one plan; the staged edits' one plan per
scope) read as one list, by position. The user's ticks and conflict choices are kept by
plan and key apart from the plans, so a re-plan (another parse mode, target scope or
listing) keeps them: `replan`. Every change makes new plans (`SecretPlan.with_selected`,
`with_resolution`, `with_choices`); nothing here knows about a screen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import ConflictResolution, RowKind, SecretPlan, SecretPlanRow

__all__ = ["RowId", "SecretReview"]

RowId = tuple[int, str]
"""(index of the plan, key): one row of a review, whatever its position."""


class SecretReview:
    """The rows of ``plans`` in one list, and the user's choices on them."""

    def __init__(self, plans: Sequence[SecretPlan] = ()) -> None:
        self.plans: tuple[SecretPlan, ...] = ()
        """The plans with the user's choices applied."""
        self._deselected: list[set[str]] = []
        self._resolutions: list[dict[str, ConflictResolution]] = []
        self._starts: list[int] = []
        """The position of each plan's first row."""
        self.replan(plans)

    def __len__(self) -> int:
        return self._starts[-1] + len(self.plans[-1].rows) if self.plans else 0

    def __repr__(self) -> str:  # rows hold values: say how many, never what
        return f"SecretReview({len(self.plans)} plans, {len(self)} rows)"

    # --- rows ----------------------------------------------------------------------------

    def _locate(self, position: int) -> tuple[int, int]:
        """(plan index, row index in that plan) of ``position``; IndexError past the end."""
        if not 0 <= position < len(self):
            raise IndexError(position)
        index = bisect_right(self._starts, position) - 1
        # Empty plans start where the next one does: bisect lands on the last of them.
        return index, position - self._starts[index]

    def entry(self, position: int) -> tuple[RowId, SecretPlanRow]:
        """The id and the row at ``position`` (IndexError past the end)."""
        index, at = self._locate(position)
        row = self.plans[index].rows[at]
        return (index, row.key), row

    def row(self, position: int) -> SecretPlanRow:
        """The row at ``position`` (IndexError past the end)."""
        return self.entry(position)[1]

    def row_id(self, position: int) -> RowId:
        """The id of the row at ``position`` (IndexError past the end)."""
        return self.entry(position)[0]

    def position(self, row_id: RowId) -> int | None:
        """Where the row ``row_id`` is now; None when no plan has it."""
        index, key = row_id
        if index < len(self.plans) and key in self.plans[index]:
            return self._starts[index] + self.plans[index].position(key)
        return None

    # --- choices -------------------------------------------------------------------------

    def toggle(self, position: int) -> str | None:
        """Tick or untick the row at ``position``; a conflict takes its next choice
        (`cycle`). Returns None when done, else why the row cannot be pushed (an invalid
        row, which stays as it is)."""
        row = self.row(position)
        if row.kind is RowKind.INVALID:
            return row.reason or "This row cannot be pushed."
        if row.kind is RowKind.SCOPE_CONFLICT:
            self.cycle(position)
            return None
        index, _ = self._locate(position)
        if row.selected:
            self._deselected[index].add(row.key)
        else:
            self._deselected[index].discard(row.key)
        self._set(index, self.plans[index].with_selected(row.key, not row.selected))
        return None

    def cycle(self, position: int) -> bool:
        """For a scope conflict: its next choice (skip, update the other scope's secret,
        create one in this scope too), ticked. False when the row is not a conflict."""
        row = self.row(position)
        if row.kind is not RowKind.SCOPE_CONFLICT:
            return False
        index, _ = self._locate(position)
        choice = (row.resolution or ConflictResolution.SKIP).next()
        self._resolutions[index][row.key] = choice
        self._deselected[index].discard(row.key)
        plan = self.plans[index].with_resolution(row.key, choice).with_selected(row.key, True)
        self._set(index, plan)
        return True

    def select_all(self, selected: bool) -> None:
        """Tick every row that can be pushed (conflicts keep their choice), or none
        (conflicts back to skip)."""
        for index, plan in enumerate(self.plans):
            if selected:
                self._deselected[index].clear()
            else:
                self._deselected[index] = {row.key for row in plan.rows}
                self._resolutions[index] = {
                    row.key: ConflictResolution.SKIP
                    for row in plan.rows
                    if row.kind is RowKind.SCOPE_CONFLICT
                }
        self._apply(self.plans)

    def replan(self, plans: Sequence[SecretPlan], *, keep_choices: bool = True) -> None:
        """Review ``plans`` instead, with the choices made so far applied to them (by plan
        and key; choices on keys they lack are kept for later), or afresh."""
        count = len(plans)
        if not keep_choices:
            self._deselected, self._resolutions = [], []
        self._deselected = (self._deselected + [set() for _ in range(count)])[:count]
        self._resolutions = (self._resolutions + [{} for _ in range(count)])[:count]
        self._apply(plans)

    def _apply(self, plans: Sequence[SecretPlan]) -> None:
        self.plans = tuple(
            plan.with_choices(deselected, resolutions)
            for plan, deselected, resolutions in zip(
                plans, self._deselected, self._resolutions, strict=True
            )
        )
        self._starts, start = [], 0
        for plan in self.plans:
            self._starts.append(start)
            start += len(plan.rows)

    def _set(self, index: int, plan: SecretPlan) -> None:
        """Plan ``index`` replaced by ``plan`` (the same keys, in the same order)."""
        self.plans = (*self.plans[:index], plan, *self.plans[index + 1 :])

    # --- what a push would do ------------------------------------------------------------

    @property
    def to_push(self) -> int:
        """How many rows a push now would write."""
        return sum(plan.counts.to_push for plan in self.plans)

    def items(self) -> list[PushItem]:
        """What a push now would write: the ticked rows, plan by plan."""
        return [item for plan in self.plans for item in plan.items()]

    def summary(self) -> str:
        """Each plan's `SecretPlan.summary`, joined with ``; ``."""
        return "; ".join(plan.summary() for plan in self.plans)

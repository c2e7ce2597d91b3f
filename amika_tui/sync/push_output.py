"""What `amika-tui push` prints: the plan, the secrets it leaves as they are, the report.

Text for people (a table like the CLI's ``SECRET  VALUE``, values masked at a fixed width)
and JSON for scripts, which holds names, actions and reasons but never a value, masked or
not. Names are escaped for the terminal: an invalid name read from a file may hold control
characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from amika_tui.masking import mask_fixed
from amika_tui.sync.executor import ItemResult, Outcome, PushReport
from amika_tui.sync.plan import RowKind, SecretPlan, SecretPlanRow, other_scope

__all__ = [
    "LEFT_AS_IS_SHOWN",
    "PushSummary",
    "left_as_is_lines",
    "plan_json",
    "plan_lines",
    "printable",
    "report_json",
    "report_lines",
]

LEFT_AS_IS_SHOWN = 50
"""At most this many untouched names in the text output (the JSON lists them all)."""

_ACTIONS = {
    RowKind.CREATE: "create",
    RowKind.UPDATE: "update",
    RowKind.SCOPE_CONFLICT: "scope conflict",
    RowKind.INVALID: "invalid",
}


def printable(text: str) -> str:
    """``text`` with every unprintable character escaped (``\\x1b``, ``\\n``)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _stamp(when: datetime | None) -> str | None:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else None


def _fix(plan: SecretPlan, row: SecretPlanRow) -> str | None:
    return f"--scope {other_scope(plan.scope)}" if row.kind is RowKind.SCOPE_CONFLICT else None


def _detail(plan: SecretPlan, row: SecretPlanRow) -> str:
    updated = _stamp(row.remote_updated_at)
    if row.kind is RowKind.UPDATE:
        return f"remote updated {updated}"
    if row.kind is RowKind.SCOPE_CONFLICT:
        other = other_scope(plan.scope)
        return f"exists in {other} scope only (updated {updated}); use {_fix(plan, row)}"
    if row.kind is RowKind.INVALID:
        return row.reason or "invalid"
    return ""


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded like Go's tabwriter (two spaces apart); the last is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def plan_lines(plan: SecretPlan, origins: Mapping[str, str]) -> list[str]:
    """The plan as a table: secret, masked value, action, where it came from, detail."""
    rows = [("SECRET", "VALUE", "ACTION", "FROM", "DETAIL")]
    for row in plan.rows:
        rows.append(
            (
                printable(row.key),
                mask_fixed(row.value),
                _ACTIONS[row.kind],
                printable(origins.get(row.key, "")),
                printable(_detail(plan, row)),
            )
        )
    return _table(rows)


def left_as_is_lines(plan: SecretPlan, limit: int = LEFT_AS_IS_SHOWN) -> list[str]:
    """The secrets of the plan's scope the push does not touch (empty when there are none)."""
    untouched = sorted(plan.left_as_is, key=lambda s: s.name)
    if not untouched:
        return []
    lines = [
        f"Left as is: {len(untouched)} secret(s) in {plan.scope} scope that are not in the input"
    ]
    rows = [(f"  {printable(s.name)}", f"updated {_stamp(s.updated_at)}") for s in untouched]
    lines += _table(rows[:limit])
    if len(untouched) > limit:
        lines.append(f"  … and {len(untouched) - limit} more (--json lists them all)")
    return lines


def plan_json(plan: SecretPlan, origins: Mapping[str, str]) -> dict[str, Any]:
    """The plan and the untouched secrets as JSON-ready data (no values)."""
    counts = plan.counts
    return {
        "scope": str(plan.scope),
        "counts": {
            "create": counts.create,
            "update": counts.update,
            "scope_conflict": counts.conflict,
            "invalid": counts.invalid,
            "to_push": counts.to_push,
        },
        "rows": [
            {
                "name": row.key,
                "action": str(row.kind),
                "will_push": row.will_push,
                "from": origins.get(row.key),
                "remote_updated_at": _stamp(row.remote_updated_at),
                "reason": row.reason if row.kind is RowKind.INVALID else None,
                "fix": _fix(plan, row),
            }
            for row in plan.rows
        ],
        "left_as_is": [
            {"name": s.name, "scope": str(s.scope), "updated_at": _stamp(s.updated_at)}
            for s in sorted(plan.left_as_is, key=lambda s: s.name)
        ],
    }


class PushSummary:
    """Every row of a push sorted into created / updated / skipped / failed, with reasons.

    Rows the plan does not push (scope conflicts, invalid rows) count as skipped, as do items
    the executor never started (the push was stopped).
    """

    def __init__(self, plan: SecretPlan, report: PushReport | None) -> None:
        """Sort ``plan``'s rows by ``report`` (None: nothing was pushed)."""
        results = {r.item.name: r for r in report.results} if report is not None else {}
        self.created: list[str] = []
        self.updated: list[str] = []
        self.skipped: list[tuple[str, str]] = []
        self.failed: list[ItemResult] = []
        for row in plan.rows:
            result = results.get(row.key)
            if result is None:
                self.skipped.append((row.key, _skip_reason(plan, row)))
            elif result.outcome is Outcome.CREATED:
                self.created.append(row.key)
            elif result.outcome is Outcome.UPDATED:
                self.updated.append(row.key)
            elif result.outcome is Outcome.FAILED:
                self.failed.append(result)
            else:
                self.skipped.append((row.key, result.error or "not attempted"))
        self.cancelled = report.cancelled if report is not None else False

    @property
    def total(self) -> int:
        """Rows in the plan."""
        return len(self.created) + len(self.updated) + len(self.skipped) + len(self.failed)


def _skip_reason(plan: SecretPlan, row: SecretPlanRow) -> str:
    if row.kind is RowKind.SCOPE_CONFLICT:
        return (
            f"scope conflict: exists in {other_scope(plan.scope)} scope only; use {_fix(plan, row)}"
        )
    if row.kind is RowKind.INVALID:
        return f"invalid: {row.reason}"
    return "not pushed"


def _failure(result: ItemResult) -> str:
    text = result.error or "failed"
    if result.attempts > 1:
        text += f" (after {result.attempts} attempts)"
    return text + (f"; {result.note}" if result.note else "")


def report_lines(summary: PushSummary) -> list[str]:
    """The exact report: one line per secret, then the counts."""
    lines = [f"  created  {printable(name)}" for name in summary.created]
    lines += [f"  updated  {printable(name)}" for name in summary.updated]
    lines += [f"  skipped  {printable(name)}: {printable(why)}" for name, why in summary.skipped]
    lines += [
        f"  failed   {printable(r.item.name)}: {printable(_failure(r))}" for r in summary.failed
    ]
    written = len(summary.created) + len(summary.updated)
    lines.append(
        f"Pushed {written} of {summary.total} secret(s): {len(summary.created)} created, "
        f"{len(summary.updated)} updated, {len(summary.skipped)} skipped, "
        f"{len(summary.failed)} failed" + (" (stopped)" if summary.cancelled else "") + "."
    )
    return lines


def report_json(summary: PushSummary) -> dict[str, Any]:
    """The report as JSON-ready data (no values)."""
    return {
        "created": summary.created,
        "updated": summary.updated,
        "skipped": [{"name": name, "reason": why} for name, why in summary.skipped],
        "failed": [
            {
                "name": r.item.name,
                "error": r.error,
                "status": r.error_status,
                "attempts": r.attempts,
                "note": r.note,
            }
            for r in summary.failed
        ],
        "cancelled": summary.cancelled,
    }

"""The report as plain JSON-ready data, values masked unless asked otherwise."""

from __future__ import annotations

from amika_tui.discovery.report import Candidate, DiscoveryReport, FileScan, SourceReport
from amika_tui.masking import mask

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `typing` is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["report_to_dict"]


def _candidate(c: Candidate, show: bool) -> dict[str, Any]:
    return {
        "provider": c.provider,
        "kind": c.kind.value,
        "source": c.source_id,
        "priority": c.priority,
        "file": str(c.file),
        "field": c.field,
        "value": c.value if show else mask(c.value),
    }


def _file(f: FileScan, show: bool) -> dict[str, Any]:
    return {
        "path": str(f.path),
        "target": None if f.target is None else str(f.target),
        "status": f.status.value,
        "detail": f.detail,
        "expired_at": f.expired_at.isoformat() if f.expired_at else None,
        "notes": list(f.notes),
        "candidates": [_candidate(c, show) for c in f.candidates],
    }


def _source(s: SourceReport, show: bool) -> dict[str, Any]:
    return {
        "id": s.id,
        "label": s.label,
        "priority": s.priority,
        "oauth": s.is_oauth,
        "files": [_file(f, show) for f in s.files],
    }


def report_to_dict(report: DiscoveryReport, *, show_values: bool = False) -> dict[str, Any]:
    """Everything in ``report``; secret values pass through ``mask`` unless ``show_values``."""
    return {
        "home": str(report.home),
        "include_oauth": report.include_oauth,
        "sources": [_source(s, show_values) for s in report.sources],
        "providers": [
            {
                "provider": p.provider,
                "env": list(p.env_names),
                "winner": _candidate(p.winner, show_values),
                "shadowed": [
                    {**_candidate(s.candidate, show_values), "reason": s.reason} for s in p.shadowed
                ],
            }
            for p in report.providers
        ],
        "env": {k: v if show_values else mask(v) for k, v in sorted(report.env.items())},
        "upstream_error": report.upstream_error,
    }

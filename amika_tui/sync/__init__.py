"""Pushing secrets: ``.env`` parsing, push plans, and the concurrent push executor.

parse (``envfile``) → plan (``plan``) → review (the UI) → execute (``executor``) → report.
"""

from amika_tui.sync.envfile import (
    EnvEntry,
    EnvFileError,
    EnvParseResult,
    EnvProblem,
    ParseMode,
    ProblemCode,
    Severity,
    format_env,
    is_valid_env_name,
    parse_env_text,
    read_env_file,
)
from amika_tui.sync.executor import (
    DEFAULT_CONCURRENCY,
    ItemResult,
    Outcome,
    ProgressCallback,
    PushExecutor,
    PushProgress,
    PushReport,
    RetryPolicy,
)
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.sync.masking import mask
from amika_tui.sync.plan import (
    ConflictResolution,
    PlanCounts,
    ProviderAction,
    ProviderPlan,
    RowKind,
    SecretPlan,
    SecretPlanRow,
    entries_from_mapping,
    plan_provider,
    plan_secrets,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "ConflictResolution",
    "EnvEntry",
    "EnvFileError",
    "EnvParseResult",
    "EnvProblem",
    "ItemResult",
    "Outcome",
    "ParseMode",
    "PlanCounts",
    "ProblemCode",
    "ProgressCallback",
    "ProviderAction",
    "ProviderPlan",
    "PushAction",
    "PushExecutor",
    "PushItem",
    "PushProgress",
    "PushReport",
    "RetryPolicy",
    "RowKind",
    "SecretPlan",
    "SecretPlanRow",
    "Severity",
    "entries_from_mapping",
    "format_env",
    "is_valid_env_name",
    "mask",
    "parse_env_text",
    "plan_provider",
    "plan_secrets",
    "read_env_file",
]

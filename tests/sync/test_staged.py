"""The staged set without an app: add, replace, undo, plans, and settling a push report."""

from __future__ import annotations

from datetime import UTC, datetime

from amika_tui.api import Scope, Secret
from amika_tui.sync.executor import ItemResult, Outcome, PushReport
from amika_tui.sync.plan import RowKind
from amika_tui.sync.staged import StagedChange, StagedChanges

AT = datetime(2026, 1, 15, tzinfo=UTC)


def _secret(name: str, scope: Scope) -> Secret:
    return Secret(f"id-{scope}-{name}", "org", "usr", name, None, scope, AT, AT)


def test_stage_replace_and_undo_keep_one_change_per_scope_and_name() -> None:
    staged = StagedChanges()
    staged.stage(StagedChange("A", Scope.USER, "one"))
    staged.stage(StagedChange("B", Scope.ORG, "two", secret_id="id-b"))
    staged.stage(StagedChange("A", Scope.USER, "three"))  # an edit: replaces, keeps its place
    assert [(c.name, c.value) for c in staged] == [("A", "three"), ("B", "two")]
    assert staged.summary() == "2 staged (1 new, 1 changed)"
    # Renamed while edited again: the old key goes.
    staged.stage(StagedChange("A2", Scope.USER, "three"), replacing=(Scope.USER, "A"))
    assert staged.get(Scope.USER, "A") is None and staged.value_of(Scope.USER, "A2") == "three"
    assert staged.unstage(Scope.ORG, "B") is not None and len(staged) == 1
    assert staged.clear() == 1 and staged.summary() == ""


def test_values_stay_out_of_reprs() -> None:
    staged = StagedChanges()
    staged.stage(StagedChange("A", Scope.USER, "radioactive-value"))
    assert "radioactive" not in repr(staged) and "radioactive" not in repr(next(iter(staged)))


def test_plans_are_the_import_plans_per_scope_and_a_second_one_asked_for_is_created() -> None:
    remote = [_secret("EXISTS", Scope.USER), _secret("SHARED", Scope.ORG)]
    staged = StagedChanges()
    staged.stage(StagedChange("EXISTS", Scope.USER, "v1", secret_id="id-user-EXISTS"))
    staged.stage(StagedChange("SHARED", Scope.USER, "v2", beside_other_scope=True))
    staged.stage(StagedChange("NEW", Scope.ORG, "v3"))
    user, org = staged.plans(remote)
    assert (user.scope, org.scope) == (Scope.USER, Scope.ORG)
    assert [(r.key, r.kind, r.action_text) for r in user.rows] == [
        ("EXISTS", RowKind.UPDATE, "update"),
        ("SHARED", RowKind.SCOPE_CONFLICT, "create (user)"),
    ]
    assert [(r.key, r.action_text) for r in org.rows] == [("NEW", "create")]
    assert [item.label for plan in (user, org) for item in plan.items()] == [
        "user/EXISTS",
        "user/SHARED",
        "org/NEW",
    ]


def test_settle_drops_what_was_written_and_keeps_what_failed() -> None:
    staged = StagedChanges()
    staged.stage(StagedChange("OK", Scope.USER, "v1"))
    staged.stage(StagedChange("FAILS", Scope.USER, "v2"))
    staged.stage(StagedChange("ELSEWHERE", Scope.USER, "v3"))  # pushed into the org one
    (plan,) = staged.plans([_secret("ELSEWHERE", Scope.ORG)])
    plan = plan.with_resolution("ELSEWHERE", "update_other")
    ok, fails, elsewhere = plan.items()
    report = PushReport(
        results=(
            ItemResult(ok, Outcome.CREATED),
            ItemResult(fails, Outcome.FAILED, error="service_unavailable: injected failure"),
            ItemResult(elsewhere, Outcome.UPDATED),
        )
    )
    assert staged.settle(report) == 2
    assert [(c.name, c.value) for c in staged] == [("FAILS", "v2")]

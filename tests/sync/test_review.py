"""The review of secret plans: rows of several plans in one list, ticks and conflict
choices that survive a re-plan."""

from __future__ import annotations

from datetime import UTC, datetime

from amika_tui.api import Scope, Secret
from amika_tui.sync.envfile import parse_env_text
from amika_tui.sync.plan import ConflictResolution, SecretPlan, entries_from_mapping, plan_secrets
from amika_tui.sync.review import SecretReview

NOW = datetime(2026, 1, 1, tzinfo=UTC)
REMOTE = [
    Secret("id-user", "org", "user", "EXISTING", None, Scope.USER, NOW, NOW),
    Secret("id-org", "org", "user", "ORG_ONLY", None, Scope.ORG, NOW, NOW),
]


def _plan(text: str, scope: Scope = Scope.USER) -> SecretPlan:
    return plan_secrets(parse_env_text(text).entries, REMOTE, scope)


def _ticks(review: SecretReview) -> list[tuple[str, bool]]:
    return [(review.row(i).key, review.row(i).will_push) for i in range(len(review))]


def test_the_rows_of_several_plans_read_as_one_list_and_change_plan_by_plan() -> None:
    user = plan_secrets(entries_from_mapping({"A": "value-a", "B": "value-b"}), [], Scope.USER)
    org = plan_secrets(entries_from_mapping({"A": "value-org"}), [], Scope.ORG)
    review = SecretReview([plan_secrets([], [], Scope.USER), user, org])  # an empty plan too
    assert len(review) == 3
    assert [review.row_id(i) for i in range(3)] == [(1, "A"), (1, "B"), (2, "A")]
    assert review.position((2, "A")) == 2 and review.position((0, "A")) is None
    assert review.toggle(2) is None  # the org A, not the user one
    assert _ticks(review) == [("A", True), ("B", True), ("A", False)]
    assert [(item.name, item.scope) for item in review.items()] == [
        ("A", Scope.USER),
        ("B", Scope.USER),
    ]
    assert review.to_push == 2
    assert review.summary() == "nothing to push; 2 to create; 1 to create"


def test_an_invalid_row_says_why_and_stays_as_it_is() -> None:
    review = SecretReview([_plan("1BAD=x\nGOOD=y\n")])
    reason = review.toggle(0)
    assert reason is not None and "starts with a digit" in reason
    assert _ticks(review) == [("1BAD", False), ("GOOD", True)]
    review.select_all(True)
    assert _ticks(review) == [("1BAD", False), ("GOOD", True)]


def test_a_conflict_cycles_its_choices_ticked_and_select_none_sets_it_back_to_skip() -> None:
    review = SecretReview([_plan("ORG_ONLY=x\nNEW=y\n")])
    assert review.row(0).resolution is ConflictResolution.SKIP and not review.row(0).will_push
    assert review.toggle(0) is None  # space on a conflict: its next choice
    assert review.row(0).resolution is ConflictResolution.UPDATE_OTHER
    assert review.row(0).will_push and review.row(0).scope is Scope.ORG
    assert review.cycle(0)
    assert review.row(0).resolution is ConflictResolution.CREATE_HERE
    assert not review.cycle(1), "not a conflict"
    review.select_all(False)
    assert _ticks(review) == [("ORG_ONLY", False), ("NEW", False)]
    assert review.row(0).resolution is ConflictResolution.SKIP
    assert review.cycle(0) and review.row(0).will_push, "a choice ticks it again"
    review.select_all(True)
    assert _ticks(review) == [("ORG_ONLY", True), ("NEW", True)]


def test_a_re_plan_keeps_the_choices_by_key_and_a_new_file_starts_afresh() -> None:
    text = "NEW=1\nORG_ONLY=2\nEXISTING=3\n"
    review = SecretReview([_plan(text)])
    review.toggle(0)  # NEW unticked
    review.cycle(1)  # ORG_ONLY: update the org one
    review.replan([_plan("EXISTING=3\nORG_ONLY=2\nNEW=1\n")])  # another order, same keys
    assert _ticks(review) == [("EXISTING", True), ("ORG_ONLY", True), ("NEW", False)]
    review.replan([_plan(text, Scope.ORG)])  # into org: ORG_ONLY is a plain update there
    assert [review.row(i).kind.value for i in range(3)] == ["create", "update", "scope_conflict"]
    assert _ticks(review)[0] == ("NEW", False)
    review.replan([_plan(text)])  # back in user scope: the conflict choice is still there
    assert review.row(1).resolution is ConflictResolution.UPDATE_OTHER
    review.replan([_plan(text)], keep_choices=False)
    assert _ticks(review) == [("NEW", True), ("ORG_ONLY", False), ("EXISTING", True)]


def test_the_repr_never_shows_a_value() -> None:
    review = SecretReview([_plan("TOKEN=sk-live-secret-value\n")])
    assert "sk-live" not in repr(review) and "1 rows" in repr(review)

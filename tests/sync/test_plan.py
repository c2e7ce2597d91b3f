"""Push plans: one row per key, deselectable, conflicts resolvable; provider replace plans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from amika_tui.api import CredentialType, ProviderCredential, Scope, Secret
from amika_tui.sync.envfile import EnvEntry, parse_env_text
from amika_tui.sync.items import PushAction, PushItem
from amika_tui.sync.plan import (
    ConflictResolution,
    ProviderAction,
    RowKind,
    SecretPlan,
    entries_from_mapping,
    plan_provider,
    plan_secrets,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def secret(name: str, scope: Scope, id: str | None = None) -> Secret:
    return Secret(id or f"id-{scope}-{name}", "org", "user", name, None, scope, NOW, NOW)


REMOTE = [
    secret("EXISTING", Scope.USER),
    secret("ORG_ONLY", Scope.ORG),
    secret("BOTH", Scope.USER),
    secret("BOTH", Scope.ORG),
]
ENV = "NEW=1\nEXISTING=2\nORG_ONLY=3\nBOTH=4\n1BAD=5\nexport X=6\nNEW2=7\n"


@pytest.fixture
def plan() -> SecretPlan:
    return plan_secrets(parse_env_text(ENV).entries, REMOTE, Scope.USER)


def test_every_row_kind(plan: SecretPlan) -> None:
    kinds = {row.key: row.kind for row in plan.rows}
    assert kinds == {
        "NEW": RowKind.CREATE,
        "EXISTING": RowKind.UPDATE,
        "ORG_ONLY": RowKind.SCOPE_CONFLICT,
        "BOTH": RowKind.UPDATE,  # exists in the pushed scope: that one is updated
        "1BAD": RowKind.INVALID,
        "export X": RowKind.INVALID,
        "NEW2": RowKind.CREATE,
    }
    assert plan.row("EXISTING").secret_id == "id-user-EXISTING"
    assert plan.row("BOTH").secret_id == "id-user-BOTH"
    assert "not a valid" in (plan.row("1BAD").reason or "")
    assert plan.row("NEW").line == 1


def test_summary_counts_rows_per_kind(plan: SecretPlan) -> None:
    assert plan.summary() == "2 to create, 2 to update, 1 conflict, 2 invalid"
    assert plan.counts.to_push == 4


def test_conflicts_are_skipped_by_default_and_can_update_the_other_scope(plan: SecretPlan) -> None:
    row = plan.row("ORG_ONLY")
    assert row.resolution is ConflictResolution.SKIP and not row.will_push
    assert row.action_text == "skip"
    assert "org" in (row.reason or "")
    switched = plan.with_resolution("ORG_ONLY", "update_other")
    row = switched.row("ORG_ONLY")
    assert row.will_push and row.action_text == "update (org)"
    item = row.to_item()
    assert item == PushItem.update_secret("ORG_ONLY", "3", "id-org-ORG_ONLY", Scope.ORG)
    assert plan.row("ORG_ONLY").resolution is ConflictResolution.SKIP  # the original is untouched
    back = switched.with_resolution("ORG_ONLY", ConflictResolution.SKIP)
    assert back.row("ORG_ONLY").scope is Scope.USER and not back.row("ORG_ONLY").will_push


def test_a_conflict_can_create_a_second_secret_in_the_pushed_scope(plan: SecretPlan) -> None:
    row = plan.row("ORG_ONLY")
    assert "skipped" in (row.reason or "") and "create a user-scoped one too" in (row.reason or "")
    both = plan.with_resolution("ORG_ONLY", ConflictResolution.CREATE_HERE)
    row = both.row("ORG_ONLY")
    assert row.will_push and row.creates and row.scope is Scope.USER
    assert row.action_text == "create (user)"
    assert "two secrets named ORG_ONLY will exist (user and org)" in (row.reason or "")
    assert row.to_item() == PushItem.create_secret(
        "ORG_ONLY", "3", Scope.USER, beside_other_scope=True
    )
    assert both.counts.to_push == plan.counts.to_push + 1


def test_the_conflict_choices_cycle_skip_update_create() -> None:
    choices = [ConflictResolution.SKIP]
    for _ in range(3):
        choices.append(choices[-1].next())
    assert choices == [
        ConflictResolution.SKIP,
        ConflictResolution.UPDATE_OTHER,
        ConflictResolution.CREATE_HERE,
        ConflictResolution.SKIP,
    ]


def test_resolution_only_applies_to_conflicts(plan: SecretPlan) -> None:
    with pytest.raises(ValueError, match="not a scope conflict"):
        plan.with_resolution("NEW", "update_other")
    with pytest.raises(KeyError):
        plan.with_selected("MISSING", True)


def test_rows_can_be_deselected_but_invalid_rows_never_selected(plan: SecretPlan) -> None:
    assert not plan.row("1BAD").selected
    changed = plan.with_selected("NEW", False).with_selected("1BAD", True)
    assert not changed.row("NEW").selected
    assert not changed.row("1BAD").selected
    assert [i.name for i in changed.items()] == ["EXISTING", "BOTH", "NEW2"]


BIG = 5_000


@pytest.fixture
def big_plan() -> SecretPlan:
    """5,000 keys: every tenth an update, every fiftieth (offset 5) an org conflict."""
    remote = [secret(f"KEY_{i:05d}", Scope.USER) for i in range(0, BIG, 10)]
    remote += [secret(f"KEY_{i:05d}", Scope.ORG) for i in range(5, BIG, 50)]
    values = {f"KEY_{i:05d}": f"value-{i}" for i in range(BIG)}
    return plan_secrets(entries_from_mapping(values), remote, Scope.USER)


def test_toggling_one_row_of_5000_changes_that_row_and_the_pushed_set_only(
    big_plan: SecretPlan,
) -> None:
    off = big_plan.with_selected("KEY_02501", False)
    changed = [i for i, (a, b) in enumerate(zip(big_plan.rows, off.rows, strict=True)) if a != b]
    assert changed == [2501]
    assert off.position("KEY_02501") == 2501 and "KEY_02501" in off and "NOPE" not in off
    before, after = [i.name for i in big_plan.items()], [i.name for i in off.items()]
    assert set(before) - set(after) == {"KEY_02501"} and set(after) <= set(before)
    assert off.counts.to_push == big_plan.counts.to_push - 1
    assert [i.name for i in off.with_selected("KEY_02501", True).items()] == before


def test_choices_applied_in_one_pass_equal_the_same_choices_row_by_row(
    big_plan: SecretPlan,
) -> None:
    deselected = {f"KEY_{i:05d}" for i in range(0, BIG, 7)}
    resolutions = {
        "KEY_00005": ConflictResolution.UPDATE_OTHER,
        "KEY_00055": ConflictResolution.CREATE_HERE,
        "KEY_00001": ConflictResolution.UPDATE_OTHER,  # not a conflict: ignored
    }
    one_pass = big_plan.with_choices(deselected, resolutions)
    by_row = big_plan
    for key in deselected:
        by_row = by_row.with_selected(key, False)
    by_row = by_row.with_resolution("KEY_00005", "update_other")
    by_row = by_row.with_resolution("KEY_00055", "create_here")
    assert one_pass.rows == by_row.rows
    assert one_pass.row("KEY_00005").scope is Scope.ORG
    assert one_pass.with_choices(set(), resolutions).counts.to_push == BIG - 100 + 2


def test_select_none_and_all_at_5000_rows(big_plan: SecretPlan) -> None:
    keys = {row.key for row in big_plan.rows}
    none = big_plan.with_choices(keys, {})
    assert none.items() == [] and not any(row.selected for row in none.rows)
    every = none.with_choices(set(), {})
    assert every.rows == big_plan.rows, "conflicts are ticked but still skipped by default"
    assert len(every.items()) == BIG - 100


def test_items_carry_the_values_and_actions(plan: SecretPlan) -> None:
    items = {i.name: i for i in plan.items()}
    assert items["NEW"].action is PushAction.CREATE and items["NEW"].value == "1"
    assert items["EXISTING"].action is PushAction.UPDATE
    assert items["EXISTING"].secret_id == "id-user-EXISTING"
    assert all(i.scope is Scope.USER for i in items.values())


def test_values_are_absent_from_reprs() -> None:
    plan = plan_secrets(entries_from_mapping({"TOKEN": "sk-ant-abcdefghijklmnop"}), [], Scope.ORG)
    row = plan.rows[0]
    assert "abcdefgh" not in repr(plan) and "abcdefgh" not in repr(plan.items())
    assert row.line == 0 and row.scope is Scope.ORG


def test_last_entry_wins_for_repeated_keys() -> None:
    plan = plan_secrets([EnvEntry("A", "1", 1), EnvEntry("A", "2", 2)], [], Scope.USER)
    assert [(r.key, r.value, r.line) for r in plan.rows] == [("A", "2", 2)]


def test_org_push_sees_user_secrets_as_conflicts() -> None:
    plan = plan_secrets(entries_from_mapping({"EXISTING": "x"}), REMOTE, "org")
    assert plan.row("EXISTING").kind is RowKind.SCOPE_CONFLICT
    assert plan.summary() == "1 conflict"


def test_an_empty_plan_says_so() -> None:
    assert plan_secrets([], REMOTE, Scope.USER).summary() == "nothing to push"


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("N" * 257, "x", "the name is longer than 256 characters"),
        ("BIG", "x" * (64 * 1024 + 1), "the value is larger than the server's limit of 64 KiB"),
        (
            "BIG_UTF8",
            "é" * (32 * 1024 + 1),
            "the value is larger than the server's limit of 64 KiB",
        ),
        ("FROM_ENV", "caf\udce9", "the value is not valid UTF-8 text"),
        ("", "x", "the name is empty"),
        (
            "my-token",
            "x",
            "not a valid environment variable name: '-' is not allowed "
            "(letters, digits and _ only)",
        ),
        ("2FA", "x", "not a valid environment variable name: it starts with a digit"),
        (
            "MY TOKEN",
            "x",
            "not a valid environment variable name: a space is not allowed "
            "(letters, digits and _ only)",
        ),
    ],
)
def test_rows_the_server_would_refuse_are_invalid_with_the_reason(
    name: str, value: str, reason: str
) -> None:
    row = plan_secrets([EnvEntry(name, value, 3)], [], Scope.USER).rows[0]
    assert (row.kind, row.reason, row.will_push) == (RowKind.INVALID, reason, False)


def test_the_largest_name_and_value_the_server_takes_and_an_empty_value_are_pushed() -> None:
    entries = entries_from_mapping({"N" * 256: "x" * (64 * 1024), "EMPTY": ""})
    plan = plan_secrets(entries, [], Scope.USER)
    assert [row.kind for row in plan.rows] == [RowKind.CREATE, RowKind.CREATE]


def test_update_and_conflict_rows_carry_the_remote_time_and_untouched_names_are_listed() -> None:
    later = datetime(2026, 2, 3, tzinfo=UTC)
    remote = [
        Secret("u1", "org", "user", "MINE", None, Scope.USER, NOW, later),
        Secret("o1", "org", "user", "THEIRS", None, Scope.ORG, NOW, later),
        Secret("u2", "org", "user", "UNTOUCHED", None, Scope.USER, NOW, NOW),
        Secret("o2", "org", "user", "ORG_UNTOUCHED", None, Scope.ORG, NOW, NOW),
    ]
    plan = plan_secrets(
        entries_from_mapping({"MINE": "1", "THEIRS": "2", "NEW": "3"}), remote, "user"
    )
    assert plan.row("MINE").remote_updated_at == later
    assert plan.row("THEIRS").remote_updated_at == later
    assert plan.row("NEW").remote_updated_at is None
    assert [s.name for s in plan.left_as_is] == ["UNTOUCHED"]  # the pushed scope only
    assert plan.with_selected("NEW", False).left_as_is == plan.left_as_is


# --------------------------------------------------------------------------- providers

CREDS = [
    ProviderCredential("c1", "Claude OAuth", CredentialType.OAUTH, Scope.USER),
    ProviderCredential("c2", "Team key", CredentialType.API_KEY, Scope.ORG),
]
OAUTH = '{"claudeAiOauth": {"accessToken": "sk-ant-oat01-xyz"}}'


def test_new_credential_is_a_create() -> None:
    plan = plan_provider("claude", "Laptop", OAUTH, "oauth", "user", CREDS)
    assert plan.action is ProviderAction.CREATE
    item = plan.to_item()
    assert item == PushItem.create_credential(
        "claude", "Laptop", OAUTH, CredentialType.OAUTH, Scope.USER
    )
    assert plan.message == "Laptop will be created as a user-scoped credential."
    org = plan_provider("codex", "Team", "sk-key", "api_key", "org", [])
    assert org.message == "Team will be created as an org-scoped credential."


def test_same_name_in_user_scope_is_a_replace_that_warns_about_loss() -> None:
    plan = plan_provider("claude", "Claude OAuth", OAUTH, "oauth", "user", CREDS)
    assert plan.action is ProviderAction.REPLACE
    assert [c.id for c in plan.replaces] == ["c1"]
    assert "deletes the old credential first" in plan.message
    assert "gone" in plan.message
    item = plan.to_item()
    assert item is not None and item.action is PushAction.REPLACE
    assert item.replaces_ids == ("c1",)


def test_a_same_named_org_credential_does_not_conflict_in_user_scope() -> None:
    plan = plan_provider("claude", "Team key", "sk-ant-1", "api_key", "user", CREDS)
    assert plan.action is ProviderAction.CREATE


def test_any_org_credential_conflicts_in_org_scope() -> None:
    plan = plan_provider("claude", "Another name", "sk-ant-1", "api_key", "org", CREDS)
    assert plan.action is ProviderAction.REPLACE
    assert [c.id for c in plan.replaces] == ["c2"]
    assert "one credential per provider" in plan.message


@pytest.mark.parametrize("value", ["not json", "{'single': 1}", '{"a": NaN}', "{", ""])
def test_oauth_values_must_be_valid_json(value: str) -> None:
    plan = plan_provider("codex", "Codex OAuth", value, "oauth", "user", [])
    assert plan.action is ProviderAction.INVALID
    assert plan.to_item() is None
    assert value == "" or "valid JSON" in plan.message


def test_api_keys_need_no_json_but_a_name_and_a_value() -> None:
    assert (
        plan_provider("codex", "k", "sk-x", "api_key", "user", []).action is ProviderAction.CREATE
    )
    assert (
        plan_provider("codex", " ", "sk-x", "api_key", "user", []).action is ProviderAction.INVALID
    )
    assert plan_provider("codex", "k", "  ", "api_key", "user", []).action is ProviderAction.INVALID


def test_provider_plan_repr_hides_the_value() -> None:
    plan = plan_provider("claude", "Laptop", OAUTH, "oauth", "user", [])
    assert "sk-ant-oat01" not in repr(plan) and "sk-ant-oat01" not in repr(plan.to_item())

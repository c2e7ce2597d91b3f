"""Plans for pushing what extract found: generic secrets, or Claude/Codex credentials.

Pure functions over a discovery report's results; the caller lists what is on the
server and hands it in, then gives ``items`` to the shared review → push flow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from amika_tui.api import CredentialType, ProviderCredential, Scope, Secret
from amika_tui.discovery.providers import PROVIDER_DISCOVERY, ProviderDiscovery
from amika_tui.discovery.report import CredentialKind, ProviderResult
from amika_tui.sync.items import PushItem
from amika_tui.sync.plan import (
    ProviderAction,
    RowKind,
    entries_from_mapping,
    plan_provider,
    plan_secrets,
)

__all__ = [
    "CredentialChoice",
    "ExtractedPlan",
    "credential_choices",
    "plan_extracted_credentials",
    "plan_extracted_secrets",
    "provider_for",
]


@dataclass(frozen=True, slots=True)
class ExtractedPlan:
    """What a push of extracted findings would send, and what to tell the user first."""

    items: list[PushItem]
    notes: list[str]


def provider_for(canonical: str) -> ProviderDiscovery | None:
    """Claude for ``anthropic``, Codex for ``openai``; None for every other provider."""
    return next((p for p in PROVIDER_DISCOVERY.values() if p.canonical == canonical), None)


@dataclass(frozen=True, slots=True)
class CredentialChoice:
    """How one finding would be pushed as a provider credential (or why it cannot)."""

    provider: ProviderDiscovery
    env_label: str
    type: CredentialType | None
    value: str | None = field(repr=False)
    problem: str | None = None


def credential_choices(results: Sequence[ProviderResult]) -> list[CredentialChoice]:
    """For each Claude/Codex finding, the value to upload as a provider credential.

    An API key is uploaded as the bare key. For OAuth, Amika wants the whole credentials
    document (so the refresh token travels with it): the scan links it to the candidate
    when the winning file is one (``Candidate.credential``); a bare access token from
    another tool cannot be used.
    """
    choices = []
    for result in results:
        provider = provider_for(result.provider)
        if provider is None:
            continue
        winner = result.winner
        label = result.env_names[0] if result.env_names else result.provider
        if winner.kind is CredentialKind.API_KEY:
            choices.append(CredentialChoice(provider, label, CredentialType.API_KEY, winner.value))
        elif winner.credential is not None:
            document = winner.credential.value
            choices.append(CredentialChoice(provider, label, CredentialType.OAUTH, document))
        else:
            problem = (
                f"{winner.source_id} only holds an access token, not the whole "
                f"{provider.short_name} OAuth document Amika needs"
            )
            choices.append(CredentialChoice(provider, label, None, None, problem))
    return choices


def plan_extracted_credentials(
    choices: Sequence[CredentialChoice],
    existing: Mapping[str, Sequence[ProviderCredential]],
    scope: Scope,
) -> ExtractedPlan:
    """Plan the pushable ``choices``; ``existing`` maps ``claude``/``codex`` to what is listed."""
    items: list[PushItem] = []
    notes: list[str] = []
    for choice in choices:
        short = choice.provider.short_name
        if choice.value is None or choice.type is None:
            notes.append(f"Skipped {short}: {choice.problem}.")
            continue
        plan = plan_provider(
            choice.provider.name,
            choice.provider.default_name(choice.type),
            choice.value,
            choice.type,
            scope,
            existing.get(choice.provider.name, ()),
        )
        if plan.action is ProviderAction.INVALID:
            notes.append(f"Skipped {short}: {plan.message}")
            continue
        if plan.action is ProviderAction.REPLACE:
            notes.append(plan.message)
        item = plan.to_item()
        if item is not None:
            items.append(item)
    return ExtractedPlan(items, notes)


def plan_extracted_secrets(
    results: Sequence[ProviderResult], remote: Sequence[Secret], scope: Scope
) -> ExtractedPlan:
    """Every env name of every finding (aliases included) as a generic secret in ``scope``."""
    values = {name: r.winner.value for r in results for name in r.env_names}
    plan = plan_secrets(entries_from_mapping(values), remote, scope)
    notes = [f"Plan: {plan.summary()}."]
    notes += [
        f"Skipped: {row.reason}."
        for row in plan.rows
        if row.kind in (RowKind.SCOPE_CONFLICT, RowKind.INVALID) and row.reason
    ]
    return ExtractedPlan(plan.items(), notes)

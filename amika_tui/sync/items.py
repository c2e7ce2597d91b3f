"""The unit of work of every push: one secret or provider credential to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from amika_tui.api import CredentialType, Scope
from amika_tui.masking import mask

__all__ = ["PushAction", "PushItem"]


class PushAction(StrEnum):
    """What the executor does for an item."""

    CREATE = "create"
    """Create a generic secret or provider credential (POST)."""
    UPDATE = "update"
    """Set a new value on an existing generic secret (PUT)."""
    REPLACE = "replace"
    """Provider credentials only: delete the conflicting credential(s), then create."""


@dataclass(frozen=True, slots=True)
class PushItem:
    """One secret or provider credential to write, with its value kept in memory.

    Build items with the class methods (or get them from a plan); ``label`` is unique within
    one push and is what progress events and results are keyed by.
    """

    action: PushAction
    name: str
    value: str = field(repr=False)
    scope: Scope
    secret_id: str | None = None
    """UPDATE: the id of the generic secret to update."""
    provider: str | None = None
    """Provider credentials: the API path segment (``claude``, ``codex``); None = generic."""
    credential_type: CredentialType | None = None
    """Provider credentials: ``oauth`` or ``api_key``."""
    replaces_ids: tuple[str, ...] = ()
    """REPLACE: credentials still to delete before the create. Empty once they are gone."""
    beside_other_scope: bool = False
    """CREATE of a generic secret whose name exists in the other scope, asked for: finding
    that one is no conflict (two secrets of that name will exist, one per scope)."""

    @classmethod
    def create_secret(
        cls, name: str, value: str, scope: Scope = Scope.USER, *, beside_other_scope: bool = False
    ) -> PushItem:
        """A new generic secret (``beside_other_scope``: a second one of that name, in
        ``scope``, next to the one in the other scope)."""
        return cls(
            PushAction.CREATE, name, value, Scope(scope), beside_other_scope=beside_other_scope
        )

    @classmethod
    def update_secret(
        cls, name: str, value: str, secret_id: str, scope: Scope = Scope.USER
    ) -> PushItem:
        """A new value for the existing generic secret ``secret_id``."""
        return cls(PushAction.UPDATE, name, value, Scope(scope), secret_id=secret_id)

    @classmethod
    def create_credential(
        cls,
        provider: str,
        name: str,
        value: str,
        credential_type: CredentialType,
        scope: Scope = Scope.USER,
    ) -> PushItem:
        """A new provider credential."""
        return cls(
            PushAction.CREATE,
            name,
            value,
            Scope(scope),
            provider=provider,
            credential_type=CredentialType(credential_type),
        )

    @classmethod
    def replace_credential(
        cls,
        provider: str,
        name: str,
        value: str,
        credential_type: CredentialType,
        scope: Scope,
        replaces_ids: tuple[str, ...],
    ) -> PushItem:
        """A provider credential that replaces (deletes, then creates) existing ones."""
        return cls(
            PushAction.REPLACE,
            name,
            value,
            Scope(scope),
            provider=provider,
            credential_type=CredentialType(credential_type),
            replaces_ids=tuple(replaces_ids),
        )

    @property
    def label(self) -> str:
        """A unique, value-free identifier, e.g. ``user/OPENAI_API_KEY`` or
        ``claude:org/Claude OAuth``."""
        prefix = f"{self.provider}:" if self.provider else ""
        return f"{prefix}{self.scope}/{self.name}"

    @property
    def masked_value(self) -> str:
        """The value masked for display."""
        return mask(self.value)

"""Who a session is, as far as amika-tui can tell.

A browser session names its e-mail and org; an API key or a token provider names nobody.
The listing of generic secrets fills that gap: every user-scoped secret in it is the
caller's own and carries the caller's user id, and every secret carries the org id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from amika_tui.api import Scope, Secret

__all__ = ["Identity", "short_id"]

_SHORT_ID = 12


def short_id(identifier: str) -> str:
    """``usr_3f2a1b4c…`` for a long opaque id (the prefix tells what it is)."""
    if len(identifier) <= _SHORT_ID + 2:
        return identifier
    return identifier[:_SHORT_ID] + "…"


@dataclass(frozen=True, slots=True)
class Identity:
    """The signed-in user: what the credential says, plus what the listing told."""

    email: str | None = None
    org: str | None = None
    """The org's name (or id) as the session or the settings give it."""
    credential: str | None = None
    """Where the credential came from ("AMIKA_API_KEY environment variable")."""
    user_id: str | None = None
    """The caller's user id, from the user-scoped secrets of a listing."""
    org_id: str | None = None
    """The caller's org id, from a listing."""

    def learned_from(self, secrets: Iterable[Secret]) -> Identity:
        """This identity completed with what a listing of generic secrets tells."""
        user_id = org_id = None
        for secret in secrets:
            if user_id is None and secret.scope is Scope.USER and secret.user_id:
                user_id = secret.user_id
            if org_id is None and secret.org_id:
                org_id = secret.org_id
            if user_id is not None and org_id is not None:
                break
        return replace(self, user_id=user_id or self.user_id, org_id=org_id or self.org_id)

    @property
    def label(self) -> str:
        """Who, in which org: ``ada@example.com · acme`` for a session that names them,
        else what the listing told followed by the credential (``user usr_3f2a1b4c… · org
        org_9e8d7c6b… · AMIKA_API_KEY environment variable``)."""
        if self.email:
            return " · ".join(part for part in (self.email, self.org) if part)
        org = self.org or (short_id(self.org_id) if self.org_id else None)
        parts = (
            f"user {short_id(self.user_id)}" if self.user_id else None,
            f"org {org}" if org else None,
            self.credential,
        )
        return " · ".join(part for part in parts if part) or "not signed in"

"""Filtering a listing of secrets by name as the user types, fast at 100,000 secrets.

`filter_secrets` is the plain rule (a name matches when it contains the query, compared
casefolded). `ListingFilter` applies the same rule to one listing keystroke after
keystroke: it casefolds every name once, narrows from the previous result when the new
query contains the previous one (a name containing the longer query contains the shorter
one too, so nothing can come back), and counts the scopes in the same pass.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from amika_tui.api import Scope, Secret

__all__ = ["FilterView", "ListingFilter", "filter_secrets", "match_span"]


def filter_secrets(secrets: Sequence[Secret], scope: Scope | None, query: str) -> list[Secret]:
    """Secrets in ``scope`` (None = all) whose name contains ``query`` (case-insensitive)."""
    needle = query.casefold()
    return [
        secret
        for secret in secrets
        if (scope is None or secret.scope == scope)
        and (not needle or needle in secret.name.casefold())
    ]


def match_span(text: str, query: str) -> tuple[int, int] | None:
    """Where in ``text`` the filter's match of ``query`` lies, as (start, end) indices of
    ``text`` itself, or None. Casefolding can change a string's length (``ß`` → ``ss``),
    so the casefolded match is mapped back character by character."""
    needle = query.casefold()
    if not needle:
        return None
    origin: list[int] = []
    for index, character in enumerate(text):
        origin.extend([index] * len(character.casefold()))
    start = "".join(character.casefold() for character in text).find(needle)
    if start < 0:
        return None
    return origin[start], origin[start + len(needle) - 1] + 1


@dataclass(frozen=True, slots=True)
class FilterView:
    """What one query shows: the rows of the chosen scope, and every scope's count."""

    rows: list[Secret]
    """Matching secrets of the chosen scope, in listing order."""
    counts: dict[Scope | None, int]
    """Matches per scope tab: ``None`` (all), ``Scope.USER`` and ``Scope.ORG``."""
    positions: list[int]
    """Listing index of each row (ascending), so a secret's row is found by bisection."""

    def row_of(self, secret: Secret | None, listing: ListingFilter) -> int | None:
        """The row showing ``secret``, or None when it is not shown."""
        if secret is None:
            return None
        index = listing.index_of(secret)
        if index is None:
            return None
        row = bisect_left(self.positions, index)
        return row if row < len(self.positions) and self.positions[row] == index else None


class ListingFilter:
    """One listing, filtered by name query after query (see the module docstring)."""

    def __init__(self, secrets: Sequence[Secret]) -> None:
        self.secrets = list(secrets)
        """The listing, in display order."""
        self._user = [secret.scope is Scope.USER for secret in self.secrets]
        self._everything = list(range(len(self.secrets)))
        self._needle = ""
        self._matches = self._everything
        self._views: dict[Scope | None, FilterView] = {}
        """Views of the current matches, by scope (dropped when the matches change)."""

    # Built at the first query / cursor lookup, not with the listing: a listing that is
    # only looked at never pays for them (~15 MiB at 100,000 secrets).
    @cached_property
    def _folded(self) -> list[str]:
        return [secret.name.casefold() for secret in self.secrets]

    @cached_property
    def _index(self) -> dict[str, int]:
        return {secret.id: i for i, secret in enumerate(self.secrets)}

    def index_of(self, secret: Secret) -> int | None:
        """The secret's position in the listing, or None when it is not in it."""
        index = self._index.get(secret.id)
        return index if index is not None and self.secrets[index] is secret else None

    def matching(self, query: str) -> list[int]:
        """Listing indices of the names containing ``query`` (casefolded), ascending."""
        needle = query.casefold()
        if needle == self._needle:
            return self._matches
        if not needle:
            matches = self._everything
        else:
            # The query grew: only the previous matches can match.
            grew = self._needle in needle
            candidates = self._matches if grew else self._everything
            folded = self._folded
            matches = [i for i in candidates if needle in folded[i]]
            if len(matches) == len(candidates):
                matches = candidates  # the same matches: their views still hold
        if matches is not self._matches:
            self._views.clear()
        self._needle, self._matches = needle, matches
        return matches

    def view(self, query: str, scope: Scope | None) -> FilterView:
        """The rows of ``scope`` (None = all) matching ``query``, with every scope's count.

        The rows are a new list each time: the caller may add to it.
        """
        matches = self.matching(query)
        view = self._views.get(scope)
        if view is None:
            view = self._views[scope] = self._view(matches, scope)
        return FilterView(list(view.rows), view.counts, view.positions)

    def _view(self, matches: list[int], scope: Scope | None) -> FilterView:
        secrets, user = self.secrets, self._user
        if scope is None:
            users = (
                sum(user) if matches is self._everything else sum(map(user.__getitem__, matches))
            )
            positions = matches
        else:
            want_user = scope is Scope.USER
            positions = [i for i in matches if user[i] is want_user]
            users = len(positions) if want_user else len(matches) - len(positions)
        counts: dict[Scope | None, int] = {
            None: len(matches),
            Scope.USER: users,
            Scope.ORG: len(matches) - users,
        }
        rows = secrets if positions is self._everything else [secrets[i] for i in positions]
        return FilterView(rows, counts, positions)

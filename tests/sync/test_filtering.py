"""The name filter: one listing, query after query, shows what the plain rule shows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from amika_tui.api import Scope, Secret
from amika_tui.sync.filtering import ListingFilter, filter_secrets, match_span

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NAMES = [
    ("STRASSE_KEY", Scope.USER),
    ("straße_token", Scope.ORG),
    ("İSTANBUL_DB", Scope.USER),
    ("istanbul_cache", Scope.ORG),
    ("DATABASE_URL", Scope.USER),
    ("database_replica", Scope.ORG),
    ("ΣΊΣΥΦΟΣ", Scope.USER),
    ("API_TOKEN", Scope.ORG),
]
LISTING = [Secret(f"id-{i}", "org", "usr", n, None, s, NOW, NOW) for i, (n, s) in enumerate(NAMES)]

# Each query follows the one before it: growing, shrinking, changed, and casefold edge
# cases ("ß" casefolds to "ss", "İ" to "i" plus a combining dot, "Σ" and "ς" to "σ").
QUERIES = [
    "",
    "s",
    "st",
    "str",
    "stra",
    "straß",
    "straße",
    "stras",
    "ss",
    "SS",
    "ß",
    "",
    "i",
    "İ",
    "İs",
    "is",
    "ist",
    "istanbul",
    "İSTANBUL",
    "tanbul",
    "data",
    "database",
    "database_",
    "database_u",
    "base",
    "σ",
    "ςυ",
    "Σίσυφος",
    "zzz",
    "",
]


def _names(secrets: list[Secret]) -> list[str]:
    return [secret.name for secret in secrets]


def test_every_query_in_turn_shows_what_the_plain_rule_shows() -> None:
    listing = ListingFilter(LISTING)
    for query in QUERIES:
        for scope in (None, Scope.USER, Scope.ORG):
            view = listing.view(query, scope)
            assert _names(view.rows) == _names(filter_secrets(LISTING, scope, query)), (
                query,
                scope,
            )
            assert view.counts == {
                tab: len(filter_secrets(LISTING, tab, query))
                for tab in (None, Scope.USER, Scope.ORG)
            }, query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ss", ["STRASSE_KEY", "straße_token"]),
        ("ß", ["STRASSE_KEY", "straße_token"]),
        # "İ" casefolds to "i" plus a combining dot: each spelling finds only its own.
        ("İstanbul", ["İSTANBUL_DB"]),
        ("istanbul", ["istanbul_cache"]),
        ("σίσυφος", ["ΣΊΣΥΦΟΣ"]),
    ],
)
def test_matches_are_case_insensitive_by_casefolding(query: str, expected: list[str]) -> None:
    listing = ListingFilter(LISTING)
    listing.view(query[:1], None)  # narrowed from a shorter query, as when typing
    assert _names(listing.view(query, None).rows) == expected


def test_the_row_of_a_secret_follows_the_filter() -> None:
    listing = ListingFilter(LISTING)
    token = LISTING[7]
    assert listing.view("", None).row_of(token, listing) == 7
    assert listing.view("token", None).row_of(token, listing) == 1
    assert listing.view("token", Scope.USER).row_of(token, listing) is None
    assert listing.view("data", None).row_of(token, listing) is None
    assert listing.view("", None).row_of(None, listing) is None
    twin = Secret(token.id, "org", "usr", token.name, None, token.scope, NOW, NOW)
    assert listing.view("", None).row_of(twin, listing) is None, "from another listing"


def test_rows_added_to_one_view_do_not_show_in_the_next() -> None:
    # The secrets screen may add rows of its own (staged edits) after filtering.
    listing = ListingFilter(LISTING)
    first = listing.view("data", None)
    first.rows.append(LISTING[0])
    assert _names(listing.view("data", None).rows) == ["DATABASE_URL", "database_replica"]
    everything = listing.view("", None)
    everything.rows.clear()
    assert len(listing.view("", None).rows) == len(LISTING) == len(listing.secrets)


@pytest.mark.parametrize(
    ("text", "query", "span"),
    [
        ("STRIPE_SECRET_KEY", "secret", (7, 13)),
        ("STRASSE_KEY", "straße", (0, 7)),  # the query folds longer than it is
        ("STRAßE_KEY", "_key", (6, 10)),  # ß before the match folds to two characters
        ("STRAßE_KEY", "asse", (3, 6)),  # the match ends inside ß's fold: all of ß
        ("İSTANBUL", "stan", (1, 5)),  # İ folds to two characters
        ("NAME", "zzz", None),
        ("NAME", "", None),
    ],
)
def test_the_match_span_is_in_the_shown_text_whatever_casefolding_does(
    text: str, query: str, span: tuple[int, int] | None
) -> None:
    assert match_span(text, query) == span

"""The FilterSet's filters as the search index's queries: the same cleaned values
(decisions.filters.DecisionFilter validates them once), asked of the index's fast
fields instead of PostgreSQL's columns. One condition per filter, declared here beside
each other so that a filter added to the FilterSet is one entry more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import tantivy

from decisions.filters import DecisionFilter
from decisions.search import engine
from decisions.search.documents import OUTCOME_CODES, REMEDY_KIND_CODES, day_number, pence


def organisation(filterset: DecisionFilter, value: Any) -> tantivy.Query:
    return engine.any_of("organisation", [org.pk for org in value.organisations])


def category(filterset: DecisionFilter, value: Any) -> tantivy.Query:
    return engine.term("category", value.pk)


def subcategory(filterset: DecisionFilter, value: str) -> tantivy.Query:
    # Subcategory slugs repeat across categories ("other"): every one of that slug,
    # narrowed to the chosen category by the category's own condition.
    ids = filterset._subcategory_ids(slug=value)
    return engine.any_of("subcategory", ids or [0])


def outcome(filterset: DecisionFilter, value: str) -> tantivy.Query:
    return engine.term("outcome", OUTCOME_CODES.get(value, 0))


def date_from(filterset: DecisionFilter, value: Any) -> tantivy.Query:
    return engine.between("day", day_number(value))


def date_to(filterset: DecisionFilter, value: Any) -> tantivy.Query:
    return engine.between("day", None, day_number(value))


def has_remedy(filterset: DecisionFilter, value: bool) -> tantivy.Query | None:
    # Unticked means "any", never "only those without a remedy".
    return engine.between("payment_pence", 1) if value else None


def amount(filterset: DecisionFilter, value: Decimal) -> tantivy.Query:
    return engine.between("payment_pence", max(1, pence(value)))


def amount_max(filterset: DecisionFilter, value: Decimal) -> tantivy.Query:
    # A payment of at most £N: decisions with no payment are not "at most £500".
    return engine.between("payment_pence", 1, pence(value))


def remedy(filterset: DecisionFilter, value: str) -> tantivy.Query:
    return engine.term("remedy_kind", REMEDY_KIND_CODES[value])


def at_source(filterset: DecisionFilter, value: str) -> tantivy.Query | None:
    if value == "removed":
        return engine.term("removed_at_source", 1)
    return engine.term("removed_at_source", 0) if value == "published" else None


def legislation(filterset: DecisionFilter, value: str) -> tantivy.Query:
    # The raw field holds each citation whole, as the form matched it exactly.
    return engine.term("legislation", value)


def purpose(filterset: DecisionFilter, value: str) -> tantivy.Query:
    return engine.term("payment_purpose", value)


CONDITIONS: dict[str, Callable[[DecisionFilter, Any], tantivy.Query | None]] = {
    "organisation": organisation,
    "category": category,
    "subcategory": subcategory,
    "outcome": outcome,
    "date_from": date_from,
    "date_to": date_to,
    "has_remedy": has_remedy,
    "amount": amount,
    "amount_max": amount_max,
    "remedy": remedy,
    "at_source": at_source,
    "legislation": legislation,
    "purpose": purpose,
}


def filter_queries(filterset: DecisionFilter, without: Iterable[str] = ()) -> list[tantivy.Query]:
    """The index's query of each filter of a valid `filterset` in use, but `without`
    (the search words are the engine's text query, not a filter: see DecisionSearch)."""
    left_out = {*without, "q"}
    found = []
    for name, value in filterset.form.cleaned_data.items():
        if name in left_out or name not in filterset.filters or value in (None, "", False):
            continue
        query = CONDITIONS[name](filterset, value)
        if query is not None:
            found.append(query)
    return found

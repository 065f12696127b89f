"""The way back from a decision to the results it was found in, and on to the next one.

Kept in the link, never in a session: each row of the list links to its decision with
the list's whole query string (the search words, the filters, the sort, the page and its
size), so the decision page can rebuild the same search through the one read path and
link back to it and to the results either side, each carrying the same query. Links
work when shared, bookmarked or opened in several tabs, and need no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse

from decisions.models import Decision
from decisions.search.neighbours import place_in
from decisions.search.query import ORPHANS, DecisionSearch

# The decision page's own parameters, which are not part of the search.
DECISION_PAGE_PARAMS = frozenset({"match"})


def results_params(params: QueryDict) -> QueryDict:
    """The query string a result carries to its decision: every parameter with a value,
    as given, but the decision page's own."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        given = [value for value in values if value.strip()]
        if given and name not in DECISION_PAGE_PARAMS:
            kept.setlist(name, given)
    return kept


def results_query(params: QueryDict) -> str:
    """ "?q=...&outcome=upheld" for a result's link, or "" without a search."""
    kept = results_params(params)
    return f"?{kept.urlencode()}" if kept else ""


@dataclass(frozen=True)
class Neighbour:
    decision: Decision
    url: str


@dataclass(frozen=True)
class ResultsNavigation:
    back_url: str
    position: int | None  # 1 for the first result; None when not known
    total: str  # "41", "about 41,000"
    previous: Neighbour | None
    next: Neighbour | None


def results_navigation(params: QueryDict, decision: Decision) -> ResultsNavigation | None:
    """Back to the results, and the results either side, for a decision reached from
    the list with `params`; None without a search (the page then links to all decisions).

    Each link names the page of results its decision is on, so that after stepping on
    past the last row of a page "Back to results" returns to the page now being read,
    and ends at the decision's own row (#result-...), not at the top of the list.
    """
    kept = results_params(params)
    if not kept:
        return None
    search = DecisionSearch.from_params(kept)
    place = place_in(search, decision)
    if place is None:  # an invalid search, or one this decision is not a match of
        return ResultsNavigation(list_url(kept), None, "", None, None)
    pages = Paginator(range(search.total.value), search.per_page, orphans=ORPHANS)

    def on_page(position: int | None) -> QueryDict:
        if position is None or position > pages.count:
            return kept
        return with_page(kept, pages.get_page(1 + (position - 1) // search.per_page).number)

    def neighbour(other: Decision | None, position: int | None) -> Neighbour | None:
        if other is None:
            return None
        query = on_page(position).urlencode()
        return Neighbour(other, f"{other.get_absolute_url()}?{query}")

    position = place.position
    return ResultsNavigation(
        back_url=f"{list_url(on_page(position))}#{result_anchor(decision)}",
        position=position,
        total=search.total.shown,
        previous=neighbour(place.previous, position - 1 if position else None),
        next=neighbour(place.next, position + 1 if position else None),
    )


def result_anchor(decision: Decision) -> str:
    """The id of the decision's row in a list of results: "result-19-011-560"."""
    return f"result-{decision.slug}"


def with_page(params: QueryDict, page: int) -> QueryDict:
    """`params` on page `page` (the first page needs no parameter)."""
    changed = params.copy()
    changed.pop("page", None)
    if page > 1:
        changed["page"] = str(page)
    return changed


def list_url(params: QueryDict) -> str:
    query = params.urlencode()
    return reverse("decisions:list") + (f"?{query}" if query else "")

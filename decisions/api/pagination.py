"""Paging that stays fast on deep pages, in the order asked for.

Date order (newest or oldest first) pages by cursor: each page starts after the last
decision of the one before (`DecisionSearch.after`), read from the date indexes at any
depth, and reaches every match. Relevance and the largest payment first page by number,
through the page's own `DecisionSearch.page()`, ranked over every match: every page is
reachable (`capped` is always false, `reachable` the total; kept for the clients that
read them, docs/api-changelog.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict
from rest_framework.request import Request

from decisions.api.errors import PastTheEnd
from decisions.api.parameters import parse_cursor
from decisions.models import Decision
from decisions.search.query import DecisionSearch


@dataclass
class ApiPage:
    decisions: list[Decision]
    snippets: dict[int, str]
    pagination: dict
    notes: list[str] = field(default_factory=list)


def link(request: Request, **changes: str | None) -> str:
    """This request's address with `changes` to its parameters (None removes one)."""
    params: QueryDict = request.query_params.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    query = params.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def date_page(search: DecisionSearch, request: Request) -> ApiPage:
    text = request.query_params.get("cursor")
    decisions, following = search.after(parse_cursor(text) if text else None, search.per_page)
    pagination = {
        "kind": "cursor",
        "per_page": search.per_page,
        "next": link(request, cursor=str(following)) if following else None,
        "previous": None,
        "page": None,
        "pages": None,
        "reachable": search.total.value,
        "capped": False,
    }
    return ApiPage(decisions, found_snippets(search, decisions), pagination)


def numbered_page(search: DecisionSearch, request: Request) -> ApiPage:
    result = search.page()
    page = result.page
    if search.page_number > page.number:
        # The page falls back to the last page with a note; a program would loop on it.
        raise PastTheEnd(page.paginator.num_pages)
    reachable = page.paginator.count
    pagination = {
        "kind": "page",
        "per_page": search.per_page,
        "next": link(request, page=str(page.next_page_number())) if page.has_next() else None,
        "previous": link(request, page=str(page.previous_page_number()))
        if page.has_previous()
        else None,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "reachable": reachable,
        "capped": False,
    }
    decisions = [row.decision for row in result.rows]
    found = {row.decision.pk: str(row.snippet) for row in result.rows}
    return ApiPage(decisions, found, pagination, result.notes)


def found_snippets(search: DecisionSearch, decisions: list[Decision]) -> dict[int, str]:
    found = search.snippets_for(decisions)
    return {pk: str(snippet) for pk, snippet in found.items()}

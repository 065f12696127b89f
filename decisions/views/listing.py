"""The list of decisions: filtered, searched and paged."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions.filters import DecisionFilter
from decisions.models import Decision
from decisions.search import has_search_terms


def decision_list(request: HttpRequest) -> HttpResponse:
    """Every decision, newest first, narrowed by the filters in the query string."""
    # Always bound: no parameters is a valid, empty filter, i.e. every decision.
    filterset = DecisionFilter(request.GET)
    valid = filterset.is_valid()
    # An invalid filter shows its error and no rows: the rows it would show without
    # that filter are not what the person asked for.
    page = paginate(filterset.qs if valid else Decision.objects.none(), request.GET.get("page"))
    query = filterset.form.cleaned_data.get("q", "") if valid else ""
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "decisions": page.object_list,
        "searching": filterset.searching,
        "query": query,
        "only_stop_words": bool(query) and not page.paginator.count and not has_search_terms(query),
        "filtered": filterset.active,
    }
    return render(request, "decisions/decision_list.html", context)


def paginate(decisions, page_number: str | None) -> Page:
    # orphans=3: a last page of one to three rows is folded into the one before it.
    paginator = Paginator(decisions, settings.DECISIONS_PER_PAGE, orphans=3)
    return paginator.get_page(page_number)

"""The list of decisions: searched, filtered, faceted, sorted and paged.

Every state is in the query string, so it can be bookmarked and shared. An invalid
parameter never gives an error page: the page (HTTP 200) says what was wrong, and either
shows no rows (an invalid filter: those rows are not what was asked for) or falls back to
the default (sort, page size, page number, which do not change which decisions match).
The page reads everything through one DecisionSearch, as every other door does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from decisions.filters import SORTS, iso_dates, page_sizes
from decisions.formatting import quoted
from decisions.search.query import DecisionSearch
from decisions.search.results import SearchResults
from decisions.search.whole_archive import WholeArchive
from decisions.views.links import (
    facet_links,
    filter_links,
    option_counts,
    relaxation_links,
    url_with,
)


def decision_list(request: HttpRequest) -> HttpResponse:
    """Every decision, newest first, narrowed by the filters in the query string."""
    search = DecisionSearch.from_params(request.GET)
    if typed := iso_dates(search.filterset.form):
        # Dates typed as 31/3/2020 are read, and the address says 2020-03-31: one form
        # for bookmarks, feeds and the API.
        return redirect(request.path + url_with(request.GET, typed))
    if (decision := search.the_one_referenced()) is not None:
        return redirect(decision.get_absolute_url())
    notes: list[str] = []
    if (named := search.about_the_name()) is not None and named.total:
        organisation = named.organisation_choice.single if named.organisation_choice else None
        notes.append(
            f"No decisions contain {quoted(search.text)}: showing the decisions about "
            f"{organisation.name if organisation else 'the organisation it names'}"
            + (f" that match {quoted(named.text)}." if named.text else ".")
        )
        search = named
    return render_search(request, search, search.filterset.data, notes)


def render_search(
    request: HttpRequest, search: DecisionSearch, params: QueryDict, notes: list[str]
) -> HttpResponse:
    found = search.results()
    page = found.page.page
    context = {
        "form": search.filterset.form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": found.page.rows,
        "decisions": [row.decision for row in found.page.rows],
        "total": found.total,
        "searching": search.searching,
        "query": search.text,
        "filtered": search.filtered,
        "sort": search.sort,
        "per_page": search.per_page,
        "notes": notes + found.notes,
        "sorts": [
            (key, label) for key, label in SORTS.items() if key != "relevance" or search.text
        ],
        "page_sizes": page_sizes(),
        "organisation_names": WholeArchive().organisation_names(),
        # The sort and page-size form resubmits every other parameter as it is.
        "kept_params": kept(params, ("sort", "per_page", "page")),
        # The search shown, which the downloads and the feed repeat: when the words named
        # only an organisation, that organisation's search (see list_page()).
        "params": params,
        **(around_the_rows(found, params) if search.valid else {}),
    }
    return render(request, "decisions/decision_list.html", context)


def around_the_rows(found: SearchResults, params: QueryDict) -> dict[str, Any]:
    """What a valid search adds around the rows, as links: facets and active filters, or
    the help for a page with no results."""
    choice = found.organisation_choice
    state: dict[str, Any] = {
        "referenced": found.referenced,
        # "Decisions about Norfolk County Council (12)": names are rarely in the text.
        "named": [
            (named, url_with(params, {"organisation": named.organisation.slug}, ["q"]))
            for named in found.named
        ],
        "filter_links": filter_links(found.active_filters, params),
        "organisation_choice": choice,
        "organisation_links": [
            (org, url_with(params, {"organisation": org.slug}))
            for org in (choice.listed if choice else ())
        ],
    }
    if found.total:
        facets = facet_links(found.facets, params)
        state["facets"] = facets
        # Each filter's counts go with its own control: the form's options, the quick
        # date ranges and amounts beside their fields; the top organisations as links.
        state["facets_by_name"] = {facet.name: facet for facet in facets}
        state["option_counts"] = option_counts(found.facets, found.counted)
        return state
    state["only_stop_words"] = found.only_stop_words
    state["relaxations"] = relaxation_links(found.relaxations, params)
    # The search with its misspelt words corrected, the filters kept.
    state["word_suggestions"] = [
        (suggestion, url_with(params, {"q": suggestion.text}))
        for suggestion in found.suggested_words
    ]
    state["suggestions"] = [
        (org, url_with(params, {"organisation": org.slug}, ["q"])) for org in found.did_you_mean
    ]
    return state


def kept(params: QueryDict, dropped: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (name, value) for name, values in params.lists() if name not in dropped for value in values
    ]

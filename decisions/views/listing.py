"""The list of decisions: searched, filtered, faceted, sorted and paged.

Every state is in the query string, so it can be bookmarked and shared. An invalid
parameter never gives an error page: the page (HTTP 200) says what was wrong, and either
shows no rows (an invalid filter: those rows are not what was asked for) or falls back to
the default (sort, page size, page number, which do not change which decisions match).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from decisions import facets
from decisions.counting import Counter, Tally
from decisions.filters import DecisionFilter, newest_first, oldest_first
from decisions.models import Decision
from decisions.search import has_search_terms
from decisions.whole_archive import WholeArchive

SORTS = {"relevance": "Most relevant", "newest": "Newest first", "oldest": "Oldest first"}
PAGE_SIZES = (20, 50, 100)


@dataclass
class ListOptions:
    """How the rows are shown: order, page size and page, with a message for each
    value that could not be used."""

    sort: str
    per_page: int
    page: str | None
    messages: list[str] = field(default_factory=list)


def page_sizes() -> tuple[int, ...]:
    return tuple(sorted({*PAGE_SIZES, settings.DECISIONS_PER_PAGE}))


def list_options(params: QueryDict, searching: bool) -> ListOptions:
    default_sort = "relevance" if searching else "newest"
    options = ListOptions(default_sort, settings.DECISIONS_PER_PAGE, params.get("page"))
    sort = params.get("sort")
    if sort in SORTS and (sort != "relevance" or searching):
        options.sort = sort
    elif sort == "relevance":
        options.messages.append("Most relevant first needs search words: showing newest first.")
    elif sort:
        options.messages.append("Sort by most relevant, newest or oldest: showing the default.")
    per_page = params.get("per_page")
    if per_page and per_page.isdigit() and int(per_page) in page_sizes():
        options.per_page = int(per_page)
    elif per_page:
        sizes = ", ".join(str(size) for size in page_sizes())
        options.messages.append(
            f"Show {sizes} decisions a page: showing {settings.DECISIONS_PER_PAGE}."
        )
    return options


def decision_list(request: HttpRequest) -> HttpResponse:
    """Every decision, newest first, narrowed by the filters in the query string."""
    whole = WholeArchive()
    if request.GET:
        return list_page(request, whole)
    # The front page, with no parameters, is the same for every visitor (nothing on it
    # depends on the user) and the most requested: rendered once per generation.
    html = whole.cached("front-page", lambda: list_page(request, whole).content)
    return HttpResponse(html)


def list_page(request: HttpRequest, whole: WholeArchive) -> HttpResponse:
    # Always bound: no parameters is a valid, empty filter, i.e. every decision.
    # Only published decisions: a withdrawn one is in no public list, search or count.
    filterset = DecisionFilter(
        request.GET, queryset=newest_first(Decision.objects.published().for_listing())
    )
    valid = filterset.is_valid()
    counter = Counter(whole.approximate_size())
    search_sample = None
    options = list_options(request.GET, filterset.searching)
    query = filterset.form.cleaned_data.get("q", "") if valid else ""
    if not valid:
        total, rows = Tally(0), Decision.objects.none()
    elif not filterset.active:
        total, rows = Tally(whole.published_count()), ordered(filterset.qs, options.sort)
    else:
        search_sample = facets.SearchSample(filterset, counter)
        total = search_sample.count()
        rows = ordered(filterset.qs, options.sort)
    shown = total
    if options.sort == "relevance" and total.value > settings.RANK_LIMIT:
        rows, shown = ranked_among_newest(rows, total, options)
    page = paginate(rows, shown, options)
    decisions = list(page.object_list)
    if query and decisions:
        snippets = Decision.objects.headlines([row.pk for row in decisions], query)
        for decision in decisions:
            decision.snippet = snippets.get(decision.pk, "")
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "decisions": decisions,
        "total": total,
        "exact_limit": f"{settings.EXACT_COUNT_LIMIT:,}",
        "searching": filterset.searching,
        "query": query,
        "filtered": filterset.active,
        "options": options,
        "sorts": [(key, label) for key, label in SORTS.items() if key != "relevance" or query],
        "page_sizes": page_sizes(),
        "organisation_names": whole.organisation_names(),
        # The sort and page-size form resubmits every other parameter as it is.
        "kept_params": kept(request.GET, ("sort", "per_page", "page")),
        **(state_of(filterset, request.GET, total, counter, whole, search_sample) if valid else {}),
    }
    return render(request, "decisions/decision_list.html", context)


def state_of(
    filterset: DecisionFilter,
    params: QueryDict,
    total: Tally,
    counter: Counter,
    whole: WholeArchive,
    search_sample: facets.SearchSample | None = None,
) -> dict:
    """What a valid filter adds around the rows: facets and active filters, or the help
    for a page with no results."""
    query = filterset.form.cleaned_data.get("q", "")
    state = {
        "active_filters": facets.active_filters(filterset, params),
        "organisation_choice": filterset.organisation_choice,
        "organisation_links": [
            (org, facets.url_with(params, {"organisation": org.slug}))
            for org in getattr(filterset.organisation_choice, "organisations", ())
        ],
    }
    if total:
        if filterset.active:
            counted = facets.facet_counts(filterset, counter, total, whole.today, search_sample)
        else:
            # The same for every visitor: counted once per change of the archive.
            counted = whole.cached(
                "facet-counts",
                lambda: facets.facet_counts(filterset, counter, total, whole.today),
            )
        found = facets.facets(filterset, params, whole.today, counted)
        state["facets"] = found
        state["facets_estimated"] = any(facet.estimated for facet in found)
        return state
    state["only_stop_words"] = bool(query) and not has_search_terms(query)
    state["relaxations"] = facets.relaxations(filterset, params, counter)
    state["suggestions"] = [
        (org, facets.url_with(params, {"organisation": org.slug}, ["q"]))
        for org in facets.did_you_mean(query)
    ]
    return state


def kept(params: QueryDict, dropped: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (name, value) for name, values in params.lists() if name not in dropped for value in values
    ]


def ordered(decisions, sort: str):
    if sort == "oldest":
        return oldest_first(decisions)
    if sort == "newest":
        return newest_first(decisions)
    return decisions  # search() already ordered them by relevance


def ranked_among_newest(
    rows: QuerySet[Decision], total: Tally, options: ListOptions
) -> tuple[QuerySet[Decision], Tally]:
    """Rows in relevance order among the newest RANK_LIMIT matches, and their count.

    Ranking reads each match's whole stored vector (kilobytes, out of line), so ranking
    every one of 30,000 matches would take seconds at a million decisions. The newest
    are ranked instead, and the page says so; newest-first reaches every match.
    """
    limit = settings.RANK_LIMIT
    matches_sql, params = rows.order_by().values("pk", "decision_date").query.sql_with_params()
    # OFFSET 0 keeps PostgreSQL from walking the date index and testing each row against
    # the search (reading its vector): with a LIMIT of 1,000 it chose that and took 800 ms
    # at 680,000 decisions. Fenced, it finds every match in the GIN index and sorts
    # their dates: a read of the matching rows, no vector.
    newest = RawSQL(
        f"SELECT pk FROM ({matches_sql} OFFSET 0) AS matches"
        " ORDER BY decision_date DESC NULLS LAST, pk DESC LIMIT %s",
        (*params, limit),
    )
    options.messages.append(
        f"Most relevant first ranks the newest {limit:,} of the {total.shown} matching "
        "decisions. Sort by newest first to see them all, or add words or filters."
    )
    return rows.filter(pk__in=newest), Tally(limit)


def paginate(decisions, total: Tally, options: ListOptions) -> Page:
    # orphans=3: a last page of one to three rows is folded into the one before it.
    paginator = Paginator(decisions, options.per_page, orphans=3)
    # Counted already, exactly or (past EXACT_COUNT_LIMIT) as an estimate: Paginator
    # would otherwise count every matching decision again. Pages stop at MAX_PAGES: page
    # N reads the N x per_page rows before it, so page 50,000 of a million would read
    # them all, for anyone who asks.
    reachable = settings.MAX_PAGES * options.per_page
    paginator.count = min(total.value, reachable)
    number = options.page
    if number and not (number.isdigit() and int(number) >= 1):
        options.messages.append(f"“{number[:20]}” is not a page number: showing page 1.")
    page = paginator.get_page(number)
    if number and number.isdigit() and int(number) > page.number and paginator.count:
        if total.value > reachable:
            options.messages.append(
                f"Pages stop at {settings.MAX_PAGES:,}: showing the last one. Sort the other "
                "way or narrow the filters to reach the rest."
            )
        else:
            options.messages.append(
                f"There are only {paginator.num_pages} pages: showing the last one."
            )
    if total and not total.exact and not page.object_list:
        # The estimate was high and this page lies past the real last one.
        options.messages.append(
            "This page is past the last decision: the number of pages is an estimate."
        )
    return page

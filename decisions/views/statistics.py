"""Statistics for any search: `/statistics/?<the list page's parameters>`, and each of
its tables as CSV (`/statistics/download.csv?...&table=NAME`).

The same DecisionSearch as the list, so a filter means the same thing on both; the
figures come from decisions.statistics, exact for any search (decisions.statistics.
selection). As on the list, a bad
parameter never gives an error page: the page says what was wrong (HTTP 200), and the
CSV answers 400 with the reason.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from decisions.exports.views import CSV_TYPE, invalid
from decisions.filters import iso_dates
from decisions.search.query import DecisionSearch
from decisions.search.whole_archive import WholeArchive
from decisions.statistics import charts, report
from decisions.statistics.downloads import table_lines
from decisions.statistics.figures import Statistics, statistics_of
from decisions.statistics.league import LeagueOrder, league, league_order
from decisions.views.links import filter_links, url_with

# The parameters of the list that mean nothing to statistics, left out of its links.
LIST_ONLY = ("page", "per_page", "sort")
TABLE_PARAMS = ("table",)


def statistics_url(params: QueryDict, changes: dict[str, str], remove: tuple[str, ...] = ()) -> str:
    return reverse("decisions:statistics") + url_with(params, changes, (*LIST_ONLY, *remove))


def tables(stats: Statistics, params: QueryDict, chosen: LeagueOrder) -> dict[str, report.Table]:
    """Every table of the page, by name (the CSV's `table=`)."""

    def category_url(changes: dict[str, str]) -> str:
        return statistics_url(params, changes, ("subcategory",))

    def sort_url(sort: str, order: str) -> str:
        return (
            statistics_url(params, {"league_sort": sort, "league_order": order}) + "#organisations"
        )

    found = [
        report.years_table(stats),
        report.outcomes_table(stats),
        report.categories_table(stats, category_url),
        report.payments_table(stats),
        report.purposes_table(stats),
        report.remedies_table(stats),
        report.league_table(league(stats, chosen), chosen, sort_url),
    ]
    return {table.name: table for table in found}


TABLE_NAMES = (
    "years",
    "outcomes",
    "categories",
    "payments",
    "purposes",
    "remedies",
    "organisations",
)


def statistics_page(request: HttpRequest) -> HttpResponse:
    if request.GET:
        return statistics_of_search(request)
    # With no parameters the page is the same for every visitor (nothing on it depends
    # on the user) and counts the whole archive: rendered once per generation.
    html = WholeArchive().cached("statistics-page", lambda: statistics_of_search(request).content)
    return HttpResponse(html)


def statistics_of_search(request: HttpRequest) -> HttpResponse:
    whole = WholeArchive()
    search = DecisionSearch.from_params(request.GET)
    if typed := iso_dates(search.filterset.form):
        return redirect(request.path + url_with(request.GET, typed))
    params = search.filterset.data
    chosen = league_order(request.GET)
    context: dict[str, object] = {
        "form": search.filterset.form,
        "form_action": reverse("decisions:statistics"),
        "form_submit": "Show statistics",
        "params": params,
        "query": search.text,
        "filtered": search.filtered,
        "organisation_names": whole.organisation_names(),
        "notes": [chosen.note] if chosen.note else [],
        "list_query": url_with(params, {}, (*LIST_ONLY, "league_sort", "league_order")),
    }
    if search.valid:
        stats = statistics_of(search)
        found = tables(stats, params, chosen)
        download = reverse("decisions:statistics_csv") + url_with(params, {}, LIST_ONLY)
        context.update(
            stats=stats,
            tables=found,
            downloads={
                name: f"{download}{'&' if download[-1] != '?' else ''}table={name}"
                for name in found
            },
            charts={
                "years": charts.decisions_by_year(stats),
                "outcomes": charts.outcomes_by_year(stats),
                "rate": charts.uphold_rate_by_year(stats),
            },
            filter_links=filter_links(search.active_filters(), params),
            league_sort=chosen,
        )
    return render(request, "decisions/statistics.html", context)


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    name = request.GET.get("table", "")
    if name not in TABLE_NAMES:
        return HttpResponse(
            f"Nothing was downloaded: table={name[:40]!r} is not a table of the statistics. "
            f"Choose one of: {', '.join(TABLE_NAMES)}.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    search = DecisionSearch.from_params(request.GET)
    if not search.valid:
        return invalid(search, "csv")
    stats = statistics_of(search)
    table = tables(stats, search.filterset.data, league_order(request.GET))[name]
    response = StreamingHttpResponse(table_lines(table), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="lgsco-statistics-{name}.csv"'
    return response

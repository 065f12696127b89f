"""Which rows a search's statistics read, and whether its figures are exact.

- Filters alone (every filter a cell can answer, decisions.statistics.tables): the
  summary cells, with the list's own filters applied to them, and for a date range by
  day its whole months from the cells and its edge days (at most two part-months) from
  the decisions. Exact, at any size.
- A search (words) with few matches, or a filter the cells do not know: the matching
  decisions themselves, by id. Exact.
- A search with many matches in a large archive: the search's own sample of matches
  (decisions.search.facets.SearchSample, the one its count was estimated from), each
  counted `scale` times. Estimated, and the page says so.

Payments are always read from the payments table: by the same filters (dates by day),
or by the ids of the decisions read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from decisions.filters import DATE_PARAMS, DecisionFilter
from decisions.models import Decision, StatisticsCell, StatisticsPayment
from decisions.search.query import DecisionSearch

# The filters that mean the same on a cell as on a decision: the cells carry the fields
# they read under the same names. The dates are answered by months plus edge days.
CELL_FILTERS = frozenset(
    {
        "organisation",
        "category",
        "subcategory",
        "outcome",
        "has_remedy",
        "amount",
        "amount_max",
        "remedy",
    }
)


@dataclass(frozen=True)
class Selection:
    """The rows to count: cells (each `decisions` decisions), single decisions, and
    payments; each decision or cell counted `scale` times (1 unless estimated)."""

    cells: QuerySet[StatisticsCell] | None
    decisions: QuerySet[Decision] | None
    payments: QuerySet[StatisticsPayment]
    exact: bool = True
    scale: float = 1.0
    # "filters", "matches" or "sample": how the rows were chosen, for the page's note.
    route: str = "filters"


def active_filters(filterset: DecisionFilter) -> set[str]:
    """The filters of a valid `filterset` that narrow the decisions."""
    cleaned = filterset.form.cleaned_data
    return {name for name in filterset.filters if cleaned.get(name)}


def with_filters(
    queryset: QuerySet, filterset: DecisionFilter, without: Iterable[str] = ()
) -> QuerySet:
    """`queryset` narrowed by the filterset's own filters (but `without`): the cells and
    payments have the decision's field names, so a filter means the same on them."""
    left_out = set(without)
    for name, value in filterset.form.cleaned_data.items():
        if name in filterset.filters and name not in left_out:
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


def select(search: DecisionSearch) -> Selection:
    """The rows the statistics of a valid `search` count."""
    filterset = search.filterset
    active = active_filters(filterset)
    if active <= CELL_FILTERS | set(DATE_PARAMS):
        return by_filters(filterset)
    if not search.searching:  # a filter the cells do not know: its decisions, exactly
        decisions = filterset.queryset_without()
        payments = StatisticsPayment.objects.filter(decision__in=decisions.values("pk"))
        return Selection(None, decisions, payments, route="matches")
    matches = search.matches
    if matches.ids is not None:
        return by_ids(matches.ids, exact=True, scale=1.0, route="matches")
    sample = search.sample()
    if matches.total.exact or sample is None:  # counted whole (a small archive)
        decisions = filterset.queryset_without()
        payments = StatisticsPayment.objects.filter(decision__in=decisions.values("pk"))
        return Selection(None, decisions, payments, route="matches")
    ids = list(sample.decisions.order_by().values_list("pk", flat=True))
    return by_ids(ids, exact=False, scale=sample.scale, route="sample")


def by_ids(ids: list[int], *, exact: bool, scale: float, route: str) -> Selection:
    return Selection(
        None,
        Decision.objects.filter(pk__in=ids),
        StatisticsPayment.objects.filter(decision_id__in=ids),
        exact,
        scale,
        route,
    )


def by_filters(filterset: DecisionFilter) -> Selection:
    """The cells of the whole months, the decisions of the edge days, the payments by day."""
    cleaned = filterset.form.cleaned_data
    first: datetime.date | None = cleaned.get("date_from")
    last: datetime.date | None = cleaned.get("date_to")
    payments = with_filters(StatisticsPayment.objects.all(), filterset)
    cells = with_filters(StatisticsCell.objects.all(), filterset, DATE_PARAMS)
    if first is None and last is None:
        return Selection(cells, None, payments)
    start = whole_months_from(first) if first else None
    end = whole_months_before(last) if last else None  # exclusive
    if start is not None and end is not None and start >= end:  # no whole month
        return Selection(None, filterset.queryset_without(), payments)
    if start is not None:
        cells = cells.filter(month__gte=start)
    if end is not None:
        cells = cells.filter(month__lt=end)
    edges = Q(pk__in=[])
    if first is not None and start is not None and first < start:
        edges |= Q(decision_date__gte=first, decision_date__lt=start)
    if last is not None and end is not None and end <= last:
        edges |= Q(decision_date__gte=end, decision_date__lte=last)
    edge_days = filterset.queryset_without().filter(edges)
    return Selection(cells, edge_days, payments)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    start = month_start(day)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else (start.replace(month=start.month + 1))
    )


def whole_months_from(first: datetime.date) -> datetime.date:
    """The first month that lies wholly on or after `first`."""
    return first if first.day == 1 else next_month(first)


def whole_months_before(last: datetime.date) -> datetime.date:
    """The first day after the last month that lies wholly on or before `last`."""
    following = last + datetime.timedelta(days=1)
    return following if following.day == 1 else month_start(last)

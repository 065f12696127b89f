"""One organisation: its decisions, how they ended, what remedies they brought, and what
people complain about it most."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db.models import Aggregate, Count, DecimalField, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from decisions.models import Decision, Organisation
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.querysets import DecisionQuerySet
from decisions.search.query import DecisionSearch
from decisions.statistics import charts, report
from decisions.statistics.comparison import compare, kind_of
from decisions.statistics.figures import statistics_of
from decisions.statistics.labels import (
    MEDIAN_PAYMENT_NOTE,
    MEDIAN_PER_DECISION,
    MEDIAN_PER_DECISION_NOTE,
)

TOP_CATEGORIES = 5


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the middle value, averaging the two middle ones.
    https://www.postgresql.org/docs/current/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE
    """

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DecimalField(max_digits=12, decimal_places=2)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    decisions = Decision.objects.published().filter(organisation=organisation)
    remedies = remedy_totals(decisions)
    # Its decisions a page at a time, newest first, as the list's search reads them.
    params = {"organisation": organisation.slug, "page": request.GET.get("page") or "1"}
    page = DecisionSearch.from_params(params).page().page
    paginator = page.paginator
    context = {
        "organisation": organisation,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2),
        "outcomes": outcome_mix(decisions),
        "remedies": remedies,
        "categories": top_categories(decisions),
        # Its own median is per decision, the comparison's per payment: named apart.
        "median_per_decision": MEDIAN_PER_DECISION,
        "median_per_decision_note": MEDIAN_PER_DECISION_NOTE,
        "median_payment_note": MEDIAN_PAYMENT_NOTE,
        **trend_and_comparison(organisation),
    }
    return render(request, "decisions/organisation_detail.html", context)


def outcome_mix(decisions: DecisionQuerySet) -> list[dict[str, object]]:
    """[{outcome, label, count, percent}], most frequent first; "" is "Not recorded"."""
    labels = dict(OUTCOME_FAMILIES) | {"": "Not recorded"}
    rows = list(decisions.order_by().values("outcome").annotate(count=Count("id")))
    total = sum(row["count"] for row in rows)
    rows.sort(key=lambda row: (-row["count"], labels.get(row["outcome"], row["outcome"])))
    return [
        {
            "outcome": row["outcome"],
            "label": labels.get(row["outcome"], row["outcome"]),
            "count": row["count"],
            "percent": round(100 * row["count"] / total) if total else 0,
        }
        for row in rows
    ]


class RemedyTotals(TypedDict):
    decisions: int
    with_payment: int
    total: Decimal
    median: Decimal | None
    largest: Decimal | None


def remedy_totals(decisions: DecisionQuerySet) -> RemedyTotals:
    """How many decisions brought a payment, and their total, median and largest amounts."""
    paid = Q(remedy_total__gt=0)
    totals = decisions.order_by().aggregate(
        decisions=Count("id"),
        with_payment=Count("id", filter=paid),
        total=Coalesce(Sum("remedy_total", filter=paid), Decimal("0")),
        median=Median("remedy_total", filter=paid),
        largest=Max("remedy_total", filter=paid),
    )
    median = totals["median"]
    return RemedyTotals(
        decisions=totals["decisions"],
        with_payment=totals["with_payment"],
        total=totals["total"],
        # percentile_cont works in double precision: back to pence.
        median=None if median is None else Decimal(median).quantize(Decimal("0.01")),
        largest=totals["largest"],
    )


def top_categories(decisions: DecisionQuerySet) -> list[dict[str, object]]:
    """The categories (the subcategory's parent) with the most decisions, most first."""
    return list(
        decisions.order_by()
        .exclude(category=None)
        .annotate(
            top_name=Coalesce("category__parent__name", "category__name"),
            top_slug=Coalesce("category__parent__slug", "category__slug"),
        )
        .values("top_name", "top_slug")
        .annotate(count=Count("id"))
        .order_by("-count", "top_name")[:TOP_CATEGORIES]
    )


def trend_and_comparison(organisation: Organisation) -> dict[str, object]:
    """Its decisions and uphold rate by year, and its figures beside the median
    organisation's and, where the name says what kind of body it is, its kind's."""
    params = {"organisation": organisation.slug}
    stats = statistics_of(DecisionSearch.from_params(params))
    kind = kind_of(organisation.name)
    return {
        "trend_charts": [charts.decisions_by_year(stats), charts.uphold_rate_by_year(stats)],
        "trend_table": report.years_table(stats),
        "comparisons": compare(organisation),
        "kind": kind,
        "statistics_query": "?organisation=" + organisation.slug,
    }

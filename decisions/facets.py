"""What the list page offers around its rows: facet counts, the active filters with their
remove links, and the help shown when nothing matches.

Every option is a link to the current URL with one parameter changed, so each state of
the page can be bookmarked, and its count is the number of decisions that link shows.
A facet counts over the decisions every *other* filter selects
(`DecisionFilter.queryset_without`), grouped in one query per facet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from decisions.filters import DecisionFilter
from decisions.models import Decision, Organisation
from decisions.outcomes import OUTCOME_FAMILIES
from decisions.search import similar_organisations
from decisions.templatetags.decisions_tags import pounds

# Parameters a facet link never keeps: the page number (a new result set starts at page 1).
ALWAYS_DROPPED = ("page",)
# Removing or changing a category makes the chosen subcategory meaningless.
ALSO_DROPPED = {"category": ("subcategory",), "date_from": (), "has_remedy": ("amount",)}
# The organisations offered as a facet: the most frequent ones in the results.
TOP_ORGANISATIONS = 10
# The remedy amounts offered as "at least £N".
AMOUNTS = (100, 500, 1000, 5000)


@dataclass(frozen=True)
class Option:
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    options: list[Option]


@dataclass(frozen=True)
class ActiveFilter:
    name: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class Relaxation:
    """A filter to drop when nothing matches, and how many decisions that would show."""

    active: ActiveFilter
    count: int


def url_with(
    params: QueryDict, changes: dict[str, str] | None = None, remove: Iterable[str] = ()
) -> str:
    """The query string `params` with `changes` set and `remove` (and the page) dropped."""
    query = params.copy()
    for name in (*remove, *ALWAYS_DROPPED):
        query.pop(name, None)
    for name, value in (changes or {}).items():
        query[name] = value
    return "?" + query.urlencode() if query else "?"


def years_ago(today: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 28 February for a 29 February."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def quick_ranges(today: datetime.date) -> list[tuple[str, datetime.date]]:
    return [
        ("Last 12 months", years_ago(today, 1)),
        ("Last 3 years", years_ago(today, 3)),
        ("Last 5 years", years_ago(today, 5)),
    ]


def facets(
    filterset: DecisionFilter, params: QueryDict, today: datetime.date | None = None
) -> list[Facet]:
    """Every facet of a valid `filterset`, one GROUP BY (or aggregate) query each."""
    today = today or datetime.date.today()
    chosen = filterset.form.cleaned_data
    found = [
        organisation_facet(filterset, params),
        category_facet(filterset, params),
    ]
    if chosen.get("category"):
        found.append(subcategory_facet(filterset, params))
    found += [
        outcome_facet(filterset, params),
        date_facet(filterset, params, today),
        remedy_facet(filterset, params),
    ]
    return [facet for facet in found if facet.options]


def grouped(queryset: QuerySet[Decision], *fields: str) -> list[dict]:
    return list(queryset.values(*fields).annotate(count=Count("pk")))


def organisation_facet(filterset: DecisionFilter, params: QueryDict) -> Facet:
    rows = grouped(
        filterset.queryset_without("organisation").filter(organisation__isnull=False),
        "organisation__slug",
        "organisation__name",
    )
    rows.sort(key=lambda row: (-row["count"], row["organisation__name"]))
    choice = filterset.form.cleaned_data.get("organisation")
    selected = {org.slug for org in choice.organisations} if choice else set()
    options = [
        Option(
            row["organisation__name"],
            row["count"],
            url_with(params, {"organisation": row["organisation__slug"]}),
            row["organisation__slug"] in selected,
        )
        for row in rows[:TOP_ORGANISATIONS]
    ]
    return Facet("organisation", "Organisation", options)


def category_facet(filterset: DecisionFilter, params: QueryDict) -> Facet:
    rows = grouped(
        filterset.queryset_without("category", "subcategory").filter(
            category__parent__isnull=False
        ),
        "category__parent__slug",
        "category__parent__name",
    )
    chosen = filterset.form.cleaned_data.get("category")
    options = [
        Option(
            row["category__parent__name"],
            row["count"],
            url_with(params, {"category": row["category__parent__slug"]}, ["subcategory"]),
            chosen is not None and chosen.slug == row["category__parent__slug"],
        )
        for row in sorted(rows, key=lambda row: row["category__parent__name"])
    ]
    return Facet("category", "Category", options)


def subcategory_facet(filterset: DecisionFilter, params: QueryDict) -> Facet:
    rows = grouped(
        filterset.queryset_without("subcategory").filter(category__parent__isnull=False),
        "category__slug",
        "category__name",
    )
    chosen = filterset.form.cleaned_data.get("subcategory")
    options = [
        Option(
            row["category__name"],
            row["count"],
            url_with(params, {"subcategory": row["category__slug"]}),
            chosen == row["category__slug"],
        )
        for row in sorted(rows, key=lambda row: row["category__name"])
    ]
    return Facet("subcategory", "Subcategory", options)


def outcome_facet(filterset: DecisionFilter, params: QueryDict) -> Facet:
    counts = {
        row["outcome"]: row["count"]
        for row in grouped(filterset.queryset_without("outcome").exclude(outcome=""), "outcome")
    }
    chosen = filterset.form.cleaned_data.get("outcome")
    options = [
        Option(label, counts[key], url_with(params, {"outcome": key}), chosen == key)
        for key, label in OUTCOME_FAMILIES
        if key in counts
    ]
    return Facet("outcome", "Outcome", options)


def date_facet(filterset: DecisionFilter, params: QueryDict, today: datetime.date) -> Facet:
    ranges = quick_ranges(today)
    counts = filterset.queryset_without("date_from", "date_to").aggregate(
        **{
            f"range_{index}": Count("pk", filter=Q(decision_date__gte=start))
            for index, (_, start) in enumerate(ranges)
        }
    )
    chosen = filterset.form.cleaned_data
    options = [
        Option(
            label,
            counts[f"range_{index}"],
            url_with(params, {"date_from": start.isoformat()}, ["date_to"]),
            chosen.get("date_from") == start and not chosen.get("date_to"),
        )
        for index, (label, start) in enumerate(ranges)
        if counts[f"range_{index}"]
    ]
    return Facet("date", "Decision date", options)


def remedy_facet(filterset: DecisionFilter, params: QueryDict) -> Facet:
    counts = filterset.queryset_without("has_remedy", "amount").aggregate(
        any=Count("pk", filter=Q(remedy_total__gt=0)),
        **{
            f"at_least_{amount}": Count("pk", filter=Q(remedy_total__gte=amount))
            for amount in AMOUNTS
        },
    )
    chosen = filterset.form.cleaned_data
    options = []
    if counts["any"]:
        options.append(
            Option(
                "Any financial remedy",
                counts["any"],
                url_with(params, {"has_remedy": "on"}, ["amount"]),
                bool(chosen.get("has_remedy")) and not chosen.get("amount"),
            )
        )
    for amount in AMOUNTS:
        if counts[f"at_least_{amount}"]:
            options.append(
                Option(
                    f"{pounds(amount)} or more",
                    counts[f"at_least_{amount}"],
                    url_with(params, {"amount": str(amount)}, ["has_remedy"]),
                    chosen.get("amount") == Decimal(amount),
                )
            )
    return Facet("remedy", "Remedy", options)


# --- the active filters ------------------------------------------------------------------


def active_filters(filterset: DecisionFilter, params: QueryDict) -> list[ActiveFilter]:
    """Each filter in use, in plain words, with a link to the same page without it."""
    chosen = filterset.form.cleaned_data
    found = []
    for name, field in filterset.form.fields.items():
        value = chosen.get(name)
        if value in (None, "", False):
            continue
        remove = [name, *ALSO_DROPPED.get(name, ())]
        label = choice_label(field, value) if name == "subcategory" else describe(name, value)
        found.append(ActiveFilter(name, str(field.label), label, url_with(params, remove=remove)))
    return found


def choice_label(field: object, value: str) -> str:
    """The label of `value` among a choice field's choices, grouped or not."""
    for key, label in field.choices:
        if isinstance(label, list | tuple):
            for sub_key, sub_label in label:
                if sub_key == value:
                    return str(sub_label)
        elif key == value:
            return str(label)
    return value


def describe(name: str, value: object) -> str:
    """A filter's cleaned value as a person reads it."""
    if name == "q":
        return f"“{value}”"
    if name == "organisation":
        if value.single:
            return value.single.name
        return f"any of {len(value.organisations)} matching “{value.typed}”"
    if name == "outcome":
        return dict(OUTCOME_FAMILIES).get(value, value)
    if name in ("date_from", "date_to"):
        return f"{value:%-d %B %Y}"
    if name == "has_remedy":
        return "Yes"
    if name == "amount":
        return pounds(value)
    return str(value)


# --- when nothing matches ----------------------------------------------------------------


def relaxations(filterset: DecisionFilter, params: QueryDict) -> list[Relaxation]:
    """For a search with no results: each active filter with how many decisions there would
    be without it, most first. One count per active filter, only on an empty page."""
    found = []
    for active in active_filters(filterset, params):
        dropped = [active.name, *ALSO_DROPPED.get(active.name, ())]
        count = filterset.queryset_without(*dropped).count()
        if count:
            found.append(Relaxation(active, count))
    return sorted(found, key=lambda relaxation: -relaxation.count)


def did_you_mean(text: str) -> list[Organisation]:
    """Organisations with a name close to `text`: for a search of a misspelt council."""
    return similar_organisations(text) if text else []

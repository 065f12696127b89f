"""What the list page offers around its rows: facet counts, the active filters with their
remove links, and the help shown when nothing matches.

Every option is a link to the current URL with one parameter changed, so each state of
the page can be bookmarked, and its count is the number of decisions that link shows.
A facet counts over the decisions every *other* filter selects
(`DecisionFilter.queryset_without`), grouped in one query per facet. Counting and
building are apart: the counts of the unfiltered page are the same for everyone and
cached (decisions.whole_archive); the links are built for each request. Counts over
more than settings.EXACT_COUNT_LIMIT decisions are estimated (decisions.counting).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from decisions.counting import Counter, Tally, sampled
from decisions.filters import DecisionFilter
from decisions.models import Decision, Organisation
from decisions.parsing.outcomes import OUTCOME_FAMILIES
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
    exact: bool = True

    @property
    def shown(self) -> str:
        return Tally(self.count, self.exact).shown


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    options: list[Option]

    @property
    def estimated(self) -> bool:
        return not all(option.exact for option in self.options)


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
    count: Tally


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


# --- counting: one query per facet, over the decisions every *other* filter selects ---

# Each facet's own filters: its counts leave them out.
OWN_FILTERS = {
    "organisation": ("organisation",),
    "category": ("category", "subcategory"),
    "subcategory": ("subcategory",),
    "outcome": ("outcome",),
    "date": ("date_from", "date_to"),
    "remedy": ("has_remedy", "amount"),
}
ALL_FACET_FILTERS = tuple(dict.fromkeys(name for names in OWN_FILTERS.values() for name in names))


@dataclass(frozen=True)
class Counted:
    """One facet's raw counts: rows of a GROUP BY, or named aggregates."""

    rows: list[dict] | dict[str, int]
    exact: bool


class SearchSample:
    """The search words' matches within the counting sample, looked up once per page.

    At a million decisions the search is the costly part of every count: a GIN look-up
    of each word (20-25 ms) and, for a phrase, a re-check of each candidate's stored
    vector. Every facet keeps the search, so the sample's matches are found once and
    each sampled count then reads them by id, with only the other filters applied.
    """

    def __init__(self, filterset: DecisionFilter, counter: Counter) -> None:
        self.filterset = filterset
        self.counter = counter
        self.searching = bool(filterset.form.cleaned_data.get("q"))
        self._ids: list[int] | None = None
        # The page's own results by id, when count() found few.
        self.result_ids: list[int] | None = None

    def count(self) -> Tally:
        """The page's total, keeping a search's results by id when they are few."""
        total, self.result_ids = self.counter.count_ids(
            self.filterset.qs, self.base(), keep_ids=self.searching
        )
        return total

    def base(self, *without: str) -> QuerySet[Decision] | None:
        """The sampled decisions every filter but `without` selects, by id; None when
        there is no search to save (or the sample is the whole archive)."""
        if not self.searching or self.counter.whole:
            return None
        if self._ids is None:
            matches = self.filterset.queryset_without(*ALL_FACET_FILTERS)
            found = sampled(matches, self.counter.cut_off).values_list("pk", flat=True)
            self._ids = list(found)
        return self.filterset.queryset_without(*without, "q").filter(pk__in=self._ids)


def facet_counts(
    filterset: DecisionFilter,
    counter: Counter,
    total: Tally,
    today: datetime.date,
    search_sample: SearchSample | None = None,
) -> dict[str, Counted]:
    """Every facet's counts for a valid `filterset` whose rows number `total`.

    A facet none of whose own filters is in use counts exactly the page's decisions, so
    `total` says whether that is few enough to count whole; a facet whose own filter is
    in use counts more than the page shows, which `counter` finds out as it goes.
    """
    chosen = filterset.form.cleaned_data
    search_sample = search_sample or SearchSample(filterset, counter)
    # A search with few enough results: found once (by the count, usually), and each
    # facet counted over them by id.
    page_ids = search_sample.result_ids
    if page_ids is None and search_sample.searching and total.value <= counter.limit:
        page_ids = list(filterset.qs.order_by().values_list("pk", flat=True))

    def count(name: str, refine, how, *args) -> Counted:
        own = OWN_FILTERS[name]
        if not any(chosen.get(field) for field in own):
            small = total.exact  # the very decisions the page counts
            if page_ids is not None:
                exact = refine(Decision.objects.filter(pk__in=page_ids))
                return Counted(*how(exact, *args, True))
        else:
            small = None if total.exact else False  # more than the page: how many?
        sample_base = search_sample.base(*own)
        return Counted(
            *how(
                refine(filterset.queryset_without(*own)),
                *args,
                small,
                None if sample_base is None else refine(sample_base),
            )
        )

    found: dict[str, Counted] = {}
    found["organisation"] = count(
        "organisation",
        lambda queryset: queryset.filter(organisation__isnull=False),
        counter.grouped,
        ("organisation__slug", "organisation__name"),
    )
    found["category"] = count(
        "category",
        lambda queryset: queryset.filter(category__parent__isnull=False),
        counter.grouped,
        ("category__parent__slug", "category__parent__name"),
    )
    if chosen.get("category"):
        found["subcategory"] = count(
            "subcategory",
            lambda queryset: queryset.filter(category__parent__isnull=False),
            counter.grouped,
            ("category__slug", "category__name"),
        )
    found["outcome"] = count(
        "outcome", lambda queryset: queryset.exclude(outcome=""), counter.grouped, ("outcome",)
    )
    date_counts = {
        f"range_{index}": Count("pk", filter=Q(decision_date__gte=start))
        for index, (_, start) in enumerate(quick_ranges(today))
    }
    found["date"] = count("date", lambda queryset: queryset, counter.aggregate, date_counts)
    remedy_counts = {
        "any": Count("pk", filter=Q(remedy_total__gt=0)),
        **{
            f"at_least_{amount}": Count("pk", filter=Q(remedy_total__gte=amount))
            for amount in AMOUNTS
        },
    }
    found["remedy"] = count("remedy", lambda queryset: queryset, counter.aggregate, remedy_counts)
    return found


# --- building: the counts as links, for this request's query string --------------------


def facets(
    filterset: DecisionFilter,
    params: QueryDict,
    today: datetime.date | None = None,
    counted: dict[str, Counted] | None = None,
) -> list[Facet]:
    """Every facet of a valid `filterset` from its counts (counted now if not given), in
    the order shown."""
    today = today or datetime.date.today()
    if counted is None:
        counter = Counter(Decision.objects.published().count())
        counted = facet_counts(filterset, counter, counter.count(filterset.qs), today)
    found = [
        organisation_facet(filterset, params, counted["organisation"]),
        category_facet(filterset, params, counted["category"]),
    ]
    if "subcategory" in counted:
        found.append(subcategory_facet(filterset, params, counted["subcategory"]))
    found += [
        outcome_facet(filterset, params, counted["outcome"]),
        date_facet(filterset, params, counted["date"], today),
        remedy_facet(filterset, params, counted["remedy"]),
    ]
    return [facet for facet in found if facet.options]


def organisation_facet(filterset: DecisionFilter, params: QueryDict, counted: Counted) -> Facet:
    rows = sorted(counted.rows, key=lambda row: (-row["count"], row["organisation__name"]))
    choice = filterset.form.cleaned_data.get("organisation")
    selected = {org.slug for org in choice.organisations} if choice else set()
    options = [
        Option(
            row["organisation__name"],
            row["count"],
            url_with(params, {"organisation": row["organisation__slug"]}),
            row["organisation__slug"] in selected,
            counted.exact,
        )
        for row in rows[:TOP_ORGANISATIONS]
    ]
    return Facet("organisation", "Organisation", options)


def category_facet(filterset: DecisionFilter, params: QueryDict, counted: Counted) -> Facet:
    chosen = filterset.form.cleaned_data.get("category")
    options = [
        Option(
            row["category__parent__name"],
            row["count"],
            url_with(params, {"category": row["category__parent__slug"]}, ["subcategory"]),
            chosen is not None and chosen.slug == row["category__parent__slug"],
            counted.exact,
        )
        for row in sorted(counted.rows, key=lambda row: row["category__parent__name"])
    ]
    return Facet("category", "Category", options)


def subcategory_facet(filterset: DecisionFilter, params: QueryDict, counted: Counted) -> Facet:
    chosen = filterset.form.cleaned_data.get("subcategory")
    options = [
        Option(
            row["category__name"],
            row["count"],
            url_with(params, {"subcategory": row["category__slug"]}),
            chosen == row["category__slug"],
            counted.exact,
        )
        for row in sorted(counted.rows, key=lambda row: row["category__name"])
    ]
    return Facet("subcategory", "Subcategory", options)


def outcome_facet(filterset: DecisionFilter, params: QueryDict, counted: Counted) -> Facet:
    counts = {row["outcome"]: row["count"] for row in counted.rows}
    chosen = filterset.form.cleaned_data.get("outcome")
    options = [
        Option(label, counts[key], url_with(params, {"outcome": key}), chosen == key, counted.exact)
        for key, label in OUTCOME_FAMILIES
        if counts.get(key)
    ]
    return Facet("outcome", "Outcome", options)


def date_facet(
    filterset: DecisionFilter, params: QueryDict, counted: Counted, today: datetime.date
) -> Facet:
    counts = counted.rows
    chosen = filterset.form.cleaned_data
    options = [
        Option(
            label,
            counts[f"range_{index}"],
            url_with(params, {"date_from": start.isoformat()}, ["date_to"]),
            chosen.get("date_from") == start and not chosen.get("date_to"),
            counted.exact,
        )
        for index, (label, start) in enumerate(quick_ranges(today))
        if counts[f"range_{index}"]
    ]
    return Facet("date", "Decision date", options)


def remedy_facet(filterset: DecisionFilter, params: QueryDict, counted: Counted) -> Facet:
    counts = counted.rows
    chosen = filterset.form.cleaned_data
    options = []
    if counts["any"]:
        options.append(
            Option(
                "Any financial remedy",
                counts["any"],
                url_with(params, {"has_remedy": "on"}, ["amount"]),
                bool(chosen.get("has_remedy")) and not chosen.get("amount"),
                counted.exact,
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
                    counted.exact,
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


def relaxations(filterset: DecisionFilter, params: QueryDict, counter: Counter) -> list[Relaxation]:
    """For a search with no results: each active filter with how many decisions there would
    be without it, most first. One count per active filter, only on an empty page."""
    found = []
    for active in active_filters(filterset, params):
        dropped = [active.name, *ALSO_DROPPED.get(active.name, ())]
        count = counter.count(filterset.queryset_without(*dropped))
        if count:
            found.append(Relaxation(active, count))
    return sorted(found, key=lambda relaxation: -relaxation.count.value)


def did_you_mean(text: str) -> list[Organisation]:
    """Organisations with a name close to `text`: for a search of a misspelt council."""
    return similar_organisations(text) if text else []

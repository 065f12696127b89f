"""The facets of a search: for each, its options and how many decisions each would show.

Facets are declared as data (FACETS): a name and title, the filters each leaves out,
and how its options are grouped and labelled. One loop counts them all. A facet counts
over the decisions every *other* filter selects (`DecisionFilter.queryset_without`),
so each option's count is the number of decisions its link shows. The facets that keep
every filter count the same decisions and are counted together in one query
(count_together); a facet whose own filter is in use has a query of its own. Options name the parameters they set and drop; the page turns them into links
(decisions.views.links), the API into values. Counts over more than
settings.EXACT_COUNT_LIMIT decisions are estimated (decisions.search.counting).
"""

from __future__ import annotations

import datetime
from collections import Counter as CountOf
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from decisions.filters import REMEDY_CONDITIONS, REMEDY_KINDS, DecisionFilter
from decisions.formatting import pounds
from decisions.models import Decision
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.search.counting import (
    Counted,
    Counter,
    Matches,
    Sample,
    Tally,
    bucket_of,
    sampled,
)

# The organisations offered as a facet: the most frequent ones in the results.
TOP_ORGANISATIONS = 10
# The remedy amounts offered as "at least £N".
AMOUNTS = (100, 500, 1000, 5000)


@dataclass(frozen=True)
class Option:
    """One choice of a facet: what it sets and drops, and how many decisions it shows."""

    label: str
    count: int
    changes: dict[str, str]
    drops: tuple[str, ...] = ()
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


# --- the facets, declared ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupedFacet:
    """Options from a GROUP BY: one per value of `value_field` among the decisions."""

    name: str
    title: str
    leaves_out: tuple[str, ...]
    value_field: str
    label_field: str
    param: str  # the parameter an option sets
    drops: tuple[str, ...] = ()  # and those it removes
    present: Q = field(default_factory=Q)  # only decisions with a value to group by
    by_count: bool = False  # most frequent first (else by label)
    top: int | None = None
    labels: tuple[tuple[str, str], ...] | None = None  # fixed labels, in their order
    needs: str | None = None  # offered only when this filter is chosen

    def offered(self, chosen: Mapping[str, Any]) -> bool:
        return self.needs is None or bool(chosen.get(self.needs))

    def count(
        self, counter: Counter, decisions: QuerySet, size: Tally | None, sample: Sample | None
    ) -> Counted:
        fields = tuple(dict.fromkeys((self.value_field, self.label_field)))

        def refine(queryset: QuerySet) -> QuerySet:
            return queryset.filter(self.present)

        return counter.grouped(
            refine(decisions), fields, size, sample.refined(refine) if sample else None
        )

    def options(
        self, counted: Counted, chosen: Mapping[str, Any], today: datetime.date
    ) -> list[Option]:
        selected = chosen_values(chosen.get(self.param))
        counts = {row[self.value_field]: row["count"] for row in counted.rows}
        if self.labels is not None:
            pairs = [(value, label) for value, label in self.labels if counts.get(value)]
        else:
            names = {row[self.value_field]: row[self.label_field] for row in counted.rows}
            pairs = sorted(names.items(), key=lambda pair: pair[1])
            if self.by_count:
                pairs.sort(key=lambda pair: -counts[pair[0]])
        return [
            Option(
                label,
                counts[value],
                {self.param: value},
                self.drops,
                value in selected,
                counted.exact,
            )
            for value, label in pairs[: self.top]
        ]


@dataclass(frozen=True)
class Choice:
    """One option of a ChoiceFacet: the decisions `condition` selects."""

    label: str
    condition: Q
    changes: dict[str, str]
    drops: tuple[str, ...]
    selected: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class ChoiceFacet:
    """Options that are conditions (a date range, an amount), counted in one aggregate."""

    name: str
    title: str
    leaves_out: tuple[str, ...]
    choices: Callable[[datetime.date], list[Choice]]

    def offered(self, chosen: Mapping[str, Any]) -> bool:
        return True

    def count(
        self,
        counter: Counter,
        decisions: QuerySet,
        size: Tally | None,
        sample: Sample | None,
        today: datetime.date,
    ) -> Counted:
        counts = {
            f"choice_{index}": Count("pk", filter=choice.condition)
            for index, choice in enumerate(self.choices(today))
        }
        return counter.aggregate(decisions, counts, size, sample)

    def options(
        self, counted: Counted, chosen: Mapping[str, Any], today: datetime.date
    ) -> list[Option]:
        return [
            Option(
                choice.label,
                counted.rows[f"choice_{index}"],
                choice.changes,
                choice.drops,
                choice.selected(chosen),
                counted.exact,
            )
            for index, choice in enumerate(self.choices(today))
            if counted.rows[f"choice_{index}"]
        ]


def years_ago(today: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 28 February for a 29 February."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def date_choices(today: datetime.date) -> list[Choice]:
    def since(start: datetime.date) -> Callable[[Mapping[str, Any]], bool]:
        return lambda chosen: chosen.get("date_from") == start and not chosen.get("date_to")

    return [
        Choice(
            label,
            Q(decision_date__gte=start),
            {"date_from": start.isoformat()},
            ("date_to",),
            since(start),
        )
        for label, start in (
            ("Last 12 months", years_ago(today, 1)),
            ("Last 3 years", years_ago(today, 3)),
            ("Last 5 years", years_ago(today, 5)),
        )
    ]


def remedy_choices(today: datetime.date) -> list[Choice]:
    def at_least(amount: int) -> Callable[[Mapping[str, Any]], bool]:
        return lambda chosen: chosen.get("amount") == Decimal(amount)

    return [
        Choice(
            "Any financial remedy",
            Q(remedy_total__gt=0),
            {"has_remedy": "on"},
            ("amount",),
            lambda chosen: bool(chosen.get("has_remedy")) and not chosen.get("amount"),
        ),
        *(
            Choice(
                f"{pounds(amount)} or more",
                Q(remedy_total__gte=amount),
                {"amount": str(amount)},
                ("has_remedy",),
                at_least(amount),
            )
            for amount in AMOUNTS
        ),
    ]


def remedy_kind_choices(today: datetime.date) -> list[Choice]:
    def chosen_as(key: str) -> Callable[[Mapping[str, Any]], bool]:
        return lambda chosen: chosen.get("remedy") == key

    return [
        Choice(label, REMEDY_CONDITIONS[key], {"remedy": key}, (), chosen_as(key))
        for key, label in REMEDY_KINDS
    ]


FACETS: tuple[GroupedFacet | ChoiceFacet, ...] = (
    GroupedFacet(
        "organisation",
        "Organisation",
        leaves_out=("organisation",),
        value_field="organisation__slug",
        label_field="organisation__name",
        param="organisation",
        present=Q(organisation__isnull=False),
        by_count=True,
        top=TOP_ORGANISATIONS,
    ),
    GroupedFacet(
        "category",
        "Category",
        leaves_out=("category", "subcategory"),
        value_field="category__parent__slug",
        label_field="category__parent__name",
        param="category",
        drops=("subcategory",),
        present=Q(category__parent__isnull=False),
    ),
    GroupedFacet(
        "subcategory",
        "Subcategory",
        leaves_out=("subcategory",),
        value_field="category__slug",
        label_field="category__name",
        param="subcategory",
        present=Q(category__parent__isnull=False),
        needs="category",
    ),
    GroupedFacet(
        "outcome",
        "Outcome",
        leaves_out=("outcome",),
        value_field="outcome",
        label_field="outcome",
        param="outcome",
        present=~Q(outcome=""),
        labels=tuple(OUTCOME_FAMILIES),
    ),
    ChoiceFacet("date", "Decision date", ("date_from", "date_to"), date_choices),
    ChoiceFacet("remedy", "Remedy", ("has_remedy", "amount"), remedy_choices),
    ChoiceFacet("remedy_kind", "Remedy agreed", ("remedy",), remedy_kind_choices),
)
FACET_FILTERS = tuple(dict.fromkeys(name for facet in FACETS for name in facet.leaves_out))


def chosen_values(value: object) -> set[str]:
    """The parameter values a filter's cleaned value stands for: the slugs of the chosen
    organisations or category, or the value itself."""
    if value in (None, ""):
        return set()
    organisations = getattr(value, "organisations", None)
    if organisations is not None:
        return {organisation.slug for organisation in organisations}
    slug = getattr(value, "slug", None)
    return {slug} if slug is not None else {str(value)}


# --- counting: one query per facet, over the decisions every *other* filter selects ---


class SearchSample:
    """The search's matches within the counting sample, looked up once per search.

    At a million decisions the search is the costly part of every count: a GIN look-up
    of each word and a re-check of each candidate's stored vector, read out of line.
    Every facet keeps the search, so the sample's matches are found once and each
    sampled count then reads them by id, with only the other filters applied.

    The sample adapts to how common the words are: its buckets are read in order until
    settings.COUNT_SAMPLE_MATCHES matches are found (or the whole sample is read). A
    search matching 90% of the archive stops after about that many decisions; a rare one
    reads its few matches in the whole sample. Either way an estimate rests on about as
    many matches, so its error is about 1/sqrt(COUNT_SAMPLE_MATCHES) (3% for 1,000).
    """

    def __init__(self, filterset: DecisionFilter, counter: Counter) -> None:
        self.filterset = filterset
        self.counter = counter
        self.searching = bool(filterset.form.cleaned_data.get("q"))
        chosen = filterset.form.cleaned_data
        self.narrowed = any(chosen.get(name) for name in FACET_FILTERS)
        self._found: tuple[list[int], int] | None = None
        self._own: tuple[list[int], int] | None = None

    def matches(self) -> tuple[list[int], int]:
        """(the ids of the sampled matches, the cut-off of the buckets they fill)."""
        if self._found is None:
            self._found = self.adaptive(self.filterset.queryset_without(*FACET_FILTERS))
        return self._found

    def adaptive(self, queryset: QuerySet) -> tuple[list[int], int]:
        """The sampled decisions of `queryset`, bucket by bucket until there are
        COUNT_SAMPLE_MATCHES: (their ids, the cut-off of the buckets they fill)."""
        wanted = settings.COUNT_SAMPLE_MATCHES
        matches = sampled(queryset, self.counter.cut_off)
        # In bucket order: the sample index can give it, or the planner sorts the
        # few matches of a rare search.
        in_order = matches.annotate(bucket=bucket_of("id")).order_by("bucket")
        rows = list(in_order.values_list("pk", "bucket")[:wanted])
        if len(rows) < wanted:  # every match in the sample: the full cut-off
            return [pk for pk, _ in rows], self.counter.cut_off
        # The last bucket read may be partial: keep the buckets before it, or the whole
        # first bucket when the matches filled it.
        last = rows[-1][1]
        if last == 0:
            return list(matches.filter(sample_bucket=0).values_list("pk", flat=True)), 1
        return [pk for pk, bucket in rows if bucket < last], last

    def own(self) -> Sample | None:
        """The sample of the decisions every filter selects: what the total and the
        facets that keep every filter are estimated from. For filters alone, adapted to
        how many decisions they select (see adaptive), so a broad filter's facets read
        about COUNT_SAMPLE_MATCHES decisions, not the whole sample (8,800 of 20,000 for
        the most common outcome). None when the sample is the whole archive, or nothing
        is filtered (the whole archive's figures are counted apart)."""
        if self.counter.whole or not (self.searching or self.narrowed):
            return None
        if self.searching:
            # The search's sampled matches, found once, with the other filters applied:
            # sampling the whole filtered search again would re-check each sampled
            # decision's vector against it (200 ms for a search and two filters).
            return self.base()
        if self._own is None:
            self._own = self.adaptive(self.filterset.queryset_without())
        ids, cut_off = self._own
        return Sample(Decision.objects.filter(pk__in=ids), cut_off, len(ids))

    def base(self, *without: str) -> Sample | None:
        """The sampled decisions every filter but `without` selects, by id; None when
        there is no search to save (or the sample is the whole archive)."""
        if not self.searching or self.counter.whole:
            return None
        ids, cut_off = self.matches()
        decisions = self.filterset.queryset_without(*without, "q").filter(pk__in=ids)
        # The ids are the sampled matches of every filter but the facets': with no
        # facet's filter applied on top, they are the sample, and its count is theirs.
        chosen = self.filterset.form.cleaned_data
        narrowed = any(chosen.get(name) for name in FACET_FILTERS if name not in without)
        return Sample(decisions, cut_off, None if narrowed else len(ids))


def count_facets(
    filterset: DecisionFilter,
    counter: Counter,
    matches: Matches,
    today: datetime.date,
    sample: SearchSample,
) -> dict[str, Counted]:
    """Every offered facet's counts for a valid `filterset` whose decisions are `matches`.

    A facet none of whose own filters is in use counts exactly the search's decisions,
    so their total says whether to count them whole (and their ids, when kept, are the
    cheapest way to them); a facet whose own filter is in use counts more than the
    search selects, which `counter` finds out as it goes.

    The facets that count the search's own decisions all count the same rows, which
    are few (the sample adapted to them, or a set counted exactly): they are read once
    and counted together (count_together), one query instead of one a facet.
    """
    chosen = filterset.form.cleaned_data
    found: dict[str, Counted] = {}
    shared: list[GroupedFacet | ChoiceFacet] = []
    for facet in FACETS:
        if not facet.offered(chosen):
            continue
        own_in_use = any(chosen.get(name) for name in facet.leaves_out)
        if not own_in_use:
            shared.append(facet)
            continue
        own = filterset.queryset_without(*facet.leaves_out)
        # More than the search's own decisions: past the limit if they were.
        size = None if matches.total.exact else matches.total
        found[facet.name] = count_one(
            facet, counter, own, size, sample.base(*facet.leaves_out), today
        )
    if not shared:
        return found
    size = matches.total
    if matches.ids is not None:
        decisions: QuerySet = Decision.objects.filter(pk__in=matches.ids)
    else:
        decisions = filterset.queryset_without()
    if counter.whole or size.exact:
        return found | count_together(shared, decisions, 1.0, True, today)
    within = sample.own()
    if within is None:  # nothing filtered: the whole archive's counts, each in PostgreSQL
        for facet in shared:
            found[facet.name] = count_one(facet, counter, decisions, size, None, today)
        return found
    return found | count_together(shared, within.decisions, within.scale, False, today)


def count_one(
    facet: GroupedFacet | ChoiceFacet,
    counter: Counter,
    decisions: QuerySet,
    size: Tally | None,
    sample: Sample | None,
    today: datetime.date,
) -> Counted:
    if isinstance(facet, ChoiceFacet):
        return facet.count(counter, decisions, size, sample, today)
    return facet.count(counter, decisions, size, sample)


def count_together(
    facets: list[GroupedFacet | ChoiceFacet],
    decisions: QuerySet,
    scale: float,
    exact: bool,
    today: datetime.date,
) -> dict[str, Counted]:
    """`facets` counted over the same few `decisions`, read in one query: each row's
    grouped values, and whether each condition (a facet's `present`, a choice) holds.
    Counts are scaled by `scale` (a sample's); the rows are what each facet's own query
    would have given."""
    columns: list[str] = []
    flags: dict[str, Any] = {}
    for index, facet in enumerate(facets):
        if isinstance(facet, GroupedFacet):
            columns += [facet.value_field, facet.label_field]
            # An empty Q selects every decision: no flag to read.
            if facet.present:
                flags[f"present_{index}"] = ExpressionWrapper(facet.present, BooleanField())
        else:
            for choice_index, choice in enumerate(facet.choices(today)):
                condition = ExpressionWrapper(choice.condition, BooleanField())
                flags[f"choice_{index}_{choice_index}"] = condition
    columns = list(dict.fromkeys(columns))
    names = [*columns, *flags]
    # Tuples, counted with C-level helpers: a thousand rows of a dozen values each are
    # counted in about a millisecond (a loop over dicts took several).
    rows = list(decisions.order_by().annotate(**flags).values_list(*names))
    position = {name: number for number, name in enumerate(names)}

    def scaled(count: int) -> int:
        return round(count * scale)

    def holding(name: str) -> list[tuple]:
        return list(filter(itemgetter(position[name]), rows))

    found: dict[str, Counted] = {}
    for index, facet in enumerate(facets):
        if isinstance(facet, GroupedFacet):
            fields = tuple(dict.fromkeys((facet.value_field, facet.label_field)))
            present = f"present_{index}"
            kept = holding(present) if present in position else rows
            groups = CountOf(map(itemgetter(*(position[name] for name in fields)), kept))
            found[facet.name] = Counted(
                [
                    {
                        **dict(zip(fields, values if len(fields) > 1 else (values,), strict=True)),
                        "count": scaled(count),
                    }
                    for values, count in groups.items()
                ],
                exact,
            )
        else:
            count = len(facet.choices(today))
            found[facet.name] = Counted(
                {f"choice_{n}": scaled(len(holding(f"choice_{index}_{n}"))) for n in range(count)},
                exact,
            )
    return found


def build_facets(
    counted: Mapping[str, Counted], chosen: Mapping[str, Any], today: datetime.date
) -> list[Facet]:
    """The facets with options, in the order shown, from their counts."""
    found = [
        Facet(facet.name, facet.title, facet.options(counted[facet.name], chosen, today))
        for facet in FACETS
        if facet.name in counted
    ]
    return [facet for facet in found if facet.options]

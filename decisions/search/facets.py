"""The facets of a search: for each, its options and how many decisions each would show.

Facets are declared as data (FACETS): a name and title, the filters each leaves out, and
the index field whose values are its options. A facet counts over the decisions every
*other* filter selects, so each option's count is the number of decisions its link
shows. All are counted by the search index's aggregations, exactly: a terms aggregation
sized past the number of distinct values (so its error bound is 0), and range
aggregations for the "at least" options. Facets that leave out the same filters share
one aggregation request. Options name the parameters they set and drop; the page turns
them into links (decisions.views.links), the API into values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from decisions.filters import PURPOSES, REMEDY_KINDS
from decisions.formatting import pounds
from decisions.models import Category, Organisation
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.search.documents import OUTCOME_CODES, REMEDY_KIND_CODES, day_number
from decisions.search.tally import Tally

# The organisations offered as a facet: the most frequent ones in the results.
TOP_ORGANISATIONS = 10
# The legislation offered as a facet: the most cited among the results.
TOP_LEGISLATION = 10
# The remedy amounts offered as "at least £N".
AMOUNTS = (100, 500, 1000, 5000)
# Larger than the number of distinct values of any faceted field, so that every
# segment returns every value and the counts are exact (doc_count_error_upper_bound 0).
EVERY_VALUE = 1_000_000


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
        return Tally(self.count).shown


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    options: list[Option]

    @property
    def estimated(self) -> bool:
        return False


Labels = Callable[[list[int]], dict[int, tuple[str, str]]]


def organisation_labels(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = Organisation.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
    return {pk: (slug, name) for pk, slug, name in rows}


def category_labels(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = Category.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
    return {pk: (slug, name) for pk, slug, name in rows}


def outcome_labels(ids: list[int]) -> dict[int, tuple[str, str]]:
    names = dict(OUTCOME_FAMILIES)
    return {code: (key, names[key]) for key, code in OUTCOME_CODES.items() if code in ids}


@dataclass(frozen=True)
class GroupedFacet:
    """Options from a terms aggregation: one per value of `field` among the decisions."""

    name: str
    title: str
    leaves_out: tuple[str, ...]
    field: str
    labels: Labels
    param: str  # the parameter an option sets
    drops: tuple[str, ...] = ()  # and those it removes
    by_count: bool = False  # most frequent first (else by label)
    top: int | None = None
    fixed_order: tuple[str, ...] | None = None  # options in this order of their values
    needs: str | None = None  # offered only when this filter is chosen

    def offered(self, chosen: Mapping[str, Any]) -> bool:
        return self.needs is None or bool(chosen.get(self.needs))

    def aggregation(self, today: datetime.date) -> dict[str, Any]:
        return {"terms": {"field": self.field, "size": EVERY_VALUE}}

    def options(
        self, result: dict[str, Any], chosen: Mapping[str, Any], today: datetime.date
    ) -> list[Option]:
        counts = {int(b["key"]): int(b["doc_count"]) for b in result["buckets"] if b["key"]}
        ranked = sorted(counts, key=lambda value: -counts[value]) if self.by_count else counts
        wanted = list(ranked)[: self.top] if self.by_count else list(ranked)
        labels = self.labels(wanted)
        pairs = [(labels[value], counts[value]) for value in wanted if value in labels]
        if self.fixed_order is not None:
            order = {key: index for index, key in enumerate(self.fixed_order)}
            pairs.sort(key=lambda pair: order.get(pair[0][0], len(order)))
        elif not self.by_count:
            pairs.sort(key=lambda pair: pair[0][1])
        selected = chosen_values(chosen.get(self.param))
        return [
            Option(label, number, {self.param: value}, self.drops, value in selected)
            for (value, label), number in pairs[: self.top]
        ]


@dataclass(frozen=True)
class TextFacet:
    """Options from a terms aggregation on a raw text fast field (the legislation
    cited, the payments' purposes): tantivy's buckets are keyed by the stored strings,
    which are the parameter's values themselves."""

    name: str
    title: str
    leaves_out: tuple[str, ...]
    field: str
    param: str
    labels: Mapping[str, str] | None = None  # value to label, in the order shown; else
    top: int | None = None  # the value is its label, and the most frequent come first

    def offered(self, chosen: Mapping[str, Any]) -> bool:
        return True

    def aggregation(self, today: datetime.date) -> dict[str, Any]:
        return {"terms": {"field": self.field, "size": EVERY_VALUE}}

    def options(
        self, result: dict[str, Any], chosen: Mapping[str, Any], today: datetime.date
    ) -> list[Option]:
        counts = {str(b["key"]): int(b["doc_count"]) for b in result["buckets"] if b["key"]}
        if self.labels is not None:
            # Only the vocabulary's values: a key stored before it (until rederive_remedies
            # runs) is no value the filter accepts.
            pairs = [(value, label) for value, label in self.labels.items() if value in counts]
        else:
            ranked = sorted(counts, key=lambda value: (-counts[value], value))
            pairs = [(value, value) for value in ranked[: self.top]]
        selected = chosen_values(chosen.get(self.param))
        return [
            Option(label, counts[value], {self.param: value}, (), value in selected)
            for value, label in pairs
        ]


@dataclass(frozen=True)
class Choice:
    """One option of a ChoiceFacet: the decisions whose `field` is at least `least`
    (a range facet), or holds `least` (a terms facet)."""

    label: str
    least: int
    changes: dict[str, str]
    drops: tuple[str, ...]
    selected: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class ChoiceFacet:
    """Options that are conditions on one field: "at least" thresholds counted by one
    range aggregation, or values counted by a terms aggregation (`terms`)."""

    name: str
    title: str
    leaves_out: tuple[str, ...]
    field: str
    choices: Callable[[datetime.date], list[Choice]]
    terms: bool = False

    def offered(self, chosen: Mapping[str, Any]) -> bool:
        return True

    def aggregation(self, today: datetime.date) -> dict[str, Any]:
        if self.terms:
            return {"terms": {"field": self.field, "size": EVERY_VALUE}}
        # Tantivy's ranges may not overlap: one bucket between each two thresholds,
        # summed from the top down into "at least" counts.
        edges = sorted({choice.least for choice in self.choices(today)})
        ranges: list[dict[str, int]] = [{"to": edges[0]}]
        ranges += [{"from": low, "to": high} for low, high in zip(edges, edges[1:], strict=False)]
        ranges.append({"from": edges[-1]})
        return {"range": {"field": self.field, "ranges": ranges}}

    def counts(self, result: dict[str, Any], today: datetime.date) -> dict[int, int]:
        buckets = result["buckets"]
        if self.terms:
            return {int(b["key"]): int(b["doc_count"]) for b in buckets}
        at_least: dict[int, int] = {}
        running = 0
        for bucket in reversed(buckets):
            running += int(bucket["doc_count"])
            if "from" in bucket:
                at_least[int(bucket["from"])] = running
        return at_least

    def options(
        self, result: dict[str, Any], chosen: Mapping[str, Any], today: datetime.date
    ) -> list[Option]:
        counts = self.counts(result, today)
        return [
            Option(
                choice.label,
                counts.get(choice.least, 0),
                choice.changes,
                choice.drops,
                choice.selected(chosen),
            )
            for choice in self.choices(today)
            if counts.get(choice.least, 0)
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
            label, day_number(start), {"date_from": start.isoformat()}, ("date_to",), since(start)
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
            1,
            {"has_remedy": "on"},
            ("amount",),
            lambda chosen: bool(chosen.get("has_remedy")) and not chosen.get("amount"),
        ),
        *(
            Choice(
                f"{pounds(amount)} or more",
                amount * 100,
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
        Choice(label, REMEDY_KIND_CODES[key], {"remedy": key}, (), chosen_as(key))
        for key, label in REMEDY_KINDS
    ]


FACETS: tuple[GroupedFacet | ChoiceFacet | TextFacet, ...] = (
    GroupedFacet(
        "organisation",
        "Organisation",
        leaves_out=("organisation",),
        field="organisation",
        labels=organisation_labels,
        param="organisation",
        by_count=True,
        top=TOP_ORGANISATIONS,
    ),
    GroupedFacet(
        "category",
        "Category",
        leaves_out=("category", "subcategory"),
        field="category",
        labels=category_labels,
        param="category",
        drops=("subcategory",),
    ),
    GroupedFacet(
        "subcategory",
        "Subcategory",
        leaves_out=("subcategory",),
        field="subcategory",
        labels=category_labels,
        param="subcategory",
        needs="category",
    ),
    GroupedFacet(
        "outcome",
        "Outcome",
        leaves_out=("outcome",),
        field="outcome",
        labels=outcome_labels,
        param="outcome",
        fixed_order=tuple(key for key, _ in OUTCOME_FAMILIES),
    ),
    ChoiceFacet("date", "Decision date", ("date_from", "date_to"), "day", date_choices),
    ChoiceFacet("remedy", "Remedy", ("has_remedy", "amount"), "payment_pence", remedy_choices),
    ChoiceFacet(
        "remedy_kind", "Remedy agreed", ("remedy",), "remedy_kind", remedy_kind_choices, True
    ),
    TextFacet(
        "purpose",
        "A payment for",
        ("purpose",),
        "payment_purpose",
        "purpose",
        labels=dict(PURPOSES),
    ),
    TextFacet(
        "legislation",
        "Legislation cited",
        ("legislation",),
        "legislation",
        "legislation",
        top=TOP_LEGISLATION,
    ),
)


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

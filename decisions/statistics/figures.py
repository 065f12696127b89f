"""The figures of a search's statistics, from the two passes of decisions.statistics.counting.

The uphold rate is upheld / decisions that reached an upheld or not-upheld finding:
decisions closed after initial enquiries, withdrawn or outside jurisdiction found
nothing either way, so they are left out of it, and the page says so. A rate is shown
only where that number of findings is at least settings.STATISTICS_MIN_N, and the
number is always shown beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from decisions.models import Category, Decision
from decisions.search.query import DecisionSearch
from decisions.search.tally import Tally
from decisions.search.whole_archive import WholeArchive
from decisions.statistics.counting import FLAGS, Amounts, Counts, Group, count
from decisions.statistics.labels import (
    OUTCOMES,
    REMEDY_LABELS,
    purpose_label,
    year_label,
)
from decisions.statistics.selection import Selection, select


def minimum_n() -> int:
    return settings.STATISTICS_MIN_N


@dataclass(frozen=True)
class Rate:
    """Upheld among the decisions that reached a finding."""

    upheld: int
    findings: int

    @property
    def shown(self) -> bool:
        return self.findings >= minimum_n() and self.findings > 0

    @property
    def value(self) -> float | None:
        return self.upheld / self.findings if self.findings else None

    @property
    def percent(self) -> int | None:
        """Whole percent, or None where there are too few findings to say."""
        return round(100 * self.upheld / self.findings) if self.shown else None


@dataclass
class Tallied:
    """Decisions of one group, by outcome, with the remedy flags."""

    outcomes: dict[str, int] = field(default_factory=dict)
    paid: int = 0
    upheld_paid: int = 0
    flags: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))
    upheld_flags: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))

    def add(self, group: Group) -> None:
        self.outcomes[group.outcome] = self.outcomes.get(group.outcome, 0) + group.decisions
        self.paid += group.paid
        upheld = group.outcome == "upheld"
        if upheld:
            self.upheld_paid += group.paid
        for flag, number in zip(FLAGS, group.flags, strict=True):
            self.flags[flag] += number
            if upheld:
                self.upheld_flags[flag] += number

    @property
    def decisions(self) -> int:
        return sum(self.outcomes.values())

    @property
    def upheld(self) -> int:
        return self.outcomes.get("upheld", 0)

    @property
    def rate(self) -> Rate:
        return Rate(self.upheld, self.upheld + self.outcomes.get("not_upheld", 0))

    def outcome_counts(self) -> list[int]:
        """The decisions of each outcome, in OUTCOMES order."""
        return [self.outcomes.get(outcome, 0) for outcome in OUTCOMES]


def tallied(groups: Iterable[Group]) -> dict[Any, Tallied]:
    found: dict[Any, Tallied] = defaultdict(Tallied)
    for group in groups:
        found[group.key].add(group)
    return dict(found)


@dataclass(frozen=True)
class YearRow:
    year: int | None
    tally: Tallied

    @property
    def label(self) -> str:
        return year_label(self.year)


@dataclass(frozen=True)
class CategoryRow:
    name: str
    slug: str
    tally: Tallied
    subcategories: list[CategoryRow] = field(default_factory=list)
    parent_slug: str = ""


@dataclass(frozen=True)
class FlagRow:
    key: str
    label: str
    decisions: int
    upheld: int  # of them, in upheld decisions


@dataclass(frozen=True)
class PurposeRow:
    purpose: str
    label: str
    amounts: Amounts


@dataclass(frozen=True)
class Statistics:
    """Everything a statistics page shows of one search."""

    selection_exact: bool
    route: str
    overall: Tallied
    years: list[YearRow]
    categories: list[CategoryRow]
    counts: Counts
    flags: list[FlagRow]
    purposes: list[PurposeRow]

    @property
    def exact(self) -> bool:
        return self.selection_exact

    @property
    def decisions(self) -> int:
        return self.overall.decisions

    @property
    def decisions_shown(self) -> str:
        """ "1,234", or "about 41,000" for an estimate, as the list shows its count."""
        return Tally(self.decisions, self.exact).shown

    @property
    def payments(self) -> Amounts | None:
        return self.counts.payments

    @property
    def upheld_paid_share(self) -> Rate:
        """Upheld decisions with a payment, among upheld decisions (a Rate of them)."""
        return Rate(self.overall.upheld_paid, self.overall.upheld)


def statistics_of(search: DecisionSearch) -> Statistics:
    """The statistics of a valid search: exact, whatever it is (decisions.statistics.
    selection)."""
    selection = select(search)
    return build(count(selection), selection)


def whole_archive_counts() -> Counts:
    """Every published decision counted: the organisation pages' comparisons (the median
    organisation, and of its kind), the same for every visitor, so counted once per
    generation of the archive (decisions.search.whole_archive)."""
    return WholeArchive().cached(
        "statistics-counts", lambda: count(Selection(Decision.objects.published()))
    )


def build(counts: Counts, selection: Selection) -> Statistics:
    overall = Tallied()
    for group in counts.by_year:
        overall.add(group)
    years = sorted(
        (YearRow(year, tally) for year, tally in tallied(counts.by_year).items()),
        key=lambda row: (row.year is None, row.year or 0),
    )
    purposes = sorted(
        (
            PurposeRow(purpose, purpose_label(purpose), amounts)
            for purpose, amounts in counts.payments_by_purpose.items()
        ),
        key=lambda row: (-row.amounts.number, row.label),
    )
    flags = [
        FlagRow(
            flag, REMEDY_LABELS.get(flag, flag), overall.flags[flag], overall.upheld_flags[flag]
        )
        for flag in FLAGS
    ]
    return Statistics(
        selection.exact,
        selection.route,
        overall,
        years,
        category_rows(counts.by_category),
        counts,
        flags,
        purposes,
    )


def category_rows(groups: list[Group]) -> list[CategoryRow]:
    """Each category with its subcategories, most decisions first; "Category not
    recorded" for decisions without one."""
    by_category: dict[int | None, Tallied] = defaultdict(Tallied)
    by_subcategory: dict[tuple[int, int], Tallied] = defaultdict(Tallied)
    for group in groups:
        category, subcategory = group.key
        by_category[category].add(group)
        if subcategory is not None:
            by_subcategory[(category, subcategory)].add(group)
    names = {
        pk: (name, slug)
        for pk, name, slug in Category.objects.filter(
            pk__in=[pk for pk in by_category if pk is not None] + [sub for _, sub in by_subcategory]
        ).values_list("pk", "name", "slug")
    }
    rows = []
    for category, tally in by_category.items():
        name, slug = (
            names.get(category, ("Category not recorded", ""))
            if category
            else (
                "Category not recorded",
                "",
            )
        )
        subcategories = [
            CategoryRow(*names[sub], tally=sub_tally, parent_slug=slug)
            for (parent, sub), sub_tally in by_subcategory.items()
            if parent == category and sub in names
        ]
        subcategories.sort(key=lambda row: (-row.tally.decisions, row.name))
        rows.append(CategoryRow(name, slug, tally, subcategories))
    rows.sort(key=lambda row: (not row.slug, -row.tally.decisions, row.name))
    return rows


def money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")

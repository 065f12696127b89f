"""The league table of organisations for a search: decisions, upheld, the uphold rate
(with its number of findings), and the payments' total and median; sortable by any
column with plain links (`league_sort`, `league_order`), so no script is needed.

A rate of fewer than settings.STATISTICS_MIN_N findings is not shown, and sorts after
every shown one whichever way the column is sorted: a 100% of one decision would
otherwise top the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from decisions.models import Organisation
from decisions.statistics.counting import Amounts
from decisions.statistics.figures import Rate, Statistics, Tallied, tallied
from decisions.statistics.labels import MEDIAN_PAYMENT

# Column: (heading, the order a first click gives).
COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("Organisation", "asc"),
    "decisions": ("Decisions", "desc"),
    "upheld": ("Upheld", "desc"),
    "rate": ("Uphold rate", "desc"),
    "total": ("Payments total", "desc"),
    "median": (MEDIAN_PAYMENT, "desc"),
}
DEFAULT_SORT = "decisions"
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class LeagueRow:
    name: str
    slug: str
    tally: Tallied
    amounts: Amounts | None

    @property
    def rate(self) -> Rate:
        return self.tally.rate

    @property
    def total(self) -> Decimal:
        return self.amounts.total if self.amounts else Decimal("0")

    @property
    def median(self) -> Decimal | None:
        return self.amounts.median if self.amounts else None

    @property
    def payments(self) -> int:
        return self.amounts.number if self.amounts else 0


@dataclass(frozen=True)
class LeagueOrder:
    """The chosen sort, and what could not be used of what was asked."""

    sort: str
    order: str
    note: str = ""


def league_order(params: Mapping[str, str]) -> LeagueOrder:
    sort = params.get("league_sort") or DEFAULT_SORT
    order = params.get("league_order") or ""
    notes = []
    if sort not in COLUMNS:
        notes.append(
            "The league table sorts by "
            + ", ".join(heading.lower() for heading, _ in COLUMNS.values())
            + ": showing it by decisions."
        )
        sort, order = DEFAULT_SORT, ""
    if order and order not in ORDERS:
        notes.append("The league table sorts asc (ascending) or desc (descending).")
        order = ""
    return LeagueOrder(sort, order or COLUMNS[sort][1], " ".join(notes))


# Each column's value; None sorts last (a rate too small to show, no payment).
_KEYS: dict[str, Callable[[LeagueRow], object]] = {
    "name": lambda row: row.name.lower(),
    "decisions": lambda row: row.tally.decisions,
    "upheld": lambda row: row.tally.upheld,
    "rate": lambda row: row.rate.value if row.rate.shown else None,
    "total": lambda row: row.total,
    "median": lambda row: row.median,
}


def league(statistics: Statistics, chosen: LeagueOrder) -> list[LeagueRow]:
    """Every organisation among the matches, in the chosen order (ties by name)."""
    tallies = tallied(statistics.counts.by_organisation)
    ids = [pk for pk in tallies if pk is not None]
    names = {
        pk: (name, slug)
        for pk, name, slug in Organisation.objects.filter(pk__in=ids).values_list(
            "pk", "name", "slug"
        )
    }
    amounts = statistics.counts.payments_by_organisation
    rows = [
        LeagueRow(*names[pk], tally=tally, amounts=amounts.get(pk))
        for pk, tally in tallies.items()
        if pk in names
    ]
    rows.sort(key=lambda row: row.name.lower())
    key = _KEYS[chosen.sort]
    present = [row for row in rows if key(row) is not None]
    absent = [row for row in rows if key(row) is None]
    present.sort(key=key, reverse=chosen.order == "desc")  # type: ignore[arg-type]
    return present + absent

"""The statistics as tables: each with a name (its CSV's `table=`), a title, a short
description, headings and rows. The page renders them, and the CSV download writes
the same rows, so a figure reads the same in both (decisions.statistics.downloads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.urls import reverse

from decisions.formatting import pounds
from decisions.statistics.counting import Amounts
from decisions.statistics.figures import Rate, Statistics, Tallied, minimum_n
from decisions.statistics.labels import (
    MEDIAN_PAYMENT,
    MEDIAN_PAYMENT_NOTE,
    OUTCOME_LABELS,
    OUTCOMES,
)
from decisions.statistics.league import COLUMNS, LeagueOrder, LeagueRow

SLUG = "organisation-slug"  # a stand-in for each row's own
CSV_VALUE = str | int | float | Decimal | None


class Cell(NamedTuple):
    """What a table cell shows, and what its CSV column holds. A named tuple: a league
    table makes thousands, and a frozen dataclass costs five times as much to make."""

    text: str
    value: CSV_VALUE = None  # the raw figure, for the CSV; the text when None
    number: bool = False  # right-aligned, as GOV.UK tables align numbers
    href: str = ""
    header: bool = False  # the row's heading (<th scope="row">)

    @property
    def csv(self) -> CSV_VALUE:
        return self.text if self.value is None else self.value


@dataclass(frozen=True)
class Heading:
    text: str
    number: bool = False
    sort: str = ""  # the league table's column key
    sort_href: str = ""
    sorted: str = ""  # "ascending" / "descending" when the table is sorted by it


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    headings: list[Heading]
    rows: list[list[Cell]]
    csv_headings: list[str] = field(default_factory=list)  # plain, with units

    def csv_header(self) -> list[str]:
        return self.csv_headings or [heading.text for heading in self.headings]


def number(value: int) -> Cell:
    return Cell(f"{value:,}", value, number=True)


PENCE = Decimal("0.01")


def money(value: Decimal | None) -> Cell:
    if value is None:  # no payment: a dash on the page, an empty CSV cell
        return Cell("–", "", number=True)
    # Pounds and pence in the CSV, always: 0.00 beside 3500.00, never 0 beside it.
    return Cell(pounds(value), Decimal(value).quantize(PENCE), number=True)


def rate(value: Rate) -> Cell:
    """A rate, or a dash where it rests on fewer than STATISTICS_MIN_N."""
    if value.percent is None:
        return Cell("–", "", number=True)
    return Cell(f"{value.percent}%", round(value.value or 0, 4), number=True)


def rate_n(value: Rate) -> Cell:
    return number(value.findings)


def row_label(text: str, href: str = "") -> Cell:
    return Cell(text, href=href, header=True)


def rate_headings() -> list[Heading]:
    return [Heading("Uphold rate", True), Heading("Findings (n)", True)]


def tally_cells(tally: Tallied) -> list[Cell]:
    return [
        number(tally.decisions),
        number(tally.upheld),
        rate(tally.rate),
        rate_n(tally.rate),
    ]


RATE_NOTE = (
    "The uphold rate is upheld decisions among those that reached a finding (upheld "
    "or not upheld); it is shown where there are at least {n} findings, with their "
    "number (n) beside it."
)


def years_table(stats: Statistics) -> Table:
    return Table(
        "years",
        "Decisions and uphold rate by year",
        "How many decisions were published for each year of decision, and how many "
        "were upheld. " + RATE_NOTE.format(n=minimum_n()),
        [
            Heading("Year"),
            Heading("Decisions", True),
            Heading("Upheld", True),
            *rate_headings(),
        ],
        [[row_label(row.label), *tally_cells(row.tally)] for row in stats.years],
        ["Year", "Decisions", "Upheld", "Uphold rate (share)", "Findings (n)"],
    )


def outcomes_table(stats: Statistics) -> Table:
    shown = [o for o in OUTCOMES if any(row.tally.outcomes.get(o) for row in stats.years)]
    return Table(
        "outcomes",
        "Outcomes by year",
        "How the decisions of each year ended, by the Ombudsman's outcome.",
        [Heading("Year"), *(Heading(OUTCOME_LABELS[o], True) for o in shown)],
        [
            [row_label(row.label), *(number(row.tally.outcomes.get(o, 0)) for o in shown)]
            for row in stats.years
        ],
    )


def categories_table(stats: Statistics, list_url: Callable[[dict[str, str]], str]) -> Table:
    rows = []
    for category in stats.categories:
        href = list_url({"category": category.slug}) if category.slug else ""
        rows.append([row_label(category.name, href), Cell(""), *tally_cells(category.tally)])
        for sub in category.subcategories:
            sub_href = list_url({"category": category.slug, "subcategory": sub.slug})
            rows.append(
                [
                    Cell(category.name, header=True),
                    Cell(sub.name, href=sub_href),
                    *tally_cells(sub.tally),
                ]
            )
    return Table(
        "categories",
        "Uphold rate by category and subcategory",
        "Each category, then its subcategories. " + RATE_NOTE.format(n=minimum_n()),
        [
            Heading("Category"),
            Heading("Subcategory"),
            Heading("Decisions", True),
            Heading("Upheld", True),
            *rate_headings(),
        ],
        rows,
        ["Category", "Subcategory", "Decisions", "Upheld", "Uphold rate (share)", "Findings (n)"],
    )


def amounts_cells(amounts: Amounts | None) -> list[Cell]:
    if amounts is None:
        return [number(0), money(Decimal("0")), *(money(None) for _ in range(4))]
    lower, median, upper = amounts.quartiles
    return [
        number(amounts.number),
        money(amounts.total),
        money(lower),
        money(median),
        money(upper),
        money(amounts.largest),
    ]


AMOUNT_HEADINGS = [
    Heading("Payments", True),
    Heading("Total", True),
    Heading("Lower quartile", True),
    Heading(MEDIAN_PAYMENT, True),
    Heading("Upper quartile", True),
    Heading("Largest", True),
]


def payments_table(stats: Statistics) -> Table:
    share = stats.upheld_paid_share
    return Table(
        "payments",
        "Payments",
        f"{share.upheld:,} of the {share.findings:,} upheld decisions"
        + (f" ({share.percent}%)" if share.percent is not None else "")
        + " brought a payment. The payments the Ombudsman asked for or the body agreed, "
        "as the archive reads them from the statements: their number, total and spread. "
        + MEDIAN_PAYMENT_NOTE,
        [Heading("Payments of"), *AMOUNT_HEADINGS],
        [[row_label("All the decisions matched"), *amounts_cells(stats.payments)]],
    )


def purposes_table(stats: Statistics) -> Table:
    return Table(
        "purposes",
        "Payments by purpose",
        "What the payments were for, as the statements say (for example distress, or "
        "time and trouble), most frequent first. " + MEDIAN_PAYMENT_NOTE,
        [Heading("Purpose"), *AMOUNT_HEADINGS],
        [[row_label(row.label), *amounts_cells(row.amounts)] for row in stats.purposes],
    )


def remedies_table(stats: Statistics) -> Table:
    upheld = stats.overall.upheld
    rows = []
    for flag in stats.flags:
        of_upheld = Rate(flag.upheld, upheld)
        rows.append(
            [row_label(flag.label), number(flag.decisions), number(flag.upheld), rate(of_upheld)]
        )
    return Table(
        "remedies",
        "Other remedies agreed",
        "How often the body agreed (or the Ombudsman asked for) an apology, a service "
        "improvement, a reassessment or staff training: in all the decisions matched, "
        "in the upheld ones, and as a share of the upheld decisions.",
        [
            Heading("Remedy"),
            Heading("Decisions", True),
            Heading("Upheld decisions", True),
            Heading("Share of upheld", True),
        ],
        rows,
        ["Remedy", "Decisions", "Upheld decisions", "Share of upheld"],
    )


def league_table(
    rows: list[LeagueRow], chosen: LeagueOrder, sort_url: Callable[[str, str], str]
) -> Table:
    headings = []
    for key, (text, first) in COLUMNS.items():
        current = key == chosen.sort
        order = ("asc" if chosen.order == "desc" else "desc") if current else first
        headings.append(
            Heading(
                text,
                key != "name",
                key,
                sort_url(key, order),
                ("ascending" if chosen.order == "asc" else "descending") if current else "",
            )
        )
        if key == "rate":
            headings.append(Heading("Findings (n)", True))
        if key == "median":
            headings.append(Heading("Payments (n)", True))
    # Reversed once: reverse() for each of 300 rows took a third of the page's time.
    pattern = reverse("decisions:organisation", args=[SLUG])
    table_rows = [
        [
            row_label(row.name, pattern.replace(SLUG, row.slug)),
            number(row.tally.decisions),
            number(row.tally.upheld),
            rate(row.rate),
            rate_n(row.rate),
            money(row.total),
            money(row.median),
            number(row.payments),
        ]
        for row in rows
    ]
    return Table(
        "organisations",
        "League table of organisations",
        "Every organisation among the decisions matched. "
        + RATE_NOTE.format(n=minimum_n())
        + " "
        + MEDIAN_PAYMENT_NOTE
        + " Sort by a column with its heading.",
        headings,
        table_rows,
        [
            "Organisation",
            "Decisions",
            "Upheld",
            "Uphold rate (share)",
            "Findings (n)",
            "Payments total",
            MEDIAN_PAYMENT,
            "Payments (n)",
        ],
    )

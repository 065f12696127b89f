"""An organisation's figures beside those of every organisation (the median one) and,
where its name says reliably what kind of body it is, beside the median of its kind.

The kinds are read from the name alone, by the declared table KINDS, first match wins:
"Norfolk County Council" is a county council, "London Borough of Redbridge" a London
borough. A name that matches no pattern ("Kent and Medway NHS", "X Care Ltd") gets no
kind comparison rather than a guessed one. Each median is over the organisations with
enough decisions for the figure (settings.STATISTICS_MIN_N), as the rates themselves.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from decisions.models import Organisation
from decisions.statistics.counting import Counts
from decisions.statistics.figures import Rate, minimum_n, tallied, whole_archive_counts
from decisions.statistics.labels import MEDIAN_PAYMENT

# (the kind, in the plural, as a comparison names it; the pattern its names match)
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("county councils", r"\bCounty Council$"),
        (
            "London boroughs",
            r"^(?:London Borough of|Royal Borough of Kensington and Chelsea$"
            r"|Royal Borough of Greenwich$|Royal Borough of Kingston upon Thames$"
            r"|City of Westminster$|Westminster City Council$)",
        ),
        ("metropolitan borough councils", r"\bMetropolitan Borough Council$"),
        ("district councils", r"\bDistrict Council$"),
        ("city councils", r"\bCity Council$"),
        ("borough councils", r"\bBorough Council$"),
        ("police and crime commissioners", r"\bPolice and Crime Commissioner\b"),
        ("national park authorities", r"\bNational Park Authority$"),
    )
)


def kind_of(name: str) -> str | None:
    """The kind of body `name` names, when the name says so; else None."""
    for kind, pattern in KINDS:
        if pattern.search(name):
            return kind
    return None


@dataclass(frozen=True)
class OrganisationFigures:
    """The figures an organisation is compared on: each a value and its number."""

    decisions: int
    uphold: Rate
    paid: Rate  # upheld decisions with a payment, among upheld decisions
    median_payment: Decimal | None
    payments: int


@dataclass(frozen=True)
class Comparison:
    """A figure of the organisation, of the median organisation and of its kind."""

    label: str
    own: str
    own_n: str
    everyone: str
    kind: str | None
    organisations: int  # how many organisations the median is over
    kind_organisations: int


def figures_by_organisation(counts: Counts) -> dict[int, OrganisationFigures]:
    amounts = counts.payments_by_organisation
    found = {}
    for pk, tally in tallied(counts.by_organisation).items():
        if pk is None:
            continue
        paid = amounts.get(pk)
        found[pk] = OrganisationFigures(
            tally.decisions,
            tally.rate,
            Rate(tally.upheld_paid, tally.upheld),
            paid.median if paid else None,
            paid.number if paid else 0,
        )
    return found


# Each compared figure: its label, its value of an organisation (None: too few to
# say), how it reads, and its number as it reads.
Measure = tuple[
    str,
    Callable[[OrganisationFigures], float | None],
    Callable[[float], str],
    Callable[[OrganisationFigures], str],
]
MEASURES: tuple[Measure, ...] = (
    (
        "Uphold rate (upheld, of the decisions with a finding)",
        lambda f: f.uphold.value if f.uphold.shown else None,
        lambda v: f"{round(100 * v)}%",
        lambda f: f"{f.uphold.upheld} of {f.uphold.findings}",
    ),
    (
        "Upheld decisions with a payment",
        lambda f: f.paid.value if f.paid.shown else None,
        lambda v: f"{round(100 * v)}%",
        lambda f: f"{f.paid.upheld} of {f.paid.findings}",
    ),
    (
        MEDIAN_PAYMENT,
        lambda f: (
            float(f.median_payment)
            if f.median_payment is not None and f.payments >= minimum_n()
            else None
        ),
        lambda v: f"£{v:,.0f}",
        lambda f: f"{f.payments} payment{'s' if f.payments != 1 else ''}",
    ),
)


def compare(organisation: Organisation) -> list[Comparison]:
    """The organisation's figures beside the median organisation's and its kind's."""
    figures = figures_by_organisation(whole_archive_counts())
    own = figures.get(organisation.pk)
    if own is None:
        return []
    kind = kind_of(organisation.name)
    names = dict(Organisation.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    same_kind = {pk for pk, name in names.items() if kind and kind_of(name) == kind}
    rows = []
    for label, value_of, shown, number_of in MEASURES:
        everyone = [v for f in figures.values() if (v := value_of(f)) is not None]
        of_kind = [
            v for pk, f in figures.items() if pk in same_kind and (v := value_of(f)) is not None
        ]
        value = value_of(own)
        rows.append(
            Comparison(
                label,
                shown(value) if value is not None else "Too few to say",
                number_of(own),
                shown(statistics.median(everyone)) if everyone else "Too few to say",
                (shown(statistics.median(of_kind)) if of_kind else "Too few to say")
                if kind
                else None,
                len(everyone),
                len(of_kind),
            )
        )
    return rows

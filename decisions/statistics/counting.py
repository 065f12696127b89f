"""The two passes every statistics page makes: the decisions counted by year,
category and organisation (each with its outcomes and remedy flags) in one GROUPING
SETS query over the selected cells and decisions; and the payments' number, total,
quartiles and largest, overall, by organisation and by purpose, in another.
https://www.postgresql.org/docs/current/queries-table-expressions.html#QUERIES-GROUPING-SETS
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet

from config.replicas import reading_connection
from decisions.parsing.remedies import REMEDY_ACTIONS
from decisions.statistics.selection import Selection

# The remedy actions counted, as the remedy filter reads them (REMEDY_CONDITIONS).
FLAGS = REMEDY_ACTIONS
# Each flag as a boolean: true exactly where the remedy filter's condition holds.
FLAG_COLUMNS_OF_DECISION = ", ".join(
    f"coalesce(d.remedies -> '{flag}' = 'true'::jsonb, false) AS {flag}" for flag in FLAGS
)

# What a group's row holds besides its key: decisions, those with a payment, and each flag.
_MEASURES = ", ".join(
    [
        "sum(r.decisions) AS decisions",
        "coalesce(sum(r.decisions) FILTER (WHERE r.remedy_total > 0), 0) AS paid",
        *(f"coalesce(sum(r.decisions) FILTER (WHERE r.{flag}), 0) AS {flag}" for flag in FLAGS),
    ]
)
# grouping() is a bit mask of the keys a row does NOT group by, in this order.
_KEYS = "r.year, r.outcome, r.organisation_id, s.parent_id, r.category_id"
BY_YEAR, BY_CATEGORY, BY_ORGANISATION = 0b00111, 0b10100, 0b10011

_GROUPED_SQL = f"""
WITH r AS ({{rows}})
SELECT grouping({_KEYS}) AS grouped, {_KEYS}, {_MEASURES}
FROM r LEFT JOIN decisions_category s ON s.id = r.category_id
GROUP BY GROUPING SETS (
    (r.year, r.outcome),
    (s.parent_id, r.category_id, r.outcome),
    (r.organisation_id, r.outcome)
)
"""
DECISION_COLUMNS = ("organisation_id", "category_id", "outcome", "decision_date", "remedy_total")
_DECISIONS_SQL = (
    "SELECT d.organisation_id, d.category_id, d.outcome,"
    " extract(year FROM d.decision_date)::int AS year, d.remedy_total,"
    f" {FLAG_COLUMNS_OF_DECISION}, 1 AS decisions FROM ({{}}) d"
)

# A payment is {amount, purpose, text} in a decision's remedies; an amount that is not a
# plain number (a stored value edited by hand into something else) is left out.
_PAYMENT_ROWS_SQL = """
SELECT d.organisation_id, coalesce(p ->> 'purpose', '') AS purpose,
       (p ->> 'amount')::numeric(12, 2) AS amount
FROM ({}) d
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(d.remedies -> 'payments') = 'array'
         THEN d.remedies -> 'payments' ELSE '[]'::jsonb END) AS p
WHERE jsonb_typeof(p) = 'object'
  AND (p ->> 'amount') ~ '^[0-9]{{1,10}}(\\.[0-9]{{1,2}})?$'
"""
# The payments counted by amount, overall, by organisation and by purpose: amounts
# repeat (£100, £250, £500...), so 80,000 payments are about 20,000 rows, hashed once;
# the quartiles are worked out from those runs (`quartiles_of`), where percentile_cont
# would sort every amount once for each grouping.
_PAYMENTS_SQL = """
WITH p AS ({rows})
SELECT grouping(p.organisation_id, p.purpose) AS grouped, p.organisation_id, p.purpose,
       p.amount, count(*)
FROM p
GROUP BY GROUPING SETS ((p.amount), (p.organisation_id, p.amount), (p.purpose, p.amount))
ORDER BY 1, 2, 3, 4
"""
PAYMENTS_ALL, PAYMENTS_BY_ORGANISATION, PAYMENTS_BY_PURPOSE = 0b11, 0b01, 0b10


class Group(NamedTuple):
    """The decisions of one group and one outcome. Named tuples, here and in Amounts:
    the unfiltered counts are cached (pickled) whole, and a tuple loads fastest."""

    key: Any
    outcome: str
    decisions: int
    paid: int
    flags: tuple[int, ...]  # in FLAGS order


class Amounts(NamedTuple):
    """The payments of one group: how many, their total, quartiles and the largest."""

    number: int
    total: Decimal
    quartiles: tuple[Decimal, Decimal, Decimal]
    largest: Decimal

    @property
    def median(self) -> Decimal:
        return self.quartiles[1]


@dataclass(frozen=True)
class Counts:
    by_year: list[Group]
    by_category: list[Group]  # key: (category id, subcategory id or None)
    by_organisation: list[Group]
    payments: Amounts | None
    payments_by_organisation: dict[int | None, Amounts]
    payments_by_purpose: dict[str, Amounts]


def count(selection: Selection) -> Counts:
    try:
        groups = grouped(selection)
        amounts = payments(selection)
    except EmptyResultSet:
        # Nothing to count (a search matching nothing: pk__in=[], or none()): Django
        # compiles no SQL for it, and raises instead of running a query.
        groups, amounts = {}, {}
    return Counts(
        by_year=groups.get(BY_YEAR, []),
        by_category=groups.get(BY_CATEGORY, []),
        by_organisation=groups.get(BY_ORGANISATION, []),
        payments=amounts.get(PAYMENTS_ALL, {}).get(None),
        payments_by_organisation=amounts.get(PAYMENTS_BY_ORGANISATION, {}),
        payments_by_purpose=amounts.get(PAYMENTS_BY_PURPOSE, {}),
    )


def grouped(selection: Selection) -> dict[int, list[Group]]:
    decisions = selection.decisions.order_by().values_list(*DECISION_COLUMNS, "remedies")
    sql, params = decisions.query.sql_with_params()
    with reading_connection().cursor() as cursor:
        cursor.execute(_GROUPED_SQL.format(rows=_DECISIONS_SQL.format(sql)), params)
        rows = cursor.fetchall()
    scale = selection.scale
    found_groups: dict[int, list[Group]] = {}
    for grouping, year, outcome, organisation, parent, category, *measures in rows:
        number, paid, *flags = (scaled(value, scale) for value in measures)
        key = {
            BY_YEAR: year,
            BY_CATEGORY: (parent, category) if parent is not None else (category, None),
            BY_ORGANISATION: organisation,
        }[grouping]
        found_groups.setdefault(grouping, []).append(
            Group(key, outcome or "", number, paid, tuple(flags))
        )
    return found_groups


def payments(selection: Selection) -> dict[int, dict[Any, Amounts]]:
    decisions = selection.decisions.order_by().values_list("organisation_id", "remedies")
    sql, params = decisions.query.sql_with_params()
    with reading_connection().cursor() as cursor:
        cursor.execute(_PAYMENTS_SQL.format(rows=_PAYMENT_ROWS_SQL.format(sql)), params)
        rows = cursor.fetchall()
    found: dict[int, dict[Any, Amounts]] = {}
    # In order of grouping, key and amount: each group's runs of amounts are consecutive.
    for (grouping, organisation, purpose), group in itertools.groupby(
        rows, key=lambda row: row[:3]
    ):
        key = {PAYMENTS_ALL: None, PAYMENTS_BY_ORGANISATION: organisation}.get(grouping, purpose)
        runs = [(amount, number) for *_, amount, number in group]
        found.setdefault(grouping, {})[key] = amounts_of(runs, selection.scale)
    return found


def amounts_of(runs: list[tuple[Decimal, int]], scale: float) -> Amounts:
    """How many payments, their total, quartiles and largest, from (amount, how many)
    runs in order of amount."""
    number = sum(count for _, count in runs)
    total = sum((amount * count for amount, count in runs), Decimal("0"))
    return Amounts(
        scaled(number, scale),
        pence(total * Decimal(scale)),
        quartiles_of(runs, number),
        runs[-1][0],
    )


def quartiles_of(runs: list[tuple[Decimal, int]], number: int) -> tuple[Decimal, Decimal, Decimal]:
    """The quartiles of `number` amounts given as sorted (amount, how many) runs, as
    PostgreSQL's percentile_cont gives them: linear between the two closest ranks."""
    ends = list(itertools.accumulate(count for _, count in runs))

    def at(rank: int) -> Decimal:  # the amount of the rank-th (from 0) payment
        return runs[bisect.bisect_right(ends, rank)][0]

    found = []
    for quarter in (1, 2, 3):
        lower, part = divmod(quarter * (number - 1), 4)  # position lower + part/4
        value = at(lower) if not part else at(lower) + (at(lower + 1) - at(lower)) * part / 4
        found.append(pence(value))
    return found[0], found[1], found[2]


def scaled(value: int, scale: float) -> int:
    """A count of the selected rows as a count of the decisions they stand for."""
    return int(value) if scale == 1 else round(int(value) * scale)


def pence(value: Decimal) -> Decimal:
    """percentile_cont works in double precision: back to pence."""
    return value.quantize(Decimal("0.01"))

"""The charts' geometry, for HTML/CSS bars drawn on the server: a bar's length is a
class (`bar--w0` .. `bar--w100`, static/css/statistics.css), since the Content
Security Policy forbids inline style attributes. Each chart stands beside a table of
the same numbers (decisions.statistics.report), which screen readers read instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from decisions.statistics.figures import Statistics
from decisions.statistics.labels import OUTCOME_LABELS, OUTCOMES


@dataclass(frozen=True)
class Segment:
    key: str  # an outcome key: the segment's colour class
    label: str
    value: int
    width: int  # percent of the row


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as the chart prints it beside the bar
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    description: str
    bars: list[Bar]
    legend: list[tuple[str, str]]  # (key, label) for a stacked chart


def width(value: float, largest: float) -> int:
    """`value` as a whole percent of `largest`; a non-zero value at least 1."""
    if largest <= 0 or value <= 0:
        return 0
    return max(1, min(100, round(100 * value / largest)))


def shares(values: list[int]) -> list[int]:
    """Whole percents of the total that add up to 100 (largest remainders)."""
    total = sum(values)
    if not total:
        return [0 for _ in values]
    exact = [100 * value / total for value in values]
    whole = [int(share) for share in exact]
    by_remainder = sorted(range(len(values)), key=lambda i: exact[i] - whole[i], reverse=True)
    for index in by_remainder[: 100 - sum(whole)]:
        whole[index] += 1
    return whole


def decisions_by_year(stats: Statistics) -> Chart:
    largest = max((row.tally.decisions for row in stats.years), default=0)
    return Chart(
        "years-chart",
        "Decisions by year",
        "One bar for each year of decision, as long as its number of decisions.",
        [
            Bar(
                row.label,
                f"{row.tally.decisions:,}",
                [
                    Segment(
                        "all", "Decisions", row.tally.decisions, width(row.tally.decisions, largest)
                    )
                ],
            )
            for row in stats.years
        ],
        [],
    )


def outcomes_by_year(stats: Statistics) -> Chart:
    shown = [o for o in OUTCOMES if any(row.tally.outcomes.get(o) for row in stats.years)]
    bars = []
    for row in stats.years:
        values = [row.tally.outcomes.get(o, 0) for o in shown]
        bars.append(
            Bar(
                row.label,
                f"{row.tally.decisions:,}",
                [
                    Segment(key or "unrecorded", OUTCOME_LABELS[key], value, part)
                    for key, value, part in zip(shown, values, shares(values), strict=True)
                    if part
                ],
            )
        )
    return Chart(
        "outcomes-chart",
        "Outcome mix by year",
        "One bar for each year, divided by the share of each outcome.",
        bars,
        [(key or "unrecorded", OUTCOME_LABELS[key]) for key in shown],
    )


def uphold_rate_by_year(stats: Statistics) -> Chart:
    return Chart(
        "rate-chart",
        "Uphold rate by year",
        "One bar for each year with enough findings, as long as its uphold rate "
        "(the whole width is 100%).",
        [
            Bar(
                row.label,
                f"{row.tally.rate.percent}% of {row.tally.rate.findings:,}",
                [Segment("upheld", "Upheld", row.tally.upheld, row.tally.rate.percent or 0)],
            )
            for row in stats.years
            if row.tally.rate.percent is not None
        ],
        [],
    )

"""What a download holds for each decision: the columns a person expects, the same for
CSV and JSON lines (CSV writes them as text, JSON keeps their types)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from decisions.exports.licence import ATTRIBUTION
from decisions.formatting import payment_purpose, pounds
from decisions.models import Decision

# The fields of Decision a download reads beyond what the list page loads.
LOADED = ("remedies",)


def has_truncated_flag() -> bool:
    """Whether decisions record that their stored text stops early (a later migration)."""
    return any(field.name == "truncated" for field in Decision._meta.get_fields())


def columns() -> list[str]:
    """The column names, in order: the CSV's header row and each JSON line's keys."""
    flags = ["needs_review", *(["truncated"] if has_truncated_flag() else [])]
    return [
        "reference",
        "organisation",
        "category",
        "subcategory",
        "outcome",
        "outcome_wording",
        "decision_date",
        "summary",
        "remedy_total",
        "payments",
        *flags,
        "permalink",
        "source_url",
        "licence",
    ]


def payments_of(decision: Decision) -> list[dict[str, str]]:
    """Each payment's amount and purpose, as the parser found them."""
    found = (decision.remedies or {}).get("payments") or []
    return [{"amount": p.get("amount", ""), "purpose": p.get("purpose", "")} for p in found]


def payments_text(payments: list[dict[str, str]]) -> str:
    """ "£200 for distress; £150 for time and trouble"."""
    return "; ".join(
        pounds(p["amount"]) + (f" {payment_purpose(p['purpose'])}" if p["purpose"] else "")
        for p in payments
    )


def decision_row(decision: Decision, permalink: str) -> dict[str, Any]:
    """One decision as a download's row, with JSON types (None for an unknown)."""
    category = decision.category
    row: dict[str, Any] = {
        "reference": decision.reference,
        "organisation": decision.organisation.name if decision.organisation else None,
        "category": category.parent.name if category and category.parent else None,
        "subcategory": category.name if category and category.parent else None,
        "outcome": decision.outcome or None,
        "outcome_wording": decision.outcome_wording or None,
        "decision_date": decision.decision_date.isoformat() if decision.decision_date else None,
        "summary": decision.summary,
        "remedy_total": f"{decision.remedy_total:.2f}",
        "payments": payments_of(decision),
        "needs_review": decision.needs_review,
        "permalink": permalink,
        "source_url": decision.url or None,
        "licence": ATTRIBUTION,
    }
    if has_truncated_flag():
        row["truncated"] = decision.truncated
    return {name: row[name] for name in columns()}


@dataclass(frozen=True)
class Stopped:
    """A download cut short by the cap: how many rows it holds of how many match."""

    written: int
    matching: str  # "123,456", or "about 120,000" for an estimate

    @property
    def message(self) -> str:
        return (
            f"This download stopped at {self.written:,} of {self.matching} matching "
            "decisions (the limit for one download). Narrow the search or split it by "
            "date to download the rest."
        )


def capped_rows(
    decisions: Iterable[Decision],
    limit: int,
    permalink: Callable[[Decision], str],
    matching: Callable[[], str],
) -> Iterator[dict[str, Any] | Stopped]:
    """The rows of at most `limit` decisions, then a `Stopped` if there were more."""
    for written, decision in enumerate(decisions):
        if written == limit:
            yield Stopped(written, matching())
            return
        yield decision_row(decision, permalink(decision))

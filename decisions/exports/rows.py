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


# The column names, in order: the CSV's header row and each JSON line's keys. Each is a
# field of decisions.records.PUBLISHED (under its own name, or as RENAMED says), or one
# of the download's own (the permalink, the licence).
COLUMNS = (
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
    "needs_review",
    "truncated",
    "permalink",
    "source_url",
    "licence",
)
RENAMED = {"url": "source_url", "remedies": "payments"}
# The published fields a download leaves out, and why (tests/test_outward_shapes.py
# holds every other field to be a column).
LEFT_OUT = {
    "outcome_inferred": "the outcome column says the outcome; the API and the dump say how it was read",
    "sections": "a statement's text is too long for a spreadsheet's cell: the permalink has it",
    "body_text": "as sections",
    "other_bodies": "in the API and the dump",
    "legislation": "in the API and the dump",
    "parse_warnings": "staff's, for review",
    "curated_at": "staff's",
    "curated_fields": "staff's",
    "source": "the import's file: staff's",
    "content_hash": "in the API and the dump",
    "source_hash": "the dump's, to re-import",
    "created_at": "in the API and the dump",
    "updated_at": "in the API and the dump",
}


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
        "truncated": decision.truncated,
        "permalink": permalink,
        "source_url": decision.url or None,
        "licence": ATTRIBUTION,
    }
    return {name: row[name] for name in COLUMNS}


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

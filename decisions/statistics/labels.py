"""How the statistics name what they count: outcomes, purposes of payments, kinds of
remedy, an unknown year."""

from __future__ import annotations

from decisions.filters import REMEDY_KINDS
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.parsing.remedies import PURPOSE_LABELS

OUTCOME_LABELS = dict(OUTCOME_FAMILIES) | {"": "Outcome not recorded"}
# The order outcomes are shown in: the families', then the unrecorded.
OUTCOMES = (*(key for key, _ in OUTCOME_FAMILIES), "")
REMEDY_LABELS = dict(REMEDY_KINDS)
UNKNOWN_YEAR = "Date not known"
# Two medians of money, named apart and explained wherever they are shown (the league
# table, the payment tables and their CSV, the organisation page): a decision with
# three payments counts three times in the first and once in the second, so the two
# differ, and one label for both read as a contradiction between pages.
MEDIAN_PAYMENT = "Median payment"
MEDIAN_PAYMENT_NOTE = (
    "Median payment: the middle of the payments, each payment counted on its own "
    "(a decision with two payments counts twice)."
)
MEDIAN_PER_DECISION = "Median paid per decision"
MEDIAN_PER_DECISION_NOTE = (
    "Median paid per decision: the middle of the decisions’ totals, each decision with a "
    "payment counted once, all its payments added together."
)
NO_PURPOSE = "Purpose not stated"


def purpose_label(purpose: str) -> str:
    """A payment's purpose as a heading reads: the parser's label for its canonical key;
    else (a decision stored before the vocabulary, until `rederive_remedies` runs) its
    stored words."""
    if purpose in PURPOSE_LABELS:
        return PURPOSE_LABELS[purpose]
    if not purpose.strip():
        return NO_PURPOSE
    return purpose[:1].upper() + purpose[1:]


def year_label(year: int | None) -> str:
    return str(year) if year is not None else UNKNOWN_YEAR

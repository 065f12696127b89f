"""How values read on a page: money and dates, the same in templates, facet labels and
the filters a page lists as active."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from decisions.parsing.remedies import PURPOSE_LABELS


def pounds(amount: object) -> str:
    """ "250.00" -> "£250", "99.50" -> "£99.50", with thousands separators."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def payment_purpose(purpose: str) -> str:
    """What a payment was for, to follow its amount ("£200 for distress"); "" when the
    statement does not say. A purpose stored before the vocabulary (decisions.parsing.
    remedy_purposes) reads as it was found, until `manage.py rederive_remedies` runs."""
    if not purpose:
        return ""
    if purpose == "other":
        return "for another purpose the statement names"
    label = PURPOSE_LABELS.get(purpose)
    return f"for {label[0].lower()}{label[1:]}" if label else f"for {purpose}"


def long_date(value: datetime.date) -> str:
    """ "31 March 2020"."""
    return f"{value:%-d %B %Y}"


def quoted(text: str) -> str:
    """`text` in curly quotes, once: a phrase search typed in straight quotes
    ('"social worker"') reads “social worker”, not “"social worker"”."""
    inner = text.strip()
    if len(inner) > 1 and inner[0] == inner[-1] == '"' and '"' not in inner[1:-1]:
        inner = inner[1:-1]
    return f"“{inner}”"


# How the decision page says each flag of a decision's remedies (REMEDY_FLAGS), in the
# page's order.
REMEDY_FLAG_SENTENCES = {
    "apology": "An apology was agreed or recommended.",
    "reassessment": "A new assessment or review was agreed or recommended.",
    "service_improvement": "Improvements to the organisation’s services were agreed or recommended.",
    "staff_training": "Training for the organisation’s staff was agreed or recommended.",
    "already_provided": "The organisation had already provided some of this remedy before the decision.",
}


def remedy_sentences(remedies: dict[str, object] | None) -> list[str]:
    """The sentences for the flags a decision's stored remedies set."""
    found = remedies or {}
    return [sentence for flag, sentence in REMEDY_FLAG_SENTENCES.items() if found.get(flag)]

"""How values read on a page: money and dates, the same in templates, facet labels and
the filters a page lists as active."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation


def pounds(amount: object) -> str:
    """ "250.00" -> "£250", "99.50" -> "£99.50", with thousands separators."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


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

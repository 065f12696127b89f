"""What PostgreSQL would refuse, found before a record is written.

A batch is one transaction: a record the database refuses rolls the whole batch back
and costs a retry one by one. So each parsed record is checked here, in the parse
thread, against what the database will refuse:

- characters no PostgreSQL text can hold (NUL) or no UTF-8 can encode (a lone
  surrogate, as a broken JSON record's "\\ud800" gives): they are replaced, the
  decision keeps its text and gets a parse warning, so a person reviews it;
- control characters XML 1.0 cannot carry (decisions.characters): stored, they would
  break every feed the decision is in; they are removed, since no reader sees them;
- values wider than their columns (an outcome wording of 300 characters, a payment
  of £99,999,999,999,999): the record fails alone, with the field and the limit.

Pure: no database access, so it runs beside the parser.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from decisions.characters import XML_FORBIDDEN, has_xml_forbidden, without_xml_forbidden
from decisions.parsing import ParsedDecision

# A lone surrogate, or NUL: PostgreSQL's text types refuse both.
UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# Either of the above, or a character XML cannot carry: what a text is searched for
# once, in one pass, before anything is replaced.
UNCLEAN = re.compile(f"{UNSTORABLE_CHARACTERS.pattern}|{XML_FORBIDDEN.pattern}")

# Column widths, from decisions.models and migrations (kept here, not read from the
# models, so the parse thread never imports Django's model layer).
MAX_REFERENCE = 16
MAX_NAME = 255  # organisation and category names and slugs
MAX_OUTCOME_WORDING = 255
# remedy_total is NUMERIC(12, 2): ten digits before the point.
MAX_AMOUNT = Decimal("9999999999.99")


def storable_text(text: str) -> tuple[str, int]:
    """`text` with every unstorable character replaced, and how many there were; and
    without the control characters no feed could carry (not counted: nothing is lost)."""
    if text.isascii():
        if "\x00" not in text and not has_xml_forbidden(text):
            return text, 0  # the common case, checked at C speed
    elif UNCLEAN.search(text) is None:
        return text, 0
    replaced, count = UNSTORABLE_CHARACTERS.subn(REPLACEMENT, text)
    return without_xml_forbidden(replaced), count


def _clean(value: Any, counter: list[int], seen: dict[int, str] | None = None) -> Any:
    if isinstance(value, str):
        # Each payment holds its sentence: the same string object, cleaned once.
        seen = {} if seen is None else seen
        if id(value) in seen:
            return seen[id(value)]
        text, replaced = storable_text(value)
        counter[0] += replaced
        seen[id(value)] = text
        return text
    if isinstance(value, tuple | list):
        return type(value)(_clean(item, counter, seen) for item in value)
    if isinstance(value, dict):
        return {
            _clean(str(k), counter, seen): _clean(item, counter, seen) for k, item in value.items()
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _clean(getattr(value, f.name), counter, seen)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


def make_storable(parsed: ParsedDecision) -> ParsedDecision:
    """The record with unstorable characters replaced, and a warning if any were."""
    counter = [0]
    cleaned = _clean(parsed, counter, {})
    if not counter[0]:
        return cleaned  # control characters may have gone, and need no warning
    warning = (
        f"the page held {counter[0]} character(s) that cannot be stored (NUL bytes or lone "
        f"surrogates); each was replaced with {REPLACEMENT}"
    )
    return dataclasses.replace(cleaned, warnings=(*cleaned.warnings, warning))


def storable_json(value: Any) -> Any:
    """A JSON value (a scraper record's other keys) with unstorable characters replaced:
    jsonb refuses NUL and lone surrogates as text does."""
    return _clean(value, [0])


def unstorable_reason(parsed: ParsedDecision) -> str:
    """Why the database would refuse this record, or "" if it would take it."""
    widths = [
        ("reference", parsed.reference, MAX_REFERENCE),
        ("organisation name", parsed.organisation, MAX_NAME),
        ("category", parsed.category, MAX_NAME),
        ("category slug", parsed.category_slug, MAX_NAME),
        ("subcategory", parsed.subcategory, MAX_NAME),
        ("subcategory slug", parsed.subcategory_slug, MAX_NAME),
        ("outcome wording", parsed.outcome_wording, MAX_OUTCOME_WORDING),
    ]
    for label, value, limit in widths:
        if value and len(value) > limit:
            return f"the {label} is {len(value):,} characters long; the most stored is {limit}"
    amounts = [parsed.remedies.total, *(payment.amount for payment in parsed.remedies.payments)]
    for amount in amounts:
        if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
            return (
                f"a payment of £{amount:,} is more than the archive stores "
                f"(£{MAX_AMOUNT:,}); the page's figures are probably misread"
            )
    return ""

"""What the search index holds of a decision: its schema, its analyser, and the one
function that turns a decision's row into the engine's document.

One document per *published* decision (a withdrawn one is not in the index at all),
plus one `position` document: the point of PostgreSQL's change log the index reflects,
committed with the documents it describes (decisions.search.syncing).

The text is analysed as PostgreSQL's `english` configuration did: words of letters and
digits, lower case, accents folded, English stop words left out (their positions kept,
so "failed to act" is still a phrase), and Snowball's English stemmer. The same
analyser reads the search box's words, the decision page's text for highlighting and
the snippets, so a word is marked exactly where it matched.
https://docs.rs/tantivy/latest/tantivy/tokenizer/index.html

Every filter and sort key of the FilterSet is a fast field (a column, read without
touching the text): the ids of the organisation, category and subcategory, the outcome,
the decision date as a day number, the payment total in pence, the remedy kinds, whether
the source still publishes it, and what issues after this one filter on (legislation
cited, the payments' purposes, the date the decision entered the archive).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tantivy

from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.parsing.remedies import REMEDY_ACTIONS

ANALYSER = "english_stemmed"
# The day numbers of dates: days since 1 January 1 (date.toordinal()), so a range
# query on them is a range of dates.
UNDATED_NEWEST = 0  # undated decisions come last in newest-first order...
UNDATED_OLDEST = (1 << 31) - 1  # ...and in oldest-first order too
# Sort keys pack (day, id) into one u64 so one fast field orders exactly, ties included.
ID_BITS = 32

# Codes of the values a fast field holds as numbers.
OUTCOME_CODES = {key: code for code, (key, _) in enumerate(OUTCOME_FAMILIES, start=1)}
# A payment is 1 (remedy_total > 0), each action after it in REMEDY_ACTIONS' order: a new
# action, added at that list's end, takes the next code and leaves the others' as built.
REMEDY_KIND_CODES = {
    "payment": 1,
    **{action: code for code, action in enumerate(REMEDY_ACTIONS, start=2)},
}

# Title (organisation and categories) and summary words rank above body words: a search
# is mostly about what a decision is about, which its summary says. Tuned on the judged
# set (tests/test_relevance.py).
FIELD_BOOSTS = {"title": 2.5, "summary": 2.0, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)

DOCUMENT, POSITION = 1, 2  # the `kind` of a document


def analyser() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("kind", indexed=True, fast=True)
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    # "19 011 560": a search of references alone finds their decisions.
    builder.add_text_field("reference", stored=False, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        # Stored: the snippets are cut from the stored text, never from PostgreSQL's.
        builder.add_text_field(name, stored=True, tokenizer_name=ANALYSER)
    for name in ("organisation", "category", "subcategory", "outcome", "year"):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("newest_key", fast=True)
    builder.add_unsigned_field("oldest_key", fast=True)
    builder.add_unsigned_field("payment_pence", indexed=True, fast=True)
    builder.add_unsigned_field("remedy_kind", indexed=True, fast=True)
    builder.add_unsigned_field("removed_at_source", indexed=True, fast=True)
    builder.add_unsigned_field("truncated", indexed=True, fast=True)
    builder.add_text_field("legislation", stored=False, fast=True, tokenizer_name="raw")
    builder.add_text_field("payment_purpose", stored=False, fast=True, tokenizer_name="raw")
    builder.add_integer_field("entered_at", indexed=True, fast=True)
    builder.add_text_field("content_hash", stored=True, tokenizer_name="raw")
    # The position document's: PostgreSQL's snapshot the index reflects.
    builder.add_text_field("position", stored=True, tokenizer_name="raw")
    return builder.build()


SCHEMA = build_schema()


@dataclass(frozen=True)
class DecisionRow:
    """The columns of a published decision that the index holds (syncing.ROWS_SQL)."""

    id: int
    reference: str
    organisation_id: int | None
    organisation_name: str
    category_id: int | None
    category_name: str
    parent_id: int | None
    parent_name: str
    outcome: str
    decision_date: datetime.date | None
    summary: str
    body_text: str
    remedies: Any
    remedy_total: Decimal
    legislation: Any
    truncated: bool
    created_at: datetime.datetime
    removed_at_source: bool


def day_number(day: datetime.date) -> int:
    return day.toordinal()


def newest_key(day: datetime.date | None, pk: int) -> int:
    """Descending order of this key is the list's NEWEST_FIRST: date, then id."""
    days = day_number(day) if day else UNDATED_NEWEST
    return (days << ID_BITS) | pk


def oldest_key(day: datetime.date | None, pk: int) -> int:
    """Ascending order of this key is OLDEST_FIRST: date, then id, undated last."""
    days = day_number(day) if day else UNDATED_OLDEST
    return (days << ID_BITS) | pk


def pence(amount: Decimal | int | float | str | None) -> int:
    try:
        return max(0, int(Decimal(str(amount or 0)) * 100))
    except ArithmeticError:
        return 0


def remedy_kinds(remedies: Any, remedy_total: Decimal) -> list[int]:
    kinds = [REMEDY_KIND_CODES["payment"]] if remedy_total and remedy_total > 0 else []
    if isinstance(remedies, dict):
        kinds += [REMEDY_KIND_CODES[flag] for flag in REMEDY_ACTIONS if remedies.get(flag) is True]
    return kinds


def payment_purposes(remedies: Any) -> list[str]:
    payments = remedies.get("payments") if isinstance(remedies, dict) else None
    if not isinstance(payments, list):
        return []
    found = (payment.get("purpose") for payment in payments if isinstance(payment, dict))
    return sorted({purpose for purpose in found if isinstance(purpose, str) and purpose})


def document_for(row: DecisionRow) -> tantivy.Document:
    """The engine's document of one published decision."""
    doc = tantivy.Document()
    doc.add_unsigned("kind", DOCUMENT)
    doc.add_unsigned("id", row.id)
    doc.add_text("reference", row.reference)
    categories = " ".join(name for name in (row.parent_name, row.category_name) if name)
    doc.add_text("title", f"{row.organisation_name} {categories}".strip())
    doc.add_text("summary", row.summary)
    doc.add_text("body", row.body_text)
    doc.add_unsigned("organisation", row.organisation_id or 0)
    # A decision points at its subcategory; one filed under a top-level category only
    # has that as its category and no subcategory.
    doc.add_unsigned("category", (row.parent_id or row.category_id) or 0)
    doc.add_unsigned("subcategory", (row.category_id or 0) if row.parent_id else 0)
    doc.add_unsigned("outcome", OUTCOME_CODES.get(row.outcome, 0))
    doc.add_unsigned("year", row.decision_date.year if row.decision_date else 0)
    if row.decision_date:
        doc.add_integer("day", day_number(row.decision_date))
    doc.add_unsigned("newest_key", newest_key(row.decision_date, row.id))
    doc.add_unsigned("oldest_key", oldest_key(row.decision_date, row.id))
    doc.add_unsigned("payment_pence", pence(row.remedy_total))
    for kind in remedy_kinds(row.remedies, row.remedy_total):
        doc.add_unsigned("remedy_kind", kind)
    doc.add_unsigned("removed_at_source", int(row.removed_at_source))
    doc.add_unsigned("truncated", int(row.truncated))
    for act in row.legislation if isinstance(row.legislation, list) else []:
        if isinstance(act, str) and act:
            doc.add_text("legislation", act)
    for purpose in payment_purposes(row.remedies):
        doc.add_text("payment_purpose", purpose)
    doc.add_integer("entered_at", int(row.created_at.timestamp()))
    doc.add_text("content_hash", row_hash(row))
    return doc


def row_hash(row: DecisionRow) -> str:
    """A hash of everything the document is made of: `search_index check` compares it
    with the same hash of PostgreSQL's row, so a document that missed a change (an
    organisation renamed, a page gone at its source) is found, not only a text edit."""
    return hashlib.sha256(repr(dataclasses.astuple(row)).encode()).hexdigest()[:32]


def position_document(snapshot: str) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("kind", POSITION)
    doc.add_text("position", snapshot)
    return doc

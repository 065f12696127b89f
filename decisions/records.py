"""A decision's outward shape, said once: its fields as the parser gives them, as the
database stores them and as JSON gives them out, and back.

    ParsedDecision ──stored_fields()──► Decision ──published_fields()──► JSON record
          ▲                                                                   │
          └──────────────── parsed_from_record() / restored_fields() ◄────────┘

The bulk dump (decisions.exports.dump) is `published_fields` with its envelope and the
captured page; re-deriving remedies (decisions.importing.rederive) and importing a dump
(decisions.importing.pipeline) read such a record back; the writer
(decisions.importing.writing) stores `stored_fields`; the downloads and the API choose
from `PUBLISHED` (tests/test_outward_shapes.py fails if a door neither gives a field nor
says why it leaves it out). A new field is one edit here.

It imports only the parser: the models are read, never imported, so that a dump's
records are read (decisions.importing.sources) before Django is set up.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from decisions.parsing import REMEDY_FLAGS, ParsedDecision, Payment, Remedies, Section

if TYPE_CHECKING:  # only read here: importing a dump needs no Django until it writes
    from decisions.models import Category, Decision

DUMP_HEADER = "lgsco-decision-dump"
DUMP_RECORD = "lgsco-decision"
DUMP_VERSION = 1

# The decision's fields every record carries, in the record's order. Staff-only fields
# (the withdrawal) are in WITHDRAWAL, given only to a staff dump.
PUBLISHED = (
    "reference",
    "organisation",
    "category",
    "subcategory",
    "outcome",
    "outcome_wording",
    "outcome_inferred",
    "decision_date",
    "summary",
    "sections",
    "body_text",
    "remedies",
    "remedy_total",
    "other_bodies",
    "legislation",
    "parse_warnings",
    "needs_review",
    "curated_at",
    "curated_fields",
    "url",
    "source",
    "content_hash",
    "source_hash",
    "created_at",
    "updated_at",
    "truncated",
)
WITHDRAWAL = ("withdrawn_at", "withdrawal_reason")
# The model's fields no record carries, and why: a test holds every other field of
# Decision to appear in PUBLISHED or WITHDRAWAL.
UNPUBLISHED = {
    "id": "the database's own key; the reference is the decision's",
    "slug": "made from the reference",
    "organisation_id": "given as the organisation's name",
    "category_id": "given as the category and subcategory",
    "removed_at_source": "the harvester's observation of the source, kept with it",
    "source_first_seen_at": "the harvester's observation of the source",
    "source_last_seen_at": "the harvester's observation of the source",
    "source_gone_at": "the harvester's observation of the source",
}


def stored_fields(parsed: ParsedDecision) -> dict[str, Any]:
    """A parse as the Decision model's own fields (organisation and category, which are
    rows of their own, and the import's provenance are the writer's)."""
    return {
        "reference": parsed.reference,
        "outcome": parsed.outcome,
        "outcome_wording": parsed.outcome_wording,
        "outcome_inferred": parsed.outcome_inferred,
        "decision_date": parsed.decision_date,
        "summary": parsed.summary,
        "sections": [section.as_dict() for section in parsed.sections],
        "body_text": parsed.body_text,
        "remedies": parsed.remedies.as_dict(),
        "remedy_total": parsed.remedies.total,
        "other_bodies": list(parsed.other_bodies),
        "legislation": list(parsed.legislation),
        "parse_warnings": list(parsed.warnings),
        "truncated": parsed.truncated,
        "url": (parsed.url or "")[:1000],
    }


def published_fields(decision: Decision, *, withdrawal: bool = False) -> dict[str, Any]:
    """A stored decision as JSON values, PUBLISHED's fields in order (and its withdrawal,
    for staff). Reads `organisation` and `category__parent`: select them with it."""
    category = decision.category
    parent = category.parent if category else None
    record: dict[str, Any] = {
        "reference": decision.reference,
        "organisation": decision.organisation.name if decision.organisation else None,
        "category": category_record(parent) if parent else None,
        "subcategory": category_record(category) if category and parent else None,
        "outcome": decision.outcome,
        "outcome_wording": decision.outcome_wording,
        "outcome_inferred": decision.outcome_inferred,
        "decision_date": decision.decision_date.isoformat() if decision.decision_date else None,
        "summary": decision.summary,
        "sections": decision.sections,
        "body_text": decision.body_text,
        "remedies": decision.remedies,
        "remedy_total": f"{decision.remedy_total:.2f}",
        "other_bodies": decision.other_bodies,
        "legislation": decision.legislation,
        "parse_warnings": decision.parse_warnings,
        "needs_review": decision.needs_review,
        "curated_at": iso(decision.curated_at),
        "curated_fields": decision.curated_fields,
        "url": decision.url,
        "source": decision.source,
        "content_hash": decision.content_hash,
        "source_hash": decision.source_hash,
        "created_at": iso(decision.created_at),
        "updated_at": iso(decision.updated_at),
        "truncated": decision.truncated,
    }
    if withdrawal:
        record["withdrawn_at"] = iso(decision.withdrawn_at)
        record["withdrawal_reason"] = decision.withdrawal_reason
    return record


def category_record(category: Category) -> dict[str, Any]:
    return {"name": category.name, "slug": category.slug, "in_taxonomy": category.in_taxonomy}


def parsed_from_record(record: dict[str, Any]) -> ParsedDecision:
    """A record's fields as the parser's record, as if its source had been parsed."""
    category, subcategory = record.get("category"), record.get("subcategory")
    remedies = record.get("remedies") or {}
    date = record.get("decision_date")
    return ParsedDecision(
        reference=record["reference"],
        organisation=record.get("organisation"),
        category=category["name"] if category else None,
        category_slug=category["slug"] if category else None,
        subcategory=subcategory["name"] if subcategory else None,
        subcategory_slug=subcategory["slug"] if subcategory else None,
        outcome=record.get("outcome") or "",
        outcome_wording=record.get("outcome_wording") or "",
        outcome_inferred=bool(record.get("outcome_inferred")),
        decision_date=datetime.date.fromisoformat(date) if date else None,
        summary=record.get("summary") or "",
        sections=tuple(
            Section(
                section.get("heading", ""),
                tuple(section.get("paragraphs", ())),
                tuple(section.get("markers", ())),
            )
            for section in record.get("sections") or ()
        ),
        remedies=remedies_from_record(remedies),
        other_bodies=tuple(record.get("other_bodies") or ()),
        legislation=tuple(record.get("legislation") or ()),
        warnings=tuple(record.get("parse_warnings") or ()),
        url=record.get("url") or None,
        category_known=bool(subcategory and subcategory.get("in_taxonomy")),
    )


def remedies_from_record(remedies: dict[str, Any]) -> Remedies:
    return Remedies(
        payments=tuple(
            Payment(Decimal(p["amount"]), p.get("purpose", ""), p.get("text", ""))
            for p in remedies.get("payments") or ()
        ),
        total=Decimal(remedies.get("total", "0")),
        **{flag: bool(remedies.get(flag)) for flag in REMEDY_FLAGS},
    )


def restored_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record's stored fields that its source, parsed, would not give back: the
    corrections staff made apart from the parse, the review flags, the withdrawal."""
    fields: dict[str, Any] = {
        # Staff may correct these apart from the parse (the admin's form).
        "body_text": record.get("body_text") or "",
        "remedy_total": Decimal(record.get("remedy_total") or "0"),
        "needs_review": bool(record.get("needs_review")),
        "curated_at": timestamp(record.get("curated_at")),
        "curated_fields": list(record.get("curated_fields") or []),
        "source": record.get("source") or "",
    }
    if "truncated" in record:
        fields["truncated"] = bool(record["truncated"])
    if record.get("withdrawn_at"):
        fields["withdrawn_at"] = timestamp(record["withdrawn_at"])
        fields["withdrawal_reason"] = record.get("withdrawal_reason") or ""
    return fields


def iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None

"""The archive's own dump, read back: a record written by `manage.py export_decisions`
(decisions.exports.dump) is imported from its fields, without parsing its source again.

A dump is gzip-compressed JSON lines: first a header record
({"record": "lgsco-decision-dump", "version": 1, "licence": ...}), then one
{"record": "lgsco-decision", "version": 1, ...} a decision (README, "Bulk dump", lists
the fields). The decision's fields become the `ParsedDecision` the parser would have
given; what a parse cannot give (staff corrections, review flags, a withdrawal) comes
back as `Restored`, which the writer applies to the decision it creates. Everything else
is the one pipeline: the same writing, loss rule and captures.

Pure, like decisions.parsing: no Django here.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from decisions.parsing import ParsedDecision, Payment, Remedies, Section

DUMP_HEADER = "lgsco-decision-dump"
DUMP_RECORD = "lgsco-decision"
DUMP_VERSION = 1
# What a record that does not hold what its kind promises raises while being read.
RECORD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, ArithmeticError)


@dataclass(frozen=True)
class Restored:
    """A dumped decision's stored fields that its source, parsed, would not give back:
    corrections staff made apart from the parse, the review flags, the withdrawal. The
    writer sets them on a decision it creates from the record (decisions.importing.writing)."""

    fields: dict[str, Any]


def is_dump_kind(obj: dict[str, Any]) -> bool:
    return obj.get("record") in {DUMP_HEADER, DUMP_RECORD}


def version_problem(obj: dict[str, Any]) -> str | None:
    """Why this reader cannot read the record, if it cannot."""
    version = obj.get("version")
    if version != DUMP_VERSION:
        return (
            f"{obj.get('record')} record of version {version!r}; this archive reads version "
            f"{DUMP_VERSION}"
        )
    return None


def capture_content(capture: dict[str, Any] | None) -> str | bytes:
    """The source as it was captured: text, or its bytes (UTF-8 or base64 in the dump)."""
    if not capture:
        return ""
    text = capture["text"]
    if capture.get("is_text"):
        return text
    if capture.get("encoding") == "base64":
        return base64.b64decode(text)
    return text.encode("utf-8", "surrogatepass")


def parsed_from_dump(record: dict[str, Any]) -> ParsedDecision:
    """The record's fields as the parser's record, as if its source had been parsed."""
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
        remedies=Remedies(
            payments=tuple(
                Payment(Decimal(p["amount"]), p.get("purpose", ""), p.get("text", ""))
                for p in remedies.get("payments") or ()
            ),
            total=Decimal(remedies.get("total", "0")),
            apology=bool(remedies.get("apology")),
            service_improvement=bool(remedies.get("service_improvement")),
            reassessment=bool(remedies.get("reassessment")),
            staff_training=bool(remedies.get("staff_training")),
            already_provided=bool(remedies.get("already_provided")),
        ),
        other_bodies=tuple(record.get("other_bodies") or ()),
        legislation=tuple(record.get("legislation") or ()),
        warnings=tuple(record.get("parse_warnings") or ()),
        url=record.get("url") or None,
        category_known=bool(subcategory and subcategory.get("in_taxonomy")),
    )


def restored_from_dump(record: dict[str, Any]) -> Restored:
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
    return Restored(fields)


def timestamp(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None

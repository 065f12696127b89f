"""The archive's own dump, read back: a record written by `manage.py export_decisions`
(decisions.exports.dump) is imported from its fields, without parsing its source again.

A dump is gzip-compressed JSON lines: first a header record
({"record": "lgsco-decision-dump", "version": 1, "licence": ...}), then one
{"record": "lgsco-decision", "version": 1, ...} a decision (README, "Bulk dump", lists
the fields). The decision's fields become the `ParsedDecision` the parser would have
given (decisions.records, which says a decision's fields once, both ways); what a parse
cannot give (staff corrections, review flags, a withdrawal) comes back as `Restored`,
which the writer applies to the decision it creates. Everything else is the one
pipeline: the same writing, loss rule and captures.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from decisions.records import DUMP_HEADER, DUMP_RECORD, DUMP_VERSION, restored_fields

# What a record that does not hold what its kind promises raises while being read.
RECORD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, ArithmeticError)


@dataclass(frozen=True)
class Restored:
    """A dumped decision's stored fields that its source, parsed, would not give back:
    corrections staff made apart from the parse, the review flags, the withdrawal. The
    writer sets them on a decision it creates from the record (decisions.importing.writing)."""

    fields: dict[str, Any]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Restored:
        return cls(restored_fields(record))


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

"""What happened to each input record, and the run's totals: the import's vocabulary."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from typing import Any

from decisions.importing.dumped import Restored
from decisions.parsing import ParsedDecision

CREATED, UPDATED, UNCHANGED, HELD, FAILED, VALID = (
    "created",
    "updated",
    "unchanged",
    "held",
    "failed",
    "valid",
)
# An ImportRun keeps this many failure reasons and notes; the counts are always exact.
MAX_STORED_FAILURES = 1000
# ... and this many created or updated references for the admin's report.
REPORT_LINKS = 200


@dataclass
class RecordResult:
    """What happened to one input record."""

    source: str
    status: str  # created / updated / unchanged / held / failed / valid (parsed, not written)
    parsed: ParsedDecision | None = None
    error: str = ""
    source_hash: str = ""  # SHA-256 of the raw page, before parsing
    content_hash: str = ""  # SHA-256 of what was parsed from it
    note: str = ""  # e.g. "replaced a staff correction": shown in the admin's report
    # The source as it came, for its capture: compressed in the parse thread.
    raw: bytes = b""
    raw_size: int = 0
    is_text: bool = False
    url: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    # True when the stored decision was kept and this version only captured.
    held: bool = False
    # From a record of the archive's own dump: what a parse would not give back.
    restored: Restored | None = None

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    def as_json(self) -> dict:
        """The `--json` line: a public contract, documented in the README."""
        if not self.ok:
            return {"source": self.source, "ok": False, "error": self.error}
        assert self.parsed is not None
        fields = self.parsed.as_dict()
        line = {
            "source": self.source,
            "ok": True,
            "status": self.status,
            **{key: fields.get(key) for key in JSON_FIELDS},
        }
        if self.note:
            line["note"] = self.note
        return line


JSON_FIELDS = (
    "reference",
    "organisation",
    "category",
    "subcategory",
    "outcome",
    "outcome_wording",
    "outcome_inferred",
    "decision_date",
    "summary",
    "remedies",
)


@dataclass
class ImportTotals:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    changed: list[dict[str, str]] = field(default_factory=list)

    def add(self, result: RecordResult) -> None:
        if result.note and len(self.notes) < MAX_STORED_FAILURES:
            self.notes.append({"source": result.source, "note": result.note})
        if result.status == FAILED:
            self.failed += 1
            if len(self.failures) < MAX_STORED_FAILURES:
                self.failures.append({"source": result.source, "error": result.error})
            return
        if result.status in {CREATED, UPDATED} and len(self.changed) < REPORT_LINKS:
            assert result.parsed is not None
            self.changed.append({"reference": result.parsed.reference, "status": result.status})
        if result.status == CREATED:
            self.created += 1
        elif result.status == UPDATED:
            self.updated += 1
        elif result.status == HELD:
            self.held += 1
        else:
            self.unchanged += 1


def content_hash(parsed: ParsedDecision) -> str:
    """A fingerprint of everything parsed from the page: equal means nothing to update.

    The record is a frozen dataclass of strings, tuples, dates and Decimals, whose repr
    is complete and deterministic (a lone surrogate is written as an escape); hashing
    it is several times cheaper than a sorted JSON dump, which counts at a million
    decisions.
    """
    return hashlib.sha256(repr(parsed).encode()).hexdigest()


def raw_bytes(content: str | bytes) -> bytes:
    """The source's bytes: UTF-8 for text, keeping a lone surrogate ("surrogatepass")
    so that even a broken JSON record is captured and fingerprinted exactly."""
    return content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content


def source_hash(content: str | bytes) -> str:
    """A fingerprint of the page as given, before parsing: equal means the same source."""
    return hashlib.sha256(raw_bytes(content)).hexdigest()


def compress(data: bytes) -> bytes:
    # Level 6 (zlib's default): statements compress about 3:1, cheaply beside parsing.
    return zlib.compress(data, 6)

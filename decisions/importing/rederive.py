"""Re-deriving stored remedies when the remedy rules change, through the one pipeline.

`manage.py reparse_captures` re-parses each decision from its capture; decisions imported
before captures were kept have none. This recomputes each decision's remedies from what
it stores (its summary, sections and outcome: decisions.parsing.decision_remedies) and
hands the result to `run_import` as a record of the archive's own kind (the dump's,
decisions.importing.dumped): the record's fields are the parse, with the new remedies. So
the pipeline's rules hold: the content hash is the hash of the record as written, an
unchanged result writes nothing, every write moves the archive's generation, and the run
is recorded (origin "rederive") with its counts.

A decision a person corrected in the admin (curated_at set) is left alone, as a re-import
of its unchanged page would leave it: its remedies are re-derived when its page changes,
or by the person. So is one whose stored remedies are already what the rules give.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from decisions.importing.sources import SourceFailure, SourceRecord
from decisions.models import Decision
from decisions.parsing import Section, decision_remedies
from decisions.records import DUMP_RECORD, DUMP_VERSION, published_fields

CHUNK = 500


@dataclass(frozen=True)
class RemedyChange:
    """What re-deriving changes in one decision's remedies, for the report."""

    reference: str
    before: dict[str, Any]
    after: dict[str, Any]

    def describe(self) -> str:
        parts = []
        before_payments = [_payment(p) for p in self.before.get("payments") or ()]
        after_payments = [_payment(p) for p in self.after.get("payments") or ()]
        if before_payments != after_payments:
            parts.append(
                f"payments {', '.join(before_payments) or 'none'} -> "
                f"{', '.join(after_payments) or 'none'}"
            )
        if self.before.get("total") != self.after.get("total"):
            parts.append(f"total £{self.before.get('total', '0.00')} -> £{self.after['total']}")
        for flag, value in self.after.items():
            if isinstance(value, bool) and bool(self.before.get(flag)) != value:
                parts.append(f"{flag} {'set' if value else 'cleared'}")
        return f"{self.reference}: {'; '.join(parts) or 'stored form only'}"


def _payment(payment: dict[str, Any]) -> str:
    purpose = payment.get("purpose") or ""
    return f"£{payment.get('amount')}" + (f" ({purpose})" if purpose else "")


@dataclass
class Rederivation:
    """The records to re-import, made a chunk at a time, and what the scan found."""

    examined: int = 0
    kept_corrected: int = 0
    already_current: int = 0
    # Each record's change, by reference, until the run reports its result (pop it then):
    # only the records between the scan and the writer are held, not a million.
    changes: dict[str, str] = field(default_factory=dict)

    def records(self) -> Iterator[SourceRecord | SourceFailure]:
        """Each decision whose remedies the rules now give differently, as a record for
        `run_import`, in id order. The pipeline reads them in its parse-ahead thread, so
        the query runs on that thread's own connection, closed when they run out."""
        decisions = Decision.objects.select_related("organisation", "category__parent").order_by(
            "pk"
        )
        try:
            for decision in decisions.iterator(chunk_size=CHUNK):
                self.examined += 1
                if decision.curated_at is not None:
                    # The curation rule: a correction survives until the page changes.
                    self.kept_corrected += 1
                    continue
                try:
                    after = rederived(decision)
                except (AttributeError, TypeError, ValueError) as error:
                    # Sections edited into another shape in the admin: that decision fails.
                    yield SourceFailure(
                        f"decision {decision.pk} ({decision.reference})",
                        f"its stored sections cannot be read as [{{heading, paragraphs}}]: "
                        f"{error!r}",
                    )
                    continue
                if after == (decision.remedies or {}):
                    self.already_current += 1
                    continue
                self.changes[decision.reference] = RemedyChange(
                    decision.reference, decision.remedies or {}, after
                ).describe()
                yield SourceRecord(
                    f"decision {decision.pk} ({decision.reference})",
                    "",
                    url=decision.url or None,
                    dumped=stored_record(decision, after),
                )
        finally:
            connection.close()


def rederived(decision: Decision) -> dict[str, Any]:
    """The stored decision's remedies as the current rules derive them (as stored)."""
    sections = [
        Section(
            section.get("heading", ""),
            tuple(section.get("paragraphs", ())),
            tuple(section.get("markers", ())),
        )
        for section in decision.sections or ()
    ]
    return decision_remedies(decision.summary, sections, decision.outcome).as_dict()


def stored_record(decision: Decision, remedies: dict[str, Any]) -> dict[str, Any]:
    """The decision as a record of the archive's own kind (decisions.records), with these
    remedies: what the pipeline writes back. The dump's own fields, so the two never
    drift apart; no captured page (the stored fields are the parse); no content hash: the
    pipeline computes it from the record; staff corrections and flags come back as they
    were."""
    return {
        "record": DUMP_RECORD,
        "version": DUMP_VERSION,
        **published_fields(decision),
        "remedies": remedies,
        "remedy_total": remedies["total"],
        "content_hash": "",
        "capture": None,
    }

"""Captures: one record of every source that came in, linked to its decision.

Written in the batch's own transaction, so a decision and its captures commit
together. The same bytes for the same decision are one capture however often they
are imported (ON CONFLICT DO NOTHING on `capture_unique_source`).
"""

from __future__ import annotations

from decisions.importing.bulk_insert import bulk_insert
from decisions.importing.results import FAILED, RecordResult
from decisions.importing.storable import storable_json
from decisions.models import Capture, Decision, ImportRun

# Keys a scraper record may carry that hold a harvested page's response headers.
HEADER_KEYS = ("headers", "response_headers")


def captures_for(results: list[RecordResult], run: ImportRun) -> None:
    """Store a capture for each written or held result of one batch."""
    kept = [r for r in results if r.status != FAILED and r.parsed is not None and r.raw]
    if not kept:
        return
    references = {r.parsed.reference for r in kept if r.parsed}
    pks = dict(Decision.objects.filter(reference__in=references).values_list("reference", "pk"))
    rows = []
    for result in kept:
        assert result.parsed is not None
        pk = pks.get(result.parsed.reference)
        if pk is None:
            continue
        metadata = {k: v for k, v in result.provenance.items() if k not in HEADER_KEYS}
        headers = next(
            (v for k in HEADER_KEYS if isinstance(v := result.provenance.get(k), dict)), {}
        )
        rows.append(
            Capture(
                decision_id=pk,
                run_id=run.pk,
                origin=run.origin,
                source=result.source[:1000],
                url=(result.url or result.parsed.url or "")[:1000],
                sha256=result.source_hash,
                raw=result.raw,
                raw_size=result.raw_size,
                is_text=result.is_text,
                metadata=storable_json(metadata),
                headers=storable_json(headers),
                held=result.held,
                note=result.note,
            )
        )
    bulk_insert(rows, ignore_conflicts=True)

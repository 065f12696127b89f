"""Fetching decision pages and importing them through the one pipeline (the third door).

A 200 becomes a SourceRecord carrying its URL, and its response headers as provenance,
so the pipeline keeps the raw page and the headers as the decision's capture
(decisions.importing.captures). The 200s are imported as they come, a few at a time
(`PageImporter`, HARVEST_IMPORT_BATCH): a run interrupted part-way keeps what it fetched,
and only a batch of pages waits in memory. A 304 costs nothing. A 404 or 410 marks the
decision as no longer published only when it is the decision's own known address
(`source_life.known_address`): a listing's broken link says nothing about the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from decisions.harvesting import source_life
from decisions.harvesting.client import (
    Disallowed,
    Fetched,
    FetchFailed,
    HarvestClient,
    Validators,
)
from decisions.harvesting.recording import RunRecord
from decisions.importing.pipeline import run_import
from decisions.importing.results import RecordResult
from decisions.importing.sources import SourceRecord
from decisions.models import Decision, ImportRun


@dataclass(frozen=True)
class PageToFetch:
    url: str
    reference: str  # as the address gives it
    decision: Decision | None  # the archive's, when it has it
    listed: bool  # found in a listing (else checked by check_sources)


@dataclass
class PageImporter:
    """The fetched pages, imported `batch` at a time as they come; the run's record
    saved after each batch, so its counts are true even if the process dies."""

    record: RunRecord
    client: HarvestClient
    label: str
    batch: int
    waiting: list[tuple[PageToFetch, Fetched]] = field(default_factory=list)
    handled: int = 0

    def add(self, page: PageToFetch, fetched: Fetched) -> None:
        self.waiting.append((page, fetched))
        if len(self.waiting) >= self.batch:
            self.flush()

    def handled_one(self) -> None:
        """A page's answer dealt with: the record is saved every batch of them, so the
        304s and failures of a long run are counted as it goes, too."""
        self.handled += 1
        if self.handled % self.batch == 0:
            self.record.save(self.client)

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, []
        import_pages(waiting, self.record, self.label)
        self.record.save(self.client)


def fetch_pages(
    client: HarvestClient, pages: Iterable[PageToFetch], record: RunRecord, importer: PageImporter
) -> None:
    """Fetch each page; hand the 200s to `importer` (the caller flushes it at the end).
    Updates the source life of the 304s and the gone ones at once (unless a dry run)."""
    for page in pages:
        importer.handled_one()
        validators = source_life.validators_of(page.decision)
        try:
            fetched = client.get(page.url, validators or Validators())
        except Disallowed:
            record.run.disallowed += 1
            continue
        except FetchFailed as error:
            record.failure(page.url, str(error))
            continue
        if fetched.status == 200:
            record.run.pages_fetched += 1
            importer.add(page, fetched)
        elif fetched.not_modified and page.decision is not None:
            record.run.not_modified += 1
            if not record.dry_run:
                source_life.seen(page.decision.pk, fetched, listed=page.listed)
        elif fetched.gone and page.decision is not None:
            gone(page, page.decision, fetched, record)
        elif not fetched.gone:
            record.failure(page.url, f"HTTP {fetched.status}")


def gone(page: PageToFetch, decision: Decision, fetched: Fetched, record: RunRecord) -> None:
    """A 404 or 410 for a decision the archive has: removed at the source if that was its
    own address; otherwise a failure, and what the archive knows of it stays as it was."""
    known = source_life.known_address(decision)
    if not source_life.same_page(page.url, known):
        record.failure(
            page.url,
            f"HTTP {fetched.status} for a link to {decision.reference}, whose own address "
            f"is {known or 'not known'}: not taken as removed",
        )
        return
    if record.dry_run or source_life.gone(
        decision.pk, known, f"HTTP {fetched.status}", fetched.fetched_at
    ):
        record.run.removed_at_source += 1


def import_pages(
    fetched_pages: list[tuple[PageToFetch, Fetched]], record: RunRecord, label: str
) -> None:
    """Import the fetched pages in one pipeline run, then record where each was seen."""
    if not fetched_pages:
        return
    results: dict[str, RecordResult] = {}
    imported = run_import(
        (as_source_record(fetched) for _, fetched in fetched_pages),
        origin=ImportRun.Origin.HARVEST,
        sources=[label],
        dry_run=record.dry_run,
        on_result=lambda result: results.__setitem__(result.source, result),
    )
    record.add_import(imported)
    references = {
        result.parsed.reference for result in results.values() if result.ok and result.parsed
    }
    decisions = source_life.known(references) if not record.dry_run else {}
    for page, fetched in fetched_pages:
        result = results.get(fetched.url)
        if result is None or not result.ok or result.parsed is None:
            error = result.error if result is not None else "not imported"
            record.failure(fetched.url, f"could not import the page: {error}")
            continue
        decision = decisions.get(result.parsed.reference)
        if decision is not None:
            source_life.seen(decision.pk, fetched, listed=page.listed)


# Response headers not kept with a capture: a session the site handed out is no part
# of the page, and none of the archive's business.
UNKEPT_HEADERS = frozenset({"set-cookie"})


def as_source_record(fetched: Fetched) -> SourceRecord:
    headers = {k: v for k, v in fetched.headers.items() if k not in UNKEPT_HEADERS}
    return SourceRecord(
        fetched.url,
        fetched.body,
        url=fetched.url,
        provenance={
            "headers": headers,
            "fetched_at": fetched.fetched_at.isoformat(),
            "status": fetched.status,
        },
    )

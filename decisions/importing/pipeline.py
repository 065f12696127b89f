"""The import pipeline: parse, validate, upsert, report. One pipeline, three doors.

The `import_decisions` command, the admin upload (through the task queue) and the
harvester all call `run_import()`. Records are parsed one by one, ahead of the writer
(decisions.importing.parse_ahead), and written in batches, a transaction each
(decisions.importing.writing): a run killed mid-way leaves whole batches, its counts say what
it committed, and running it again completes it. Re-importing an unchanged page is
a no-op (same content hash).

Nothing about one record can stop the others: any exception while reading, parsing
or checking a record becomes that record's failure (`parse_record`), what the
database would refuse is found before writing (decisions.importing.storable), and a batch the
database refuses all the same is retried one record at a time. Only losing the
database itself stops a run, which is then marked interrupted.

Curation: a decision staff corrected in the admin (`curated_at` set) is left alone by
a re-import unless the source page itself changed, i.e. both its raw text
(`source_hash`) and what is parsed from it (`content_hash`) differ from the import the
correction was made on. A changed page replaces the correction, clears `curated_at`
and `curated_fields`, and flags the decision for review. Withdrawal is never touched.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from config.postgresql import bounded_transaction
from decisions.importing.classifying import Foresight, classify
from decisions.importing.dumped import RECORD_ERRORS, Restored
from decisions.importing.parse_ahead import parsed_batches
from decisions.importing.results import (
    FAILED,
    VALID,
    ImportTotals,
    RecordResult,
    compress,
    content_hash,
    raw_bytes,
    source_hash,
)
from decisions.importing.sources import SourceFailure, SourceRecord
from decisions.importing.storable import (
    make_storable,
    storable_json,
    storable_text,
    unstorable_reason,
)
from decisions.importing.writing import DatabaseUnavailable, DecisionWriter
from decisions.models import ImportRun
from decisions.parsing import ParsedDecision, ParseError, parse_decision
from decisions.records import DUMP_RECORD, parsed_from_record

if TYPE_CHECKING:  # the settings' AUTH_USER_MODEL, for annotations only
    from django.contrib.auth.models import User

__all__ = [
    "BATCH_SIZE",
    "ImportInterrupted",
    "mark_interrupted_runs",
    "parse_record",
    "run_import",
]

BATCH_SIZE = 500
logger = logging.getLogger("decisions.importing")
# A progress line at most this often, however fast the batches go.
PROGRESS_LOG_SECONDS = 10


class ImportInterrupted(Exception):
    """The run stopped before its end; what it committed stays, a re-run completes it."""


def parse_record(item: SourceRecord | SourceFailure) -> RecordResult:
    """Parse one record; any problem becomes a failed result, never an exception."""
    source = storable_text(str(getattr(item, "source", "?")))[0]
    if isinstance(item, SourceFailure):
        return RecordResult(source, FAILED, error=storable_text(item.error)[0])
    try:
        return _parse(item, source)
    except Exception as error:  # a bug must cost one record, never the run
        return RecordResult(source, FAILED, error=f"unexpected error: {error!r}")


def _parse(item: SourceRecord, source: str) -> RecordResult:
    if getattr(item, "dumped", None) is not None:  # a record of our own dump
        return _restore(item, source)
    raw = raw_bytes(item.content)
    digest = source_hash(raw)
    try:
        parsed = parse_decision(item.content, url=item.url)
    except ParseError as error:
        return RecordResult(source, FAILED, error=str(error), source_hash=digest)
    except Exception as error:  # a parser bug must not stop the other files
        return RecordResult(
            source, FAILED, error=f"unexpected parser error: {error!r}", source_hash=digest
        )
    return _checked(item, source, parsed, raw, digest, None, None)


def _restore(item: SourceRecord, source: str) -> RecordResult:
    """A record of the archive's own dump: its fields are the parse (decisions.importing.dumped)."""
    record = item.dumped
    assert record is not None
    try:
        parsed, restored = parsed_from_record(record), Restored.from_record(record)
        stored_hash = str(record.get("content_hash") or "")
    except RECORD_ERRORS as error:
        return RecordResult(source, FAILED, error=f"not a valid {DUMP_RECORD} record: {error!r}")
    raw = raw_bytes(item.content)
    # No capture in the dump (a decision imported before captures were kept): none here.
    digest = source_hash(raw) if raw else str(record.get("source_hash") or "")
    # The stored hash, not one of the fields as dumped: it is the hash of the page as
    # parsed, whatever staff corrected since, so the curation rule judges a later
    # import of that page as it would have in the archive the dump came from.
    return _checked(item, source, parsed, raw, digest, stored_hash, restored)


def _checked(
    item: SourceRecord,
    source: str,
    parsed: ParsedDecision,
    raw: bytes,
    digest: str,
    stored_hash: str | None,
    restored: Restored | None,
) -> RecordResult:
    parsed = make_storable(parsed)
    if reason := unstorable_reason(parsed):
        return RecordResult(source, FAILED, error=f"cannot be stored: {reason}", source_hash=digest)
    return RecordResult(
        source,
        VALID,
        parsed=parsed,
        source_hash=digest,
        content_hash=stored_hash or content_hash(parsed),
        raw=compress(raw) if raw else b"",
        raw_size=len(raw),
        is_text=isinstance(item.content, str),
        url=item.url or "",
        provenance=item.provenance,
        restored=restored,
    )


def run_import(
    items: Iterable[SourceRecord | SourceFailure],
    *,
    origin: str = ImportRun.Origin.COMMAND,
    sources: list[str] | None = None,
    user: User | None = None,
    dry_run: bool = False,
    on_result: Callable[[RecordResult], None] | None = None,
    batch_size: int = BATCH_SIZE,
    source_of: Callable[[RecordResult], str] | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import every record in `items` and record the run. Never raises for bad input.

    `on_result` is called once per input record, in input order, after its batch
    is written: the command uses it for progress and for `--json` output.
    `run` is an ImportRun the caller made already (the admin saves one to queue it);
    the other arguments then go unused. A dry run of the command writes nothing, not
    even its own record; a queued dry run updates only its record.

    Raises ImportInterrupted if the database goes away mid-run (the run is marked
    interrupted, when the database lets it be), and re-raises anything that stops the
    process (Ctrl-C), after marking the run interrupted.
    """
    if run is None:
        run = ImportRun(origin=origin, started_by=user, dry_run=dry_run, sources=sources or [])
    recorded = not run.dry_run or run.pk is not None
    tracker = RunTracker(run, recorded)
    tracker.start()
    writer = DecisionWriter(run, source_of)
    foresight = Foresight() if run.dry_run else None
    try:
        after = settings.IMPORT_PARSE_PROCESS_AFTER
        process_after = after if after >= 0 else None
        for results in parsed_batches(items, parse_record, batch_size, process_after=process_after):
            if foresight is not None:
                foresee(results, foresight)
            else:
                writer.write(results)
            for result in results:
                tracker.totals.add(result)
                if on_result is not None:
                    on_result(result)
            tracker.batch_done()
        tracker.finish()
    except DatabaseUnavailable as error:
        tracker.interrupt(str(error))
        raise ImportInterrupted(
            f"import {run.pk or ''} interrupted after {run.processed:,} records: {error}. "
            "Every batch before it is saved; run the same import again to complete it."
        ) from error
    except BaseException as error:
        tracker.interrupt(f"stopped by {error!r}")
        raise
    finally:
        if foresight is not None:
            foresight.close()
    return run


class RunTracker:
    """Keeps the run's record current: counts saved after each batch commits (so a run
    that dies says what it committed), a heartbeat, and the log lines."""

    def __init__(self, run: ImportRun, recorded: bool) -> None:
        self.run, self.recorded = run, recorded
        self.totals = ImportTotals()
        self.started = self.last_log = time.monotonic()

    def start(self) -> None:
        if self.recorded:
            mark_interrupted_runs()
            self.run.status = ImportRun.Status.RUNNING
            self.run.heartbeat_at = timezone.now()
            self.run.sources = storable_json(self.run.sources)
            self.run.save()
        logger.info(
            "import started",
            extra={"run": self.run.pk, "origin": self.run.origin, "dry_run": self.run.dry_run},
        )

    def _copy_totals(self) -> None:
        run, totals = self.run, self.totals
        run.created, run.updated, run.unchanged = totals.created, totals.updated, totals.unchanged
        run.held, run.failed = totals.held, totals.failed
        run.failures = storable_json(totals.failures)
        run.notes = storable_json(totals.notes)
        run.changed = totals.changed

    def _save(self, *extra: str) -> None:
        """Save the run's counts; DatabaseUnavailable if the database cannot take them.

        Bounded like a batch: the run's row locked elsewhere (an admin's edit) or a frozen
        server must fail the run, saying so, not hang it after its batch committed (a
        command has no statement timeout of its own)."""
        self.run.heartbeat_at = timezone.now()
        try:
            with bounded_transaction(
                statement_timeout_ms=settings.DB_BATCH_STATEMENT_TIMEOUT_MS,
                lock_timeout_ms=settings.DB_BATCH_LOCK_TIMEOUT_MS,
            ):
                self.run.save(update_fields=[*COUNT_FIELDS, "heartbeat_at", *extra])
        except DatabaseError as error:
            if not connection.is_usable():
                connection.close()  # the next use reconnects (a re-run)
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise DatabaseUnavailable(
                f"the database did not take the run's progress: {reason}"
            ) from error

    def batch_done(self) -> None:
        self._copy_totals()
        if self.recorded:
            self._save()
        now = time.monotonic()
        if now - self.last_log >= PROGRESS_LOG_SECONDS:
            self.last_log = now
            logger.info("import progress", extra=self.log_fields())

    def finish(self) -> None:
        self._copy_totals()
        self.run.status = ImportRun.Status.FINISHED
        self.run.finished_at = timezone.now()
        if self.recorded:
            self._save("status", "finished_at")
        logger.info("import finished", extra=self.log_fields())

    def interrupt(self, reason: str) -> None:
        self._copy_totals()
        self.run.status = ImportRun.Status.INTERRUPTED
        self.run.error = storable_text(reason)[0]
        logger.error("import interrupted", extra={**self.log_fields(), "error": reason})
        if not self.recorded:
            return
        # If the database is gone, the next run's start marks this one by its heartbeat.
        with contextlib.suppress(DatabaseUnavailable):
            self._save("status", "error")

    def log_fields(self) -> dict[str, object]:
        run = self.run
        # Prefixed: "created" and the like are LogRecord attributes already.
        return {
            "run": run.pk,
            "records": run.processed,
            "records_created": run.created,
            "records_updated": run.updated,
            "records_unchanged": run.unchanged,
            "records_held": run.held,
            "records_failed": run.failed,
            "seconds": round(time.monotonic() - self.started, 1),
        }


COUNT_FIELDS = [
    "created",
    "updated",
    "unchanged",
    "held",
    "failed",
    "failures",
    "notes",
    "changed",
]


def mark_interrupted_runs() -> int:
    """Mark runs whose process died (no heartbeat for IMPORT_STALE_AFTER_SECONDS) as
    interrupted; returns how many. Called as a run starts and by the admin's pages."""
    stale_since = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    return ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, heartbeat_at__lt=stale_since
    ).update(
        status=ImportRun.Status.INTERRUPTED,
        error="the importing process stopped without finishing (its heartbeat stopped); "
        "the counts are what it committed. Run the import again to complete it.",
    )


def foresee(results: list[RecordResult], foresight: Foresight) -> None:
    """Say what a real run would do with one batch, writing nothing: the real run's
    classifier, over the database as the earlier batches would have left it."""
    valid = [r for r in results if r.status == VALID and r.parsed]
    if valid:
        plan = classify(valid, foresight, dry_run=True)
        plan.record()
        foresight.apply(plan)

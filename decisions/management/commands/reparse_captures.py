"""`manage.py reparse_captures`: re-derive every decision from its stored capture.

After a parser improvement, this re-parses each decision's best capture (the source
its fields came from) with the current parser, through the same import pipeline, so
no original file is needed. The pipeline's rules hold: an unchanged result writes
nothing, a staff correction of an unchanged source is kept, and an update that would
lose information is held for review.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import F

from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord
from decisions.models import Capture, ImportRun

CHUNK = 500


def best_captures() -> Iterator[SourceRecord]:
    """Each decision's best capture as a record to parse, in id order, a chunk at a time.

    The pipeline reads its records in its parse-ahead thread, so this query runs on that
    thread's own connection, closed when the records run out.
    """
    captures = Capture.objects.filter(sha256=F("decision__source_hash")).order_by("pk")
    try:
        for capture in captures.iterator(chunk_size=CHUNK):
            yield SourceRecord(
                f"capture {capture.pk} ({capture.source})",
                capture.content(),
                url=capture.url or None,
                provenance=capture.metadata,
            )
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Re-parse every decision from its stored capture with the current parser."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")

    def handle(self, *args: str, **options: Any) -> None:
        run = run_import(
            best_captures(),
            origin=ImportRun.Origin.REPARSE,
            sources=["captures"],
            dry_run=options["dry_run"],
        )
        self.stdout.write(
            f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.failed} failed, {run.held} held for review ({run.processed} captures)"
        )

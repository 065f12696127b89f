"""`manage.py import_decisions PATH...`: a thin shell over decisions.importing."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.importing.pipeline import BATCH_SIZE, ImportInterrupted, run_import
from decisions.importing.progress import Progress, estimate_total
from decisions.importing.results import RecordResult
from decisions.importing.sources import SUPPORTED_SUFFIXES, ImportLimits, iter_sources


class Command(BaseCommand):
    help = (
        "Import LGSCO decision pages from files and folders (recursively): page text (.txt), "
        "saved pages (.html/.htm), scraper records (.jsonl, or .json holding a list) and .zip "
        "archives of these, each also gzipped (.gz); '-' reads JSON lines from standard input. "
        "Re-importing is a no-op."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files, folders, or '-' for stdin.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and validate; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object per input record on stdout (see README).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar or progress lines."
        )

    def handle(self, *args: str, paths: list[str], **options: Any) -> None:
        as_json: bool = options["json"]
        # Machine-readable output owns stdout; everything for people goes to stderr then.
        report = self.stderr if as_json else self.stdout
        progress = None
        if not options["no_progress"]:
            # The raw stream under Django's OutputWrapper, which would end every write
            # with a newline and break the bar's carriage returns.
            stream = getattr(self.stderr, "_out", sys.stderr)
            tty = stream.isatty()
            progress = Progress(stream, total=estimate_total(paths) if tty else None, tty=tty)

        def on_result(result: RecordResult) -> None:
            if as_json:
                sys.stdout.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
            if progress is not None:
                progress.advance(failed=not result.ok)

        started = time.monotonic()
        try:
            run = run_import(
                iter_sources(paths, ImportLimits.from_settings(settings)),
                sources=[str(Path(p)) if p != "-" else "<stdin>" for p in paths],
                dry_run=options["dry_run"],
                on_result=on_result,
                batch_size=options["batch_size"],
            )
        except ImportInterrupted as error:
            raise CommandError(str(error)) from error
        if progress is not None:
            progress.finish()
        elapsed = time.monotonic() - started
        processed = run.processed

        for failure in run.failures:
            report.write(self.style.ERROR(f"FAILED {failure['source']}: {failure['error']}"))
        if run.failed > len(run.failures):
            report.write(f"... and {run.failed - len(run.failures)} more failures")
        prefix = "Dry run (nothing written): " if options["dry_run"] else ""
        report.write(
            f"{prefix}{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.failed} failed, {run.held} held for review "
            f"({processed} records in {elapsed:.1f}s)"
        )
        for note in run.notes:
            report.write(self.style.WARNING(f"NOTE {note['source']}: {note['note']}"))
        if processed == 0:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise CommandError(
                f"No decision files found in {', '.join(paths)} (looked for {kinds})."
            )
        if run.failed:
            raise CommandError(f"{run.failed} of {processed} records failed.")

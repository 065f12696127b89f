"""`manage.py rederive_remedies`: recompute every decision's remedies with the current rules.

When the remedy rules change (decisions/parsing/remedies.py, money_roles.py,
remedy_purposes.py), this recomputes each stored decision's remedies and remedy_total
from its stored summary, sections and outcome, a chunk at a time, and writes the changed
ones through the import pipeline (decisions.importing.rederive). It needs no capture, so
it also serves decisions imported before captures were kept; `reparse_captures` re-parses
every field from the captures instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from decisions.importing.pipeline import run_import
from decisions.importing.rederive import Rederivation
from decisions.importing.results import UPDATED, RecordResult
from decisions.models import ImportRun


class Command(BaseCommand):
    help = "Recompute every decision's remedies from its stored text with the current rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report; write nothing.")
        parser.add_argument(
            "--quiet", action="store_true", help="Only the summary, not each changed decision."
        )

    def handle(self, *args: str, **options: Any) -> None:
        rederivation = Rederivation()
        dry_run, quiet = options["dry_run"], options["quiet"]

        def report(result: RecordResult) -> None:
            change = (
                rederivation.changes.pop(result.parsed.reference, None) if result.parsed else None
            )
            if result.status == UPDATED and change is not None and not quiet:
                self.stdout.write(change)
            elif result.error:
                self.stderr.write(f"{result.source}: {result.error}")

        run = run_import(
            rederivation.records(),
            origin=ImportRun.Origin.REDERIVE,
            sources=["stored decisions"],
            dry_run=dry_run,
            on_result=report,
        )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{rederivation.examined} decisions examined: remedies {verb} in {run.updated}, "
            f"already current in {rederivation.already_current + run.unchanged}, "
            f"{rederivation.kept_corrected} corrected by staff and left alone, "
            f"{run.held} held for review, {run.failed} failed"
        )

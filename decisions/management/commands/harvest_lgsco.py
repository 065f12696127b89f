"""`manage.py harvest_lgsco`: a thin shell over decisions.harvesting.harvest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.harvesting.client import HarvestStopped
from decisions.harvesting.harvest import Harvester
from decisions.harvesting.options import HarvestOptions
from decisions.harvesting.recording import Terminated, sigterm_raises, summary
from decisions.models import HarvestRun


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Import new and changed decision statements from the LGSCO's website: walk its "
        "listings by decision date, politely (robots.txt, HARVEST_DELAY_SECONDS between "
        "requests, conditional requests), through the import pipeline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", help="First decision date (YYYY-MM-DD); default HARVEST_HISTORY_DAYS ago."
        )
        parser.add_argument("--until", help="Last decision date (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--base-url", help=f"The site to walk (a mirror); default {settings.HARVEST_BASE_URL}."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Fetch and parse; write nothing."
        )

    def handle(self, *args: str, **options: Any) -> None:
        since = iso_date(options["since"]) if options["since"] else None
        until = iso_date(options["until"]) if options["until"] else None
        if since and until and since > until:
            raise CommandError(f"--since {since} is after --until {until}")
        harvest_options = HarvestOptions.from_settings(settings, base_url=options["base_url"])
        harvester = Harvester(harvest_options, dry_run=options["dry_run"])
        try:
            with sigterm_raises():
                run = harvester.run(since, until)
        except HarvestStopped as error:
            raise CommandError(f"Harvest stopped: {error}") from error
        except Terminated:
            raise CommandError("Harvest stopped by SIGTERM (its run records what it did)") from None
        report(self, run, options["dry_run"])


def report(command: BaseCommand, run: HarvestRun, dry_run: bool) -> None:
    for failure in run.failures:
        command.stdout.write(command.style.ERROR(f"FAILED {failure['url']}: {failure['error']}"))
    prefix = "Dry run (nothing written): " if dry_run else ""
    command.stdout.write(prefix + summary(run))
    if run.error:
        command.stdout.write(run.error)

"""`manage.py check_sources`: a thin shell over decisions.harvesting.checking."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.harvesting.checking import check_sources
from decisions.harvesting.client import HarvestStopped
from decisions.harvesting.options import HarvestOptions
from decisions.harvesting.recording import Terminated, sigterm_raises
from decisions.management.commands.harvest_lgsco import report


class Command(BaseCommand):
    help = (
        "Re-check stored decisions' pages at the source, oldest-checked first, within a "
        "request budget: mark those no longer published (404, 410) and complete "
        "incomplete copies while the source still has them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=7,
            metavar="DAYS",
            help="Check decisions not checked in the last DAYS days (default 7), or never.",
        )
        parser.add_argument(
            "--budget",
            type=int,
            default=settings.CHECK_SOURCES_BUDGET,
            help="Requests this run may make (default CHECK_SOURCES_BUDGET, "
            f"{settings.CHECK_SOURCES_BUDGET}).",
        )
        parser.add_argument(
            "--base-url", help=f"The site to ask (a mirror); default {settings.HARVEST_BASE_URL}."
        )
        parser.add_argument("--dry-run", action="store_true", help="Fetch; write nothing.")

    def handle(self, *args: str, **options: Any) -> None:
        if options["older_than"] < 0 or options["budget"] < 1:
            raise CommandError("--older-than must be 0 or more, and --budget 1 or more")
        harvest_options = HarvestOptions.from_settings(settings, base_url=options["base_url"])
        try:
            with sigterm_raises():
                run = check_sources(
                    harvest_options,
                    older_than_days=options["older_than"],
                    budget=options["budget"],
                    dry_run=options["dry_run"],
                )
        except HarvestStopped as error:
            raise CommandError(f"Source check stopped: {error}") from error
        except Terminated:
            raise CommandError(
                "Source check stopped by SIGTERM (its run records what it did)"
            ) from None
        report(self, run, options["dry_run"])

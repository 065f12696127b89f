"""`manage.py export_decisions [--since DATE] [--include-withdrawn] PATH`: the bulk dump
(decisions.exports.dump)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from decisions.exports.dump import dumped_decisions, header, write_dump


def day(text: str) -> datetime.datetime:
    """The start of the day YYYY-MM-DD, in the site's time zone."""
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--since takes a date as YYYY-MM-DD, not {text!r}") from error
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


class Command(BaseCommand):
    help = (
        "Write the archive as gzip-compressed JSON lines (.jsonl.gz) of versioned "
        "'lgsco-decision' records, which import_decisions reads back without re-parsing. "
        "Withdrawn decisions are left out unless --include-withdrawn is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The file to write, e.g. decisions.jsonl.gz.")
        parser.add_argument(
            "--since",
            help="Only the decisions changed (updated_at) on or after this date, YYYY-MM-DD.",
        )
        parser.add_argument(
            "--include-withdrawn",
            action="store_true",
            help="Staff only: include withdrawn decisions, with when and why they were "
            "withdrawn. Never publish such a file.",
        )

    def handle(
        self,
        *args: object,
        path: str,
        since: str | None,
        include_withdrawn: bool,
        **options: object,
    ) -> None:
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"no such folder: {target.parent}")
        start = day(since) if since else None
        count = write_dump(
            target,
            dumped_decisions(start, include_withdrawn),
            header(start, include_withdrawn),
        )
        what = "decisions" + (" (withdrawn ones included)" if include_withdrawn else "")
        changed = f" changed since {since}" if since else ""
        self.stdout.write(f"Wrote {count:,} {what}{changed} to {target}.")

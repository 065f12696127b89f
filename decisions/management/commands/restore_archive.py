"""`manage.py restore_archive FILE` (`make restore BACKUP=FILE`): replace the archive
with a backup made by backup_archive (decisions/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from decisions.backups import BackupError, read_manifest, restore
from decisions.search import syncing


class Command(BaseCommand):
    help = "Replace the archive (its database and uploaded files) with a backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="A tar file written by backup_archive.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask first."
        )

    def handle(self, *args: Any, backup: str, interactive: bool, **options: Any) -> None:
        path = Path(backup)
        try:
            manifest = read_manifest(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = settings.DATABASES["default"]["NAME"]
        summary = (
            f"{manifest['decisions']:,} decisions, {manifest['captures']:,} captures and"
            f" {manifest['files']:,} files of {manifest['made_at']}"
        )
        if interactive:
            answer = input(f"Replace everything in database {database!r} with {summary}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            restore(path)
        except BackupError as error:
            # pg_restore runs in one transaction: a failed one leaves the database as it was.
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {summary} into {database!r}.")
        # The index described the archive before the restore: built again from the one
        # restored. The restored change log names another server's transactions, which
        # this server's snapshots cannot place: the rebuild covers everything in it.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE decisions_searchchange")
        applied = syncing.rebuild()
        self.stdout.write(f"Search index rebuilt: {applied.changed:,} decisions.")

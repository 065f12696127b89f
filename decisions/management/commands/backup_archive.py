"""`manage.py backup_archive FOLDER` (`make backup`): the database and the uploaded
files in one tar file (decisions/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.backups import BackupError, backup, read_manifest


class Command(BaseCommand):
    help = "Back up the archive: pg_dump of the database and the uploaded files, one tar file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default="backups", help="Where to write it.")

    def handle(self, *args: Any, folder: str, **options: Any) -> None:
        try:
            path = backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = read_manifest(path)
        self.stdout.write(
            f"{path}: {manifest['decisions']:,} decisions, {manifest['captures']:,} captures,"
            f" {manifest['files']:,} uploaded files, {path.stat().st_size:,} bytes"
        )

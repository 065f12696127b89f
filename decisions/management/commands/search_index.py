"""`manage.py search_index run|update|rebuild|check|status`: the search index's one writer
per machine, and its upkeep (decisions.search.syncing).

    run      keep the index in step with PostgreSQL: build it if there is none, then
             apply every committed change within SEARCH_INDEX_POLL_SECONDS (make run,
             and a systemd service in production: README, "Deployment")
    update   apply what changed once, and stop
    rebuild  build a fresh index beside the live one from one snapshot, catch up, swap
    check    compare the index with PostgreSQL: ids and content; exit 1 if they differ
    status   the index's lag behind PostgreSQL
"""

from __future__ import annotations

import logging
import resource
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from decisions.search import syncing
from decisions.search.engine import IndexUnavailable

logger = logging.getLogger("decisions.search")
# How long the writer waits after a failure (the database away) before trying again.
RETRY_SECONDS = 5
# The change log is pruned once in this many polls.
PRUNE_EVERY = 7200


class Command(BaseCommand):
    help = "Keep, rebuild or check this machine's search index (see README, 'Search index')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run", "update", "rebuild", "check", "status"])
        parser.add_argument(
            "--threads", type=int, default=0, help="Indexing threads for a rebuild (0: cores)."
        )

    def handle(self, *args: Any, action: str, threads: int, **options: Any) -> None:
        if action == "run":
            self.run()
        elif action == "update":
            applied = syncing.catch_up()
            self.stdout.write(f"Search index up to date: {applied.changed:,} decisions applied.")
        elif action == "rebuild":
            self.rebuild(threads)
        elif action == "check":
            self.check_index()
        else:
            self.status()

    def rebuild(self, threads: int) -> None:
        started = time.monotonic()
        applied = syncing.rebuild(threads=threads)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.stdout.write(
            f"Search index rebuilt: {applied.changed:,} decisions in "
            f"{time.monotonic() - started:.1f} s (peak memory {peak:.0f} MiB), "
            f"in {settings.SEARCH_INDEX_DIR}."
        )

    def check_index(self) -> None:
        try:
            difference = syncing.compare()
        except IndexUnavailable as problem:
            raise CommandError(str(problem)) from problem
        if difference.none:
            self.stdout.write("The search index matches PostgreSQL.")
            return
        for name in ("missing", "extra", "stale"):
            ids = getattr(difference, name)
            if ids:
                shown = ", ".join(str(pk) for pk in ids[:20]) + (" ..." if len(ids) > 20 else "")
                self.stdout.write(f"{name}: {len(ids):,} decisions (ids {shown})")
        raise CommandError(
            "The search index differs from PostgreSQL: run `search_index update`, or "
            "`search_index rebuild` if it still differs."
        )

    def status(self) -> None:
        try:
            behind = syncing.lag()
        except IndexUnavailable as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"{behind.pending:,} decisions behind, {behind.seconds:.1f} s.")

    def run(self) -> None:
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Keeping the search index in {settings.SEARCH_INDEX_DIR} up to date.")
        polls = 0
        while not stopping:
            try:
                applied = syncing.catch_up()
                if applied.changed:
                    logger.info("search index updated", extra={"decisions": applied.changed})
                polls += 1
                if polls % PRUNE_EVERY == 0:
                    syncing.prune()
                wait = settings.SEARCH_INDEX_POLL_SECONDS
            except (DatabaseError, IndexUnavailable, TimeoutError) as problem:
                logger.error("search index not updated: %s", problem)
                close_old_connections()
                wait = RETRY_SECONDS
            time.sleep(wait)

"""A harvest's record (models.HarvestRun): kept current as the run goes, so a run that
dies says what it did; a dry run keeps it in memory only. SIGTERM (a service manager
stopping the command) becomes an exception, `Terminated`, so a stopped run is recorded
as interrupted with its real counts rather than left "running" for the next run to
find."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from decisions.harvesting.client import HarvestClient
from decisions.importing.results import MAX_STORED_FAILURES
from decisions.importing.storable import storable_json, storable_text
from decisions.models import HarvestRun, ImportRun


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, like KeyboardInterrupt: nothing may catch it as
    one more failure and carry on."""


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """SIGTERM raises Terminated in the main thread while this lasts (the commands)."""

    def terminate(signum: int, frame: object) -> None:
        raise Terminated(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class RunRecord:
    def __init__(self, kind: str, base_url: str, *, dry_run: bool) -> None:
        self.run = HarvestRun(kind=kind, base_url=base_url)
        self.dry_run = dry_run
        self.save()

    def save(self, client: HarvestClient | None = None) -> None:
        if client is not None:
            self.run.requests = client.requests
        if not self.dry_run:
            self.run.failures = storable_json(self.run.failures)
            self.run.save()

    def failure(self, url: str, error: str) -> None:
        self.run.failed += 1
        if len(self.run.failures) < MAX_STORED_FAILURES:
            self.run.failures.append({"url": url, "error": storable_text(error)[0]})

    def add_import(self, imported: ImportRun) -> None:
        run = self.run
        run.created += imported.created
        run.updated += imported.updated
        run.unchanged += imported.unchanged + imported.held
        if imported.pk is not None and not self.dry_run:
            run.imports.add(imported)

    def window(self, label: str, status: str, pages: int = 0, listed: int = 0) -> None:
        self.run.windows.append(
            {"window": label, "status": status, "pages": pages, "listed": listed}
        )

    def end(self, status: str, client: HarvestClient | None, error: str = "") -> HarvestRun:
        self.run.status = status
        self.run.error = storable_text(error)[0]
        self.run.finished_at = timezone.now()
        self.save(client)
        return self.run

    def summary(self) -> str:
        return summary(self.run)


def summary(run: HarvestRun) -> str:
    """One line of what a run did, for the commands and the admin."""
    return (
        f"{run.requests} requests: {run.pages_fetched} pages fetched, "
        f"{run.not_modified} not modified (304), {run.disallowed} disallowed by robots.txt; "
        f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
        f"{run.failed} failed, {run.removed_at_source} removed at source"
    )

"""`check_sources`: re-check stored decisions' pages at the source, oldest-checked first,
within a request budget, as politely as the harvester (the same client).

Older decisions drop out of the listings the harvester re-walks, so this is how the
archive learns they were removed (404 or 410). A decision whose stored copy is
incomplete (`truncated`) is fetched in full, without a conditional request, and its
copy completed through the pipeline while the source still publishes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.db.models import F, Q
from django.utils import timezone

from decisions.harvesting.client import BudgetSpent, HarvestClient, HarvestStopped
from decisions.harvesting.exclusive import one_at_a_time
from decisions.harvesting.listings import DECISION_PATH_RE
from decisions.harvesting.options import HarvestOptions
from decisions.harvesting.pages import PageImporter, PageToFetch, fetch_pages
from decisions.harvesting.recording import RunRecord
from decisions.harvesting.source_life import HEAVY
from decisions.models import Decision, HarvestRun


def rebased(url: str, base_url: str) -> str:
    """`url`'s path and query on `base_url`'s site (a mirror, a test server)."""
    parts, base = urlsplit(url), urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def due_for_check(older_than_days: int, limit: int) -> list[Decision]:
    """Decisions with a source address, not known to be gone, not checked in the last
    `older_than_days` days: never checked first, then the oldest-checked."""
    checked_before = timezone.now() - timedelta(days=older_than_days)
    decisions = (
        Decision.objects.exclude(url="")
        .filter(
            Q(source_page__isnull=True)
            | Q(source_page__gone_since__isnull=True)
            & (
                Q(source_page__last_checked_at__isnull=True)
                | Q(source_page__last_checked_at__lt=checked_before)
            )
        )
        .select_related("source_page")
        .defer(*HEAVY)
        .order_by(F("source_page__last_checked_at").asc(nulls_first=True), "id")
    )
    return list(decisions[:limit])


def check_sources(
    options: HarvestOptions, *, older_than_days: int, budget: int, dry_run: bool = False
) -> HarvestRun:
    """Check as many due decisions as `budget` requests allow. Raises HarvestStopped,
    after recording the run, when it could not go on."""
    if dry_run:
        return _check(options, older_than_days, budget, dry_run)
    with one_at_a_time(HarvestRun.Kind.CHECK):
        return _check(options, older_than_days, budget, dry_run)


def _check(options: HarvestOptions, older_than_days: int, budget: int, dry_run: bool) -> HarvestRun:
    record = RunRecord(HarvestRun.Kind.CHECK, options.base_url, dry_run=dry_run)
    client = HarvestClient(options, budget=budget)
    note = ""
    importer = PageImporter(
        record, client, f"{options.base_url} source check", options.import_batch
    )
    try:
        with client:
            client.read_robots()
            try:
                pages = pages_to_check(options, older_than_days, budget, record)
                fetch_pages(client, pages, record, importer)
            finally:
                importer.flush()  # what was fetched before the budget ran out too
    except BudgetSpent as spent:
        note = str(spent)
    except HarvestStopped as error:
        record.end(HarvestRun.Status.STOPPED, client, str(error))
        raise
    except BaseException as error:
        record.end(HarvestRun.Status.INTERRUPTED, client, f"stopped by {error!r}")
        raise
    return record.end(HarvestRun.Status.FINISHED, client, note)


def pages_to_check(
    options: HarvestOptions, older_than_days: int, budget: int, record: RunRecord
) -> Iterator[PageToFetch]:
    """The due decisions' pages, at their known addresses on `options.base_url`."""
    for decision in due_for_check(older_than_days, budget):
        page = getattr(decision, "source_page", None)
        url = rebased(page.url if page is not None else decision.url, options.base_url)
        if DECISION_PATH_RE.match(urlsplit(url).path) is None:
            record.failure(url, "not the address of a decision page: not checked")
            continue
        yield PageToFetch(url, decision.reference, decision, listed=False)

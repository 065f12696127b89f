"""`harvest_lgsco`: walk the source's listings window by window and import what is new.

For each window (newest first; windows.py): find the listing form that works (the
known forms are tried in turn, and the one that worked is tried first after), walk
its pages by "Next" link or page number, fetch each listed decision's page
conditionally (pages.py), import the 200s as they come, a batch at a time, note which
recent decisions went missing from the listings, and checkpoint the window. A run
stopped part-way (HarvestStopped, Ctrl-C, SIGTERM, the machine) keeps its finished
windows and the pages it imported, so the next run resumes where it stopped and asks
for those pages only conditionally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from decisions.harvesting import source_life, windows
from decisions.harvesting.client import (
    Disallowed,
    FetchFailed,
    HarvestClient,
    HarvestStopped,
)
from decisions.harvesting.exclusive import one_at_a_time
from decisions.harvesting.listings import DecisionLink, ListingPage, NotAListing, read_listing
from decisions.harvesting.options import HarvestOptions
from decisions.harvesting.pages import PageImporter, PageToFetch, fetch_pages
from decisions.harvesting.recording import RunRecord
from decisions.models import HarvestRun


@dataclass
class WindowWalk:
    """One window's listings, walked: the decisions found and the pages read."""

    links: dict[str, DecisionLink] = field(default_factory=dict)
    pages: int = 0
    # False when the walk stopped with more pages to go (a loop, HARVEST_MAX_PAGES_PER_
    # WINDOW): then no decision is taken as gone from it, and it is not checkpointed.
    complete: bool = True


class Harvester:
    def __init__(self, options: HarvestOptions, *, dry_run: bool = False) -> None:
        self.options = options
        self.dry_run = dry_run
        self.forms = list(options.listing_urls)

    def run(self, since: date | None, until: date | None, today: date | None = None) -> HarvestRun:
        """Harvest since..until (by default the last HARVEST_HISTORY_DAYS to today).
        Raises HarvestStopped, after recording the run, when it could not go on."""
        if self.dry_run:  # writes nothing, so it may run beside a real harvest
            return self._run(since, until, today)
        with one_at_a_time(HarvestRun.Kind.HARVEST):
            return self._run(since, until, today)

    def _run(self, since: date | None, until: date | None, today: date | None) -> HarvestRun:
        today = today or timezone.localdate()
        until = until or today
        since = since or today - timedelta(days=self.options.history_days)
        record = RunRecord(HarvestRun.Kind.HARVEST, self.options.base_url, dry_run=self.dry_run)
        client = HarvestClient(self.options)
        try:
            with client:
                client.read_robots()
                for window in windows.windows_between(
                    since, until, self.options.window_days, today, self.options.rewalk_days
                ):
                    self.harvest_window(client, window, record)
                    record.save(client)
        except HarvestStopped as error:
            record.end(HarvestRun.Status.STOPPED, client, str(error))
            raise
        except BaseException as error:
            record.end(HarvestRun.Status.INTERRUPTED, client, f"stopped by {error!r}")
            raise
        return record.end(HarvestRun.Status.FINISHED, client)

    def harvest_window(
        self, client: HarvestClient, window: windows.Window, record: RunRecord
    ) -> None:
        base = self.options.base_url
        if not window.recent and windows.finished(base, window):
            record.window(window.label(), "skipped")
            return
        try:
            walk = self.walk_listings(client, window)
        except HarvestStopped:
            record.window(window.label(), "stopped")
            raise
        decisions = source_life.known(walk.links)
        to_fetch = [
            PageToFetch(link.url, reference, decisions.get(reference), listed=True)
            for reference, link in walk.links.items()
        ]
        failed_before = record.run.failed
        label = f"{base} listings {window.label()}"
        importer = PageImporter(record, client, label, self.options.import_batch)
        try:
            fetch_pages(client, to_fetch, record, importer)
        except HarvestStopped:
            record.window(window.label(), "stopped", walk.pages, len(walk.links))
            raise
        finally:
            importer.flush()  # the last few fetched, before a stop too
        # A page that failed is asked for again by the next run: no checkpoint then.
        fetched_all = record.run.failed == failed_before
        if not self.dry_run:
            if window.recent and walk.complete:
                record.run.removed_at_source += source_life.missed_in_listings(
                    window, set(walk.links), timezone.now()
                )
            if walk.complete and fetched_all:
                windows.checkpoint(base, window, record.run)
        status = "walked"
        if not walk.complete:
            status = "walked, listing incomplete"
        elif not fetched_all:
            status = "walked, with failures"
        record.window(window.label(), status, walk.pages, len(walk.links))

    def walk_listings(self, client: HarvestClient, window: windows.Window) -> WindowWalk:
        """Every decision the window's listing pages link to."""
        problems = []
        for form in list(self.forms):
            url = self.listing_url(form, window, 1)
            try:
                first = self.read_page(client, url)
            except (NotAListing, FetchFailed, Disallowed) as problem:
                problems.append(f"{url}: {problem}")
                continue
            # The form that worked is tried first for the next window.
            self.forms.remove(form)
            self.forms.insert(0, form)
            return self.follow_pages(client, form, window, first)
        raise HarvestStopped(
            f"no listing of {window.label()} was what was expected, so the run stopped "
            f"rather than find nothing (has the site changed? see HARVEST_LISTING_URLS): "
            + "; ".join(problems)
        )

    def follow_pages(
        self, client: HarvestClient, form: str, window: windows.Window, first: ListingPage
    ) -> WindowWalk:
        """Page 1 read; the rest by "Next" link, or by page number while the stated count
        of results is not reached, until a page adds nothing or the pages run out."""
        walk = WindowWalk(pages=1)
        page, number, seen_urls = first, 1, {self.listing_url(form, window, 1)}
        while True:
            added = {
                link.reference: link for link in page.links if link.reference not in walk.links
            }
            walk.links.update(added)
            if page.next_url:
                url = page.next_url
            elif page.result_count is not None and len(walk.links) < page.result_count:
                url = self.listing_url(form, window, number + 1)
            else:
                return walk
            if not added or url in seen_urls or walk.pages >= self.options.max_pages_per_window:
                walk.complete = False
                return walk
            seen_urls.add(url)
            number += 1
            try:
                page = self.read_page(client, url)
            except (NotAListing, FetchFailed, Disallowed) as problem:
                raise HarvestStopped(
                    f"page {number} of the listing of {window.label()} ({url}) was not "
                    f"what was expected: {problem}"
                ) from None
            walk.pages += 1

    def read_page(self, client: HarvestClient, url: str) -> ListingPage:
        fetched = client.get(url)
        if fetched.status != 200:
            raise NotAListing(f"HTTP {fetched.status}")
        return read_listing(fetched.text(), fetched.url)

    def listing_url(self, form: str, window: windows.Window, page: int) -> str:
        path = form.format(
            fd=window.date_from.isoformat(), td=window.date_to.isoformat(), page=page
        )
        return self.options.base_url + path

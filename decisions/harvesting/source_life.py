"""A decision's life at its source (models.SourcePage): seen, checked, gone.

- Seen: a 200 or 304 for its page. First and last seen, last checked, and the page's
  validators for the next conditional request; a decision that had gone is back.
- Gone: a 404 or 410 for its own page (`known_address`: where it was last seen, or the
  address it was imported from; never a listing's other link to it), or, for a recent window, absent from the window's
  listings on two harvests in a row (once could be the site's hiccup). `gone_since` is
  the first time it was missed, and stays as it was when seen gone again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import Q

from decisions.harvesting.client import Fetched, Validators
from decisions.harvesting.windows import Window
from decisions.models import Decision, SourcePage

# Harvests in a row a recent decision must be missing from its listings to count as gone.
MISSING_RUNS_FOR_GONE = 2
# A decision's fields the harvester never reads.
HEAVY = ("sections", "body_text", "remedies", "parse_warnings")


def known(references: Iterable[str]) -> dict[str, Decision]:
    """The archive's decisions with these references, with their source pages."""
    decisions = Decision.objects.filter(reference__in=set(references)).select_related("source_page")
    return {decision.reference: decision for decision in decisions.defer(*HEAVY)}


def page_of(decision: Decision) -> SourcePage | None:
    try:
        return decision.source_page
    except SourcePage.DoesNotExist:
        return None


def known_address(decision: Decision) -> str:
    """The address the archive knows the decision's page by: where it was last seen, or
    else the one it was imported from; "" when it has none."""
    page = page_of(decision)
    return page.url if page is not None else decision.url


def same_page(url: str, known: str) -> bool:
    """Whether `url` is the `known` address's page, on whichever host serves the site (a
    mirror, a test server): the same path and query."""
    if not known:
        return False
    one, other = urlsplit(url), urlsplit(known)
    return (one.path.rstrip("/"), one.query) == (other.path.rstrip("/"), other.query)


def validators_of(decision: Decision | None) -> Validators | None:
    """The conditional request for a page the harvester fetched before. A decision only
    imported from files has none: its page is fetched whole (completing a truncated copy)."""
    if decision is None:
        return None
    page = page_of(decision)
    if page is None or not (page.etag or page.last_modified):
        return None
    return Validators(page.etag, page.last_modified)


def seen(decision_id: int, fetched: Fetched, *, listed: bool) -> None:
    """Its page answered 200 or 304 at `fetched.url`."""
    now = fetched.fetched_at
    page, _ = SourcePage.objects.get_or_create(
        decision_id=decision_id, defaults={"url": fetched.url, "first_seen_at": now}
    )
    page.url = fetched.url
    page.first_seen_at = page.first_seen_at or now
    page.last_seen_at = page.last_checked_at = now
    if fetched.status == 200 or fetched.validators.etag or fetched.validators.last_modified:
        page.etag, page.last_modified = fetched.validators.etag, fetched.validators.last_modified
    page.gone_since, page.gone_reason = None, ""
    if listed:
        page.last_listed_at = now
        page.missing_from_listings, page.missing_since = 0, None
    page.save()


def gone(decision_id: int, url: str, reason: str, when: datetime) -> bool:
    """Its page, at its known address `url`, is no longer served; True if it was not
    known to be gone before. The stored address stays: a failed one never replaces it."""
    page, _ = SourcePage.objects.get_or_create(decision_id=decision_id, defaults={"url": url})
    page.last_checked_at = when
    newly = page.gone_since is None
    if newly:
        page.gone_since, page.gone_reason = when, reason
    page.save()
    return newly


def missed_in_listings(window: Window, listed: set[str], when: datetime) -> int:
    """Count a harvest's walk of `window` against the decisions listed there before and
    not now; returns how many are newly taken as gone."""
    previously_listed = SourcePage.objects.filter(
        decision__decision_date__range=(window.date_from, window.date_to),
        last_listed_at__isnull=False,
        gone_since__isnull=True,
    ).exclude(decision__reference__in=listed)
    newly_gone = 0
    for page in previously_listed:
        page.missing_from_listings += 1
        page.missing_since = page.missing_since or when
        if page.missing_from_listings >= MISSING_RUNS_FOR_GONE:
            page.gone_since = page.missing_since
            page.gone_reason = (
                f"not in the listings of {window.label()} on "
                f"{page.missing_from_listings} harvests in a row"
            )
            newly_gone += 1
        page.save()
    return newly_gone


def no_longer_published() -> Q:
    """The decisions the source no longer publishes (the list's filter)."""
    return Q(source_page__gone_since__isnull=False)

"""Figures about the whole archive (the organisation names, the category tree, the
about page's figures), computed once and cached until the archive changes.

At a million decisions the unfiltered counts take a second to work out, and they are
the same for every visitor, so they are cached (settings.CACHES) under the archive's
*generation*: a PostgreSQL sequence that triggers on the decision, organisation and
category tables advance on every write, whatever makes it (an import, the admin, SQL
by hand). Migration 0007 creates both. A sequence is not transactional, so every write
advances it, committed or not: a rolled-back write only costs a recount.

The triggers fire when a statement runs and again when its transaction commits, so a
page that read the generation between the two and cached the old counts is superseded
at once. `CACHE_SECONDS` bounds anything else. One exception, for bulk imports at a
million decisions: see `WholeArchive.cached`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connections

from config.replicas import PRIMARY

GENERATION_SEQUENCE = "decisions_archive_generation"
CACHE_SECONDS = 600
SLOW_SECONDS = 0.25
STALE_FACTOR = 30

T = TypeVar("T")


def generation() -> int:
    """The archive's current generation: it changes whenever any decision does.

    Read on the primary, even when the counts are read on a replica: a replica's copy
    of a sequence moves only when the primary logs it, every 32 values, so it could miss
    a write. A count made on a replica may thus trail its generation by the replica's
    lag (at most REPLICA_MAX_LAG_SECONDS), until the next write or CACHE_SECONDS."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {GENERATION_SEQUENCE}")
        return cursor.fetchone()[0]


class WholeArchive:
    """Cached figures of one generation; read the generation once per request."""

    def __init__(self, today: datetime.date | None = None) -> None:
        self.generation = generation()
        self.today = today or datetime.date.today()

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`'s value for this generation, or a recent one's if it was costly.

        A bulk import moves the generation on every batch (a second or two); at a
        million decisions a recount takes seconds, so every visitor would wait for one.
        A value that took over SLOW_SECONDS is therefore kept through newer generations
        for STALE_FACTOR times its cost (a 2 s count: about a minute), which bounds
        recounting to a few percent of the server's time; a cheap one never is.
        """
        # The date is part of the key: "last 12 months" moves on at midnight.
        key = f"whole-archive:{self.today.isoformat()}:{name}"
        entry = cache.get(key)
        now = time.time()
        if entry is not None:
            generation, computed_at, cost, value = entry
            if generation == self.generation:
                return value
            if cost > SLOW_SECONDS and now - computed_at < cost * STALE_FACTOR:
                return value
        started = time.perf_counter()
        value = compute()
        cost = time.perf_counter() - started
        cache.set(key, (self.generation, now, cost, value), CACHE_SECONDS)
        return value

    def organisation_names(self) -> list[str]:
        """The names offered as the organisation field is typed: those with a decision
        the public may see (one probe of decision_org_date_idx each)."""
        from django.db.models import Exists, OuterRef

        from decisions.models import Decision, Organisation

        published = Decision.objects.published().filter(organisation=OuterRef("pk"))
        return self.cached(
            "organisation-names",
            lambda: list(
                Organisation.objects.filter(Exists(published))
                .order_by("name")
                .values_list("name", flat=True)
            ),
        )

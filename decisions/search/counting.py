"""Counts that stay fast at a million decisions: exact up to a limit, then estimated.

Counting every decision a broad filter or a common word matches means visiting every
one of them: hundreds of milliseconds at a million. So a count here is exact while it
is at most `settings.EXACT_COUNT_LIMIT`, and beyond that it is estimated from a sample
and says so (`Tally.exact` is False; the page shows "about 41,000").

The sample is the decisions whose `id % SAMPLE_BUCKETS` falls below a cut-off: an even
share of the archive, unrelated to any filter (ids follow import order), and read
through its own index (decision_sample_bucket_idx), which PostgreSQL combines with any
other filter's index, full-text search included (a BitmapAnd with the GIN index). The
cut-off makes the sample about `settings.COUNT_SAMPLE_ROWS` decisions of the archive,
so an estimate costs the same at any size. An estimate of n sampled decisions is off
by about 1/sqrt(n) (10% for 100), which is why it is rounded when shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import BigIntegerField, Count, QuerySet
from django.db.models.functions import Mod

from decisions.querysets import SAMPLE_BUCKETS


@dataclass(frozen=True)
class Tally:
    """A count, and whether it is exact or estimated from the sample."""

    value: int
    exact: bool = True

    @property
    def shown(self) -> str:
        """ "1,234", or "about 41,000" for an estimate (two significant figures)."""
        if self.exact:
            return f"{self.value:,}"
        return f"about {rounded(self.value):,}"

    def __bool__(self) -> bool:
        return self.value > 0


@dataclass(frozen=True)
class Matches:
    """How many decisions a search selects, with their ids when they are few enough to
    keep: found once, they then serve every facet's count."""

    total: Tally
    ids: list[int] | None = None


class Counted(NamedTuple):
    """One facet's raw counts: rows of a GROUP BY, or named aggregates."""

    rows: Any  # list[dict[str, Any]] for a GROUP BY, dict[str, int] for aggregates
    exact: bool


def rounded(value: int) -> int:
    """`value` to two significant figures: an estimate claims no more precision."""
    if value < 100:
        return value
    unit = 10 ** (len(str(value)) - 2)
    return round(value / unit) * unit


def sample_cut_off(archive_size: int) -> int:
    """How many of the SAMPLE_BUCKETS buckets make a sample of about COUNT_SAMPLE_ROWS."""
    wanted = settings.COUNT_SAMPLE_ROWS * SAMPLE_BUCKETS / max(archive_size, 1)
    return min(SAMPLE_BUCKETS, max(1, math.ceil(wanted)))


def sampled(queryset: QuerySet, cut_off: int) -> QuerySet:
    """The decisions of `queryset` in the sample (the same expression as the index)."""
    # An integer, as in the index: left to infer it, Django compares numeric values,
    # (mod(id, 1000))::numeric < 20.0, which no index on mod(id, 1000) can serve.
    bucket = Mod("id", SAMPLE_BUCKETS, output_field=BigIntegerField())
    return queryset.alias(sample_bucket=bucket).filter(sample_bucket__lt=cut_off)


class Counter:
    """Counts over decisions: exact when few, else estimated from the sample.

    The sample is read first whenever the size is unknown: it costs one range of a
    covering index (or, with a search, the matches inside that range), where counting a
    large set exactly to find out that it is large would read up to the limit of rows.
    An archive of up to COUNT_SAMPLE_ROWS decisions is its own sample: exact throughout.

    Each method takes `known`, the size of the set it counts when the caller counted
    that set already (a facet that keeps every filter counts the page's own decisions),
    or None; and `sample_base`, which selects the same decisions within the sample by a
    cheaper route (see facets.SearchSample).
    """

    def __init__(self, archive_size: int) -> None:
        self.limit = settings.EXACT_COUNT_LIMIT
        self.cut_off = sample_cut_off(archive_size)
        self.whole = self.cut_off == SAMPLE_BUCKETS
        self.scale = SAMPLE_BUCKETS / self.cut_off

    def estimate(self, sampled_count: int) -> int:
        return round(sampled_count * self.scale)

    def count(self, queryset: QuerySet, sample_base: QuerySet | None = None) -> Tally:
        """How many decisions `queryset` selects."""
        return self.matches(queryset, sample_base, keep_ids=False).total

    def matches(
        self, queryset: QuerySet, sample_base: QuerySet | None = None, keep_ids: bool = True
    ) -> Matches:
        """count(), with the decisions' ids when they are few (at most the limit) and
        `keep_ids`: a search found once then serves the count and every facet."""
        first = queryset.order_by().values_list("pk", flat=True)[: self.limit + 1]
        if self.whole:  # the archive is its own sample: exact throughout
            if keep_ids and len(ids := list(first)) <= self.limit:
                return Matches(Tally(len(ids)), ids)
            return Matches(Tally(queryset.order_by().count()))
        base = queryset if sample_base is None else sample_base
        estimate = self.estimate(sampled(base, self.cut_off).order_by().count())
        if estimate > self.limit:
            return Matches(Tally(estimate, False))
        # Few, by the sample: count exactly, stopping past the limit in case they are not.
        kept = list(first) if keep_ids else None
        found = len(kept) if kept is not None else first.count()
        if found <= self.limit:
            return Matches(Tally(found), kept)
        return Matches(Tally(max(self.limit + 1, estimate), False))

    def grouped(
        self,
        queryset: QuerySet,
        fields: Iterable[str],
        known: Tally | None,
        sample_base: QuerySet | None = None,
    ) -> Counted:
        """`queryset` counted by `fields`: [{field: value, ..., "count": n}]."""
        fields = tuple(fields)
        if self.whole:
            return Counted(by_group(queryset, fields), True)
        if known is not None and known.exact:
            return Counted(by_group(queryset, fields), True)
        base = queryset if sample_base is None else sample_base
        rows = by_group(sampled(base, self.cut_off), fields)
        if known is None and self.estimate(sum(row["count"] for row in rows)) <= self.limit:
            return Counted(by_group(queryset, fields), True)
        return Counted([{**row, "count": self.estimate(row["count"])} for row in rows], False)

    def aggregate(
        self,
        queryset: QuerySet,
        counts: dict[str, Count],
        known: Tally | None,
        sample_base: QuerySet | None = None,
    ) -> Counted:
        """The `counts` (Count(..., filter=...)) over `queryset`: {name: n}."""
        if self.whole or (known is not None and known.exact):
            return Counted(queryset.order_by().aggregate(**counts), True)
        base = queryset if sample_base is None else sample_base
        found = sampled(base, self.cut_off).order_by().aggregate(_all=Count("pk"), **counts)
        in_sample = found.pop("_all")
        if known is None and self.estimate(in_sample) <= self.limit:
            return Counted(queryset.order_by().aggregate(**counts), True)
        return Counted({name: self.estimate(value) for name, value in found.items()}, False)


def by_group(queryset: QuerySet, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return list(queryset.order_by().values(*fields).annotate(count=Count("pk")))

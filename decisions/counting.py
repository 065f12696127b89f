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

from django.conf import settings
from django.db.models import BigIntegerField, Count, QuerySet
from django.db.models.functions import Mod

# Fixed for good: the sample index is built on MOD(id, SAMPLE_BUCKETS).
SAMPLE_BUCKETS = 1000


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
    """Counts over decisions for one page: exact when small, else from the sample.

    The sample is read first whenever the size is unknown: it costs one range of a
    covering index (or, with a search, the matches inside that range), where counting a
    large set exactly to find out that it is large would read up to the limit of rows.
    An archive of up to COUNT_SAMPLE_ROWS decisions is its own sample: exact throughout.

    `small` tells a method what the caller already knows of the decisions it counts:
    True (at most the limit: count them all), False (more: the sample will do) or None.
    """

    def __init__(self, archive_size: int) -> None:
        self.limit = settings.EXACT_COUNT_LIMIT
        self.cut_off = sample_cut_off(archive_size)
        self.whole = self.cut_off == SAMPLE_BUCKETS
        self.scale = SAMPLE_BUCKETS / self.cut_off

    def estimate(self, sampled_count: int) -> int:
        return round(sampled_count * self.scale)

    def count(self, queryset: QuerySet, sample_base: QuerySet | None = None) -> Tally:
        """How many decisions `queryset` selects. `sample_base`, when given, selects the
        same decisions within the sample by a cheaper route (see facets.SearchSample)."""
        return self.count_ids(queryset, sample_base, keep_ids=False)[0]

    def count_ids(
        self, queryset: QuerySet, sample_base: QuerySet | None = None, keep_ids: bool = True
    ) -> tuple[Tally, list[int] | None]:
        """count(), with the decisions' ids when they are few (at most the limit) and
        `keep_ids`: a search found once then serves the count and every facet."""
        first = queryset.order_by().values_list("pk", flat=True)[: self.limit + 1]
        if self.whole:  # the archive is its own sample: exact throughout
            if keep_ids and len(ids := list(first)) <= self.limit:
                return Tally(len(ids)), ids
            return Tally(queryset.order_by().count()), None
        base = queryset if sample_base is None else sample_base
        estimate = self.estimate(sampled(base, self.cut_off).order_by().count())
        if estimate > self.limit:
            return Tally(estimate, False), None
        # Small, by the sample: count exactly, stopping past the limit in case it was not.
        ids = list(first) if keep_ids else None
        found = len(ids) if ids is not None else first.count()
        if found <= self.limit:
            return Tally(found), ids
        return Tally(max(self.limit + 1, estimate), False), None

    def grouped(
        self,
        queryset: QuerySet,
        fields: Iterable[str],
        small: bool | None,
        sample_base: QuerySet | None = None,
    ) -> tuple[list[dict], bool]:
        """([{field: value, ..., "count": n}], exact): `queryset` counted by `fields`."""
        fields = tuple(fields)
        if small and not self.whole:
            return by_group(queryset, fields), True
        base = queryset if sample_base is None else sample_base
        rows = by_group(sampled(base, self.cut_off), fields)
        if self.whole:
            return rows, True
        if small is None and self.estimate(sum(row["count"] for row in rows)) <= self.limit:
            return by_group(queryset, fields), True
        return [{**row, "count": self.estimate(row["count"])} for row in rows], False

    def aggregate(
        self,
        queryset: QuerySet,
        counts: dict[str, Count],
        small: bool | None,
        sample_base: QuerySet | None = None,
    ) -> tuple[dict[str, int], bool]:
        """({name: n}, exact): the `counts` (Count(..., filter=...)) over `queryset`."""
        if small and not self.whole:
            return queryset.order_by().aggregate(**counts), True
        base = queryset if sample_base is None else sample_base
        found = sampled(base, self.cut_off).order_by().aggregate(_all=Count("pk"), **counts)
        in_sample = found.pop("_all")
        if self.whole:
            return found, True
        if small is None and self.estimate(in_sample) <= self.limit:
            return queryset.order_by().aggregate(**counts), True
        return {name: self.estimate(value) for name, value in found.items()}, False


def by_group(queryset: QuerySet, fields: tuple[str, ...]) -> list[dict]:
    return list(queryset.order_by().values(*fields).annotate(count=Count("pk")))

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
from collections.abc import Callable, Iterable
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
    return queryset.alias(sample_bucket=bucket_of("id")).filter(sample_bucket__lt=cut_off)


def bucket_of(field: str) -> Mod:
    """A decision's sample bucket: the expression of decision_sample_bucket_idx."""
    return Mod(field, SAMPLE_BUCKETS, output_field=BigIntegerField())


@dataclass(frozen=True)
class Sample:
    """The decisions of a set that fall in the first `cut_off` buckets of the id sample,
    found by whatever route is cheapest (a bucket range, or the ids of a search's
    matches found once): an estimate scales what it counts by `scale`."""

    decisions: QuerySet
    cut_off: int
    # How many `decisions` holds, when the caller knows it without counting.
    known: int | None = None

    @property
    def scale(self) -> float:
        return SAMPLE_BUCKETS / self.cut_off

    def refined(self, refine: Callable[[QuerySet], QuerySet]) -> Sample:
        return Sample(refine(self.decisions), self.cut_off)

    def count(self) -> int:
        return self.known if self.known is not None else self.decisions.order_by().count()


class Counter:
    """Counts over decisions: exact when few, else estimated from the sample.

    The sample is read first whenever the size is unknown: it costs one range of a
    covering index (or, with a search, the matches inside that range), where counting a
    large set exactly to find out that it is large would read up to the limit of rows.
    An archive of up to COUNT_SAMPLE_ROWS decisions is its own sample: exact throughout.

    Each method takes `size`, what the caller knows of the size of the set it counts:
    its count when counted already (a facet that keeps every filter counts the page's
    own decisions), a lower bound (an estimate past the limit: the set is large too), or
    None; and `sample`, the set's sample when the caller found it by a cheaper route
    (a search's matches: see facets.SearchSample), else the bucket range is used.
    """

    def __init__(self, archive_size: int) -> None:
        self.limit = settings.EXACT_COUNT_LIMIT
        self.cut_off = sample_cut_off(archive_size)
        self.whole = self.cut_off == SAMPLE_BUCKETS
        self.scale = SAMPLE_BUCKETS / self.cut_off

    def estimate(self, sampled_count: int) -> int:
        return round(sampled_count * self.scale)

    def sample_of(self, queryset: QuerySet, sample: Sample | None = None) -> Sample:
        return sample or Sample(sampled(queryset, self.cut_off), self.cut_off)

    def count(self, queryset: QuerySet, sample: Sample | None = None) -> Tally:
        """How many decisions `queryset` selects."""
        return self.matches(queryset, sample, keep_ids=False).total

    def matches(
        self, queryset: QuerySet, sample: Sample | None = None, keep_ids: bool = True
    ) -> Matches:
        """count(), with the decisions' ids when they are few (at most the limit) and
        `keep_ids`: a search found once then serves the count and every facet."""
        first = queryset.order_by().values_list("pk", flat=True)[: self.limit + 1]
        if self.whole:  # the archive is its own sample: exact throughout
            if keep_ids and len(ids := list(first)) <= self.limit:
                return Matches(Tally(len(ids)), ids)
            return Matches(Tally(queryset.order_by().count()))
        within = self.sample_of(queryset, sample)
        estimate = round(within.count() * within.scale)
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
        size: Tally | None,
        sample: Sample | None = None,
    ) -> Counted:
        """`queryset` counted by `fields`: [{field: value, ..., "count": n}]."""
        fields = tuple(fields)
        if self.whole or (size is not None and size.exact):
            return Counted(by_group(queryset, fields), True)
        within = self.sample_of(queryset, sample)
        rows = by_group(within.decisions, fields)
        in_sample = sum(row["count"] for row in rows)
        if size is None and round(in_sample * within.scale) <= self.limit:
            return Counted(by_group(queryset, fields), True)
        scaled = [{**row, "count": round(row["count"] * within.scale)} for row in rows]
        return Counted(scaled, False)

    def aggregate(
        self,
        queryset: QuerySet,
        counts: dict[str, Count],
        size: Tally | None,
        sample: Sample | None = None,
    ) -> Counted:
        """The `counts` (Count(..., filter=...)) over `queryset`: {name: n}."""
        if self.whole or (size is not None and size.exact):
            return Counted(queryset.order_by().aggregate(**counts), True)
        within = self.sample_of(queryset, sample)
        found = within.decisions.order_by().aggregate(_all=Count("pk"), **counts)
        in_sample = found.pop("_all")
        if size is None and round(in_sample * within.scale) <= self.limit:
            return Counted(queryset.order_by().aggregate(**counts), True)
        return Counted({name: round(n * within.scale) for name, n in found.items()}, False)


def by_group(queryset: QuerySet, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return list(queryset.order_by().values(*fields).annotate(count=Count("pk")))

"""One search of the archive, the read path behind every door: the list page today, and
the API, downloads, feeds and statistics, which read through the same object so that a
filter means the same thing everywhere.

`DecisionSearch.from_params(params)` has the FilterSet parse and validate the query
string once (the words, the filters, the sort, the page and its size). The object then
answers what a door asks, each computed once and only when asked: `total` (exact, or
estimated and labelled so), `page()` (one page of rows with their highlighted
snippets), `rows()` (every match, for a download), `after()` (a page after a cursor,
for an API), `facets`, `active_filters()`, and the help for an empty result:
`relaxations()`, `did_you_mean()` and `only_stop_words()`. Nothing in it refers to an
HTTP request; links are built by the page (decisions.views.links).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.safestring import SafeString

from decisions.filters import DecisionFilter, OrganisationChoice
from decisions.models import Decision, Organisation
from decisions.parsing.references import find_references
from decisions.querysets import (
    DecisionQuerySet,
    NameMatch,
    has_search_terms,
    websearch_query,
    words_of,
)
from decisions.search.active import ActiveFilter, Relaxation, active_filters, relaxations
from decisions.search.counting import Counted, Counter, Matches, Sample, Tally
from decisions.search.facets import Facet, SearchSample, build_facets, count_facets
from decisions.search.highlight import snippets
from decisions.search.whole_archive import WholeArchive

# A last page of one to three rows is folded into the one before it.
ORPHANS = 3
# Pages starting this deep are read by id first (KnownCount).
DEFERRED_FROM = 200


@dataclass(frozen=True)
class ResultRow:
    decision: Decision
    snippet: SafeString | str = ""  # the search words in context, <mark>ed; "" unsearched


@dataclass(frozen=True)
class ResultPage:
    """One page of results: its rows, Django's Page for the page links, and what the
    reader should know about how they were chosen."""

    rows: list[ResultRow]
    page: Page
    notes: list[str]


@dataclass(frozen=True)
class NameCount:
    """An organisation the search words name, and its decisions under the other filters."""

    match: NameMatch
    count: Tally

    @property
    def organisation(self) -> Organisation:
        return self.match.organisation


@dataclass(frozen=True)
class Cursor:
    """A position in date order, after the decision with this date and id: deep pages
    cost the same as the first, where an offset reads every row before it."""

    decision_date: datetime.date | None
    pk: int

    def __str__(self) -> str:
        return f"{self.decision_date.isoformat() if self.decision_date else ''}_{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """The cursor `str()` wrote; ValueError for anything else."""
        date, _, pk = text.partition("_")
        if not pk.isdigit():
            raise ValueError(f"{text[:40]!r} is not a cursor")
        return cls(datetime.date.fromisoformat(date) if date else None, int(pk))


class KnownCount:
    """Rows whose number is already known, so Paginator slices them without counting
    them again (it asks `count()`, which a queryset would run as SQL)."""

    def __init__(self, rows: DecisionQuerySet, count: int) -> None:
        self.rows = rows
        self._count = count

    def count(self) -> int:
        return self._count

    # Paginator itself only counts and slices; the rest is the sequence django-stubs
    # asks of a paginator's rows.
    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.rows)

    @overload
    def __getitem__(self, key: int) -> Decision: ...
    @overload
    def __getitem__(self, key: slice) -> list[Decision]: ...
    def __getitem__(self, key: int | slice) -> Decision | list[Decision]:
        if isinstance(key, int):
            return self.rows[key]
        if (key.start or 0) < DEFERRED_FROM:
            return list(self.rows[key])
        # A deep page: the ids first, then only those rows whole. In one query each row
        # before the page was read whole and joined to its organisation and categories
        # only to be skipped (page 500: 10,000 rows, 130 ms under load).
        ids = list(self.rows.values_list("pk", flat=True)[key])
        found = self.rows.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class RankedFirst(KnownCount):
    """The newest RANK_LIMIT matches ranked, read a page at a time in two steps: the
    page's ids first (DecisionQuerySet.best_of_newest), then those rows whole.

    In one query PostgreSQL re-checked the search against each of the RANK_LIMIT
    matches and joined each to its organisation and category before ranking them, to
    keep 20; ranked by id, only the page's rows are read whole and joined.
    """

    def __init__(self, rows: DecisionQuerySet, words: str, common: bool, count: int) -> None:
        super().__init__(rows, count)
        self.words = words
        self.common = common

    def __iter__(self) -> Iterator[Decision]:
        return iter(self[:])

    @overload
    def __getitem__(self, key: int) -> Decision: ...
    @overload
    def __getitem__(self, key: slice) -> list[Decision]: ...
    def __getitem__(self, key: int | slice) -> Decision | list[Decision]:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop, _ = key.indices(self._count)
        ids = self.rows.best_of_newest(
            websearch_query(self.words), settings.RANK_LIMIT, self.common, start, stop
        )
        found = self.rows.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class DecisionSearch:
    """A validated search over the published decisions, and everything a door shows
    of it."""

    def __init__(
        self, filterset: DecisionFilter, whole: WholeArchive, counter: Counter | None = None
    ) -> None:
        self.filterset = filterset
        self.whole = whole
        self.today = whole.today
        self.valid = filterset.is_valid()
        chosen = filterset.form.cleaned_data
        self.chosen: Mapping[str, Any] = chosen
        self.errors: ErrorDict = filterset.form.errors
        # What could not be used and was replaced by a default (sort, page size, page).
        self.notes: list[str] = list(getattr(filterset.form, "notes", []))
        self.text: str = chosen.get("q", "") if self.valid else ""
        self.searching = bool(self.text)
        # The search text is words and case references: the words are matched in the
        # text, the references looked up (see DecisionQuerySet.search).
        self.words = words_of(self.text)
        self.references = find_references(self.text)
        # Any filter or search words given, valid or not.
        self.filtered = filterset.active
        self.sort: str = chosen.get("sort") or "newest"
        self.per_page: int = chosen.get("per_page") or settings.DECISIONS_PER_PAGE
        self.page_number: int = chosen.get("page") or 1
        self.organisation_choice: OrganisationChoice | None = (
            chosen.get("organisation") if self.valid else None
        )
        # Sized by the archive, so an estimate costs the same at any size.
        self.counter = counter or Counter(whole.approximate_size())

    @classmethod
    def from_params(
        cls, params: QueryDict | Mapping[str, str], whole: WholeArchive | None = None
    ) -> DecisionSearch:
        """The search a query string asks for."""
        if not isinstance(params, QueryDict):
            query = QueryDict(mutable=True)
            query.update(params)
            params = query
        return cls(DecisionFilter(params), whole or WholeArchive())

    # --- which decisions, and how many ------------------------------------------------

    def matching(self) -> DecisionQuerySet:
        """Every match, in the chosen order (relevance for a search unless sorted)."""
        if not self.valid:
            return Decision.objects.none()
        queryset: DecisionQuerySet = self.filterset.qs
        return queryset.sorted_by(self.sort)

    @cached_property
    def _sample(self) -> SearchSample:
        return SearchSample(self.filterset, self.counter)

    @cached_property
    def matches(self) -> Matches:
        """How many decisions match, with their ids when a search found few."""
        if not self.valid:
            return Matches(Tally(0), [])
        if not self.filtered:
            return Matches(Tally(self.whole.published_count()))
        return self.counter.matches(self.filterset.qs, self._sample.own(), keep_ids=self.searching)

    @property
    def total(self) -> Tally:
        return self.matches.total

    def sample(self) -> Sample | None:
        """The search's sampled matches, the ones its estimated count rests on (None
        when there is no search, or the archive is its own sample): what an estimated
        statistic counts (decisions.statistics.selection)."""
        return self._sample.base() if self.valid else None

    # --- rows ----------------------------------------------------------------------------

    def page(self) -> ResultPage:
        """The requested page of rows, with snippets for a search.

        Relevance order past settings.RANK_LIMIT matches ranks the newest RANK_LIMIT of
        them: ranking reads each match's whole stored vector (kilobytes, out of line),
        which for 30,000 matches takes seconds at a million decisions. Newest first
        reaches every match. Pages stop at MAX_PAGES: page N reads the N x per_page rows
        before it, so page 50,000 of a million would read them all, for anyone who asks.
        """
        notes: list[str] = []
        rows, reachable = self.ordered(), self.reachable()
        if self.ranks_newest_only:
            notes.append(
                f"Most relevant first ranks the newest {settings.RANK_LIMIT:,} of the "
                f"{self.total.shown} matching decisions. Sort by newest first to see them "
                "all, or add words or filters."
            )
        paginator = Paginator(self._paged(rows, reachable), self.per_page, orphans=ORPHANS)
        page = paginator.get_page(self.page_number)
        if self.page_number > page.number and paginator.count:
            if self.ranked_total() > reachable:
                notes.append(
                    f"Pages stop at {settings.MAX_PAGES:,}: showing the last one. Sort the "
                    "other way or narrow the filters to reach the rest."
                )
            else:
                notes.append(f"There are only {paginator.num_pages} pages: showing the last one.")
        decisions = list(page.object_list)
        if self.total and not self.total.exact and not decisions:
            # The estimate was high and this page lies past the real last one.
            notes.append("This page is past the last decision: the number of pages is an estimate.")
        found = snippets([row.pk for row in decisions], self.words) if self.words else {}
        result = [ResultRow(decision, found.get(decision.pk, "")) for decision in decisions]
        return ResultPage(result, page, notes)

    def _paged(self, rows: DecisionQuerySet, reachable: int) -> KnownCount:
        if not self.ranks_newest_only:
            return KnownCount(rows, reachable)
        return RankedFirst(self.filterset.qs, self.words, self._common(), reachable)

    def _common(self) -> bool:
        """Whether the newest RANK_LIMIT matches are found by walking the date index."""
        # Walking the dates reads limit / share decisions, finding every match reads
        # them all: the walk is cheaper once the matches outnumber sqrt(limit x size).
        return self.total.value**2 > settings.RANK_LIMIT * self.whole.approximate_size()

    def _newest(self) -> QuerySet:
        """The ids of the newest RANK_LIMIT matches (see ordered())."""
        return self.filterset.qs.newest_ids(settings.RANK_LIMIT, self._common())

    @property
    def ranks_newest_only(self) -> bool:
        """Relevance order past settings.RANK_LIMIT matches ranks only the newest
        RANK_LIMIT of them (see page())."""
        return self.sort == "relevance" and self.total.value > settings.RANK_LIMIT

    def ordered(self) -> DecisionQuerySet:
        """The matches in the list's order, as its pages show them: for relevance past
        RANK_LIMIT matches, the newest RANK_LIMIT of them ranked."""
        rows = self.matching()
        if not self.ranks_newest_only:
            return rows
        return rows.filter(pk__in=self._newest())

    def ranked_total(self) -> int:
        """How many matches ordered() holds."""
        return (
            min(self.total.value, settings.RANK_LIMIT)
            if self.ranks_newest_only
            else (self.total.value)
        )

    def reachable(self) -> int:
        """How many of ordered() the pages reach: they stop at settings.MAX_PAGES."""
        return min(self.ranked_total(), settings.MAX_PAGES * self.per_page)

    def rows(self, chunk_size: int = 500, *, load: tuple[str, ...] = ()) -> Iterator[Decision]:
        """Every match, streamed in chunks, for a download. In date order when relevance
        would rank more than RANK_LIMIT (see page()). `load` names fields the list
        leaves unread ("remedies") that the caller reads for every row: one query a
        chunk, not one a row."""
        rows = self.matching()
        if self.sort == "relevance" and self.total.value > settings.RANK_LIMIT:
            rows = rows.newest_first()
        deferred, deferring = rows.query.deferred_loading
        if load and deferring:
            rows = rows.defer(None).defer(*sorted(set(deferred) - set(load)))
        return rows.iterator(chunk_size=chunk_size)

    def after(self, cursor: Cursor | None, limit: int) -> tuple[list[Decision], Cursor | None]:
        """Up to `limit` matches after `cursor` in date order (oldest first if that is
        the sort, else newest first), and the cursor of the next page (None at the end).
        Served by the date indexes at any depth."""
        oldest = self.sort == "oldest"
        rows = self.matching()
        rows = rows.oldest_first() if oldest else rows.newest_first()
        if cursor is not None:
            rows = rows.filter(beyond(cursor, oldest))
        found = list(rows[: limit + 1])
        more = len(found) > limit
        found = found[:limit]
        last = found[-1] if found else None
        return found, (Cursor(last.decision_date, last.pk) if more and last else None)

    # --- around the rows ---------------------------------------------------------------

    @cached_property
    def facet_counts(self) -> dict[str, Counted]:
        """Each offered facet's raw counts (rows or named aggregates), by facet name;
        none for an invalid search. A search with no results still has them: a facet
        leaves out its own filter, so its other options may have decisions."""
        if not self.valid:
            return {}

        def count() -> dict[str, Counted]:
            return count_facets(
                self.filterset, self.counter, self.matches, self.today, self._sample
            )

        if self.filtered:
            return count()
        # The same for every visitor: counted once per change of the archive.
        return self.whole.cached("facet-counts", count)

    @cached_property
    def facets(self) -> list[Facet]:
        """Each facet with its options, labels and counts, in the order shown."""
        return build_facets(self.facet_counts, self.chosen, self.today)

    def active_filters(self) -> list[ActiveFilter]:
        return active_filters(self.filterset) if self.valid else []

    def relaxations(self) -> list[Relaxation]:
        """For a valid search with no results: each filter to drop, with its count."""
        if not self.valid or self.total:
            return []
        return relaxations(self.filterset, self.counter)

    def did_you_mean(self) -> list[Organisation]:
        """Organisations with a name close to the search words: for a misspelt council."""
        if not self.searching or self.total:
            return []
        return Organisation.objects.close_to(self.text)

    def only_stop_words(self) -> bool:
        """True when the search words are all words the search ignores ("the and")."""
        return bool(self.words) and not has_search_terms(self.words)

    # --- references and organisation names typed in the search box -----------------

    def referenced(self) -> list[Decision]:
        """The published decisions whose references the search text gives among other
        words, to lead the word matches (a text of references alone finds them as its
        matches). A reference is an identifier: the filters do not apply to it."""
        if not self.references or not self.words:
            return []
        found = Decision.objects.published().for_listing().filter(reference__in=self.references)
        return list(found.newest_first())

    def the_one_referenced(self) -> Decision | None:
        """The decision a search for one reference alone found, when it is the only
        match: the page goes straight to it."""
        if self.words or len(self.references) != 1 or self.total != Tally(1):
            return None
        return self.matching().first()

    @cached_property
    def named(self) -> list[NameCount]:
        """name_matches(): asked for by the page and by about_the_name(), found once."""
        return self.name_matches()

    def name_matches(self, limit: int = 5) -> list[NameCount]:
        """Organisations the search words name ("norfolk", "Leicster"), with how many
        decisions each has under the other filters: statements are anonymised, so
        names are rarely in their text. They are offered beside the word matches, which
        stay what the words match."""
        if not self.words or self.organisation_choice is not None:
            return []
        matches = Organisation.objects.with_words_of(self.words)[:limit]
        if not matches:
            return []
        decisions = self.filterset.queryset_without("q", "organisation").filter(
            organisation__in=[match.organisation.pk for match in matches]
        )
        counted = self.counter.grouped(decisions, ("organisation_id",), None)
        counts = {row["organisation_id"]: row["count"] for row in counted.rows}
        return [
            NameCount(match, Tally(counts[match.organisation.pk], counted.exact))
            for match in matches
            if counts.get(match.organisation.pk)
        ]

    def about_the_name(self) -> DecisionSearch | None:
        """When the words match no text but name an organisation: that organisation's
        decisions, searched for the words left once the name's are taken out
        ("norfolk school transport" -> Norfolk County Council, "school transport")."""
        if self.total or not self.words:
            return None
        named = self.named[:1]
        if not named:
            return None
        match = named[0].match
        params = self.filterset.data.copy()
        params["organisation"] = match.organisation.slug
        # The words the name took, and the name's own words typed with it ("county").
        taken = set(match.words) | set(re.findall(r"[a-z]+", match.organisation.name.lower()))
        rest = [word for word in self.words.split() if word.lower().strip(",.") not in taken]
        if rest:
            params["q"] = " ".join(rest)
        else:
            params.pop("q")
        params.pop("page", None)
        return DecisionSearch(DecisionFilter(params), self.whole, self.counter)


def beyond(cursor: Cursor, oldest: bool) -> Q:
    """The decisions after `cursor` in date order, undated decisions last either way."""
    if cursor.decision_date is None:
        return Q(decision_date__isnull=True) & (
            Q(pk__gt=cursor.pk) if oldest else Q(pk__lt=cursor.pk)
        )
    date = cursor.decision_date
    later = "gt" if oldest else "lt"
    return (
        Q(**{f"decision_date__{later}": date})
        | Q(decision_date=date, **{f"pk__{later}": cursor.pk})
        | Q(decision_date__isnull=True)
    )

"""One search of the archive, the read path behind every door: the list page, the API,
downloads, feeds, statistics, a decision's previous and next result, so that a filter
means the same thing everywhere.

`DecisionSearch.from_params(params)` has the FilterSet parse and validate the query
string once (the words, the filters, the sort, the page and its size). The search index
then answers for the matches: their exact number, their order (BM25 relevance over
every match, ties in the list's order; newest, oldest, largest payment), any page of
them, the facet counts and the snippets. The rows themselves are read from PostgreSQL,
the record, by id in one query: a decision withdrawn a moment ago is on no page.

Without a usable index, a page with no search words is still served from PostgreSQL
(rows and an exact count, no facets); a word search raises `SearchUnavailable`, which
the doors answer with a 503 that says so. Nothing in here refers to an HTTP request.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import tantivy
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.safestring import SafeString

from decisions.filters import DecisionFilter, OrganisationChoice
from decisions.models import Decision, Organisation
from decisions.parsing.references import find_references
from decisions.querysets import DecisionQuerySet, NameMatch, words_of
from decisions.search import engine, syncing
from decisions.search.acronyms import also_searching, expanded
from decisions.search.active import ActiveFilter, Relaxation, active_filters
from decisions.search.conditions import filter_queries
from decisions.search.documents import newest_key, oldest_key
from decisions.search.engine import Hit, IndexUnavailable
from decisions.search.facets import FACETS, Facet
from decisions.search.highlight import snippets
from decisions.search.spelling import Suggestion, corrected
from decisions.search.tally import Tally
from decisions.search_grammar import parse_search

if TYPE_CHECKING:
    from decisions.search.results import SearchResults

# A last page of one to three rows is folded into the one before it.
ORPHANS = 3
# Where a decision stands in a ranked order is looked for among this many matches.
PLACE_LIMIT = 10_000


class SearchUnavailable(Exception):
    """A word search cannot be answered: the index is missing or broken."""


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
    """A position in date order, after the decision with this date and id."""

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


def read_rows(ids: Sequence[int]) -> list[Decision]:
    """The published decisions `ids`, in that order, in one query: a row the index still
    has but PostgreSQL no longer publishes is left out."""
    found = Decision.objects.published().for_listing().in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


class Matches:
    """The matches as Django's Paginator pages them: counted once, sliced by the index."""

    def __init__(self, search: DecisionSearch, total: int) -> None:
        self.search = search
        self._count = total
        self.hits: list[Hit] = []

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

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
        return self.search.window(start, stop - start, self)


class DecisionSearch:
    """A validated search over the published decisions, and everything a door shows
    of it."""

    def __init__(self, filterset: DecisionFilter, today: datetime.date | None = None) -> None:
        self.filterset = filterset
        self.today = today or datetime.date.today()
        self.valid = filterset.is_valid()
        chosen = filterset.form.cleaned_data
        self.chosen: Mapping[str, Any] = chosen
        self.errors: ErrorDict = filterset.form.errors
        # What could not be used and was replaced by a default (sort, page size, page).
        self.notes: list[str] = list(getattr(filterset.form, "notes", []))
        self.text: str = chosen.get("q", "") if self.valid else ""
        self.searching = bool(self.text)
        # The search text is words and case references: the words are matched in the
        # text, and a text of references alone finds those decisions.
        self.words = words_of(self.text)
        self.references = find_references(self.text)
        self.parsed = parse_search(self.words)
        # What the engine searches: the words as typed, and the field's acronyms both
        # ways (decisions.search.acronyms), which the page names.
        self.searched = expanded(self.parsed)
        if also := also_searching(self.parsed):
            self.notes.append("Also searching for " + ", ".join(also) + ".")
        # Any filter or search words given, valid or not.
        self.filtered = filterset.active
        self.sort: str = chosen.get("sort") or "newest"
        self.per_page: int = chosen.get("per_page") or settings.DECISIONS_PER_PAGE
        self.page_number: int = chosen.get("page") or 1
        self.organisation_choice: OrganisationChoice | None = (
            chosen.get("organisation") if self.valid else None
        )

    @classmethod
    def from_params(
        cls, params: QueryDict | Mapping[str, str], today: datetime.date | None = None
    ) -> DecisionSearch:
        """The search a query string asks for."""
        if not isinstance(params, QueryDict):
            query = QueryDict(mutable=True)
            query.update(params)
            params = query
        return cls(DecisionFilter(params), today)

    # --- the engine ----------------------------------------------------------------------

    @cached_property
    def searcher(self) -> tantivy.Searcher | None:
        """The index's searcher for this search, taken once so that its count, its rows
        and its facets are read from the same commit; None when there is no index and
        no words (PostgreSQL then answers). SearchUnavailable for words without one."""
        try:
            syncing.in_step_for_tests()
            return engine.searcher()
        except IndexUnavailable as problem:
            if self.searching:
                raise SearchUnavailable(str(problem)) from problem
            return None

    def index_position(self) -> str:
        """The change-log position of the index this search reads ("" without one)."""
        return (engine.position(self.searcher) or "") if self.searcher is not None else ""

    @cached_property
    def text_query(self) -> tantivy.Query | None:
        return engine.text_query(self.searched) if self.words else None

    def query(self, *without: str) -> tantivy.Query:
        """The engine's query of every valid filter but `without`, and the words."""
        text = None if "q" in without else self.text_query
        filters = filter_queries(self.filterset, (*without, "q"))
        if "q" not in without and not self.words and self.references:
            filters.append(engine.any_of("reference", self.references))
        return engine.combined(text, filters)

    @property
    def matches_nothing(self) -> bool:
        """Words that cannot match (only stop words or punctuation), or an invalid search."""
        if not self.valid:
            return True
        if self.searching and not self.words and not self.references:
            return True  # punctuation alone ("?!..."): nothing to search for
        return bool(self.words) and self.text_query is None

    # --- which decisions, and how many ------------------------------------------------

    @cached_property
    def total(self) -> Tally:
        """How many decisions match: exact."""
        if self.matches_nothing:
            return Tally(0)
        if self.searcher is None:
            return Tally(self.filterset.queryset_without().count())
        return Tally(engine.count(self.searcher, self.query()))

    def hits(self, offset: int, limit: int) -> list[Hit]:
        """Positions offset..offset+limit of the matches in the chosen order."""
        found = self.searcher
        if self.matches_nothing or found is None or limit <= 0:
            return []
        query = self.query()
        if self.sort == "relevance" and self.words:
            return engine.ranked(found, query, offset, limit)
        if self.sort == "largest":
            return engine.largest_first(found, query, offset, limit)
        if self.sort == "oldest":
            return engine.by_key(found, query, "oldest_key", False, offset, limit)
        return engine.by_key(found, query, "newest_key", True, offset, limit)

    def in_postgresql(self) -> DecisionQuerySet:
        """The matches as PostgreSQL selects them, for a page without search words when
        the index is unavailable (the filters only: words are the index's)."""
        rows: DecisionQuerySet = self.filterset.queryset_without()  # type: ignore[assignment]
        return rows

    def window(self, offset: int, limit: int, into: Matches | None = None) -> list[Decision]:
        """The decisions at positions offset..offset+limit, read from PostgreSQL."""
        if self.searcher is None:
            if self.matches_nothing:
                return []
            rows = self.in_postgresql().sorted_by(self.pg_sort)
            return list(rows[offset : offset + limit])
        found = self.hits(offset, limit)
        if into is not None:
            into.hits = found
        return read_rows([hit.pk for hit in found])

    @property
    def pg_sort(self) -> str:
        return "newest" if self.sort == "relevance" else self.sort

    def ordered_ids(self, limit: int) -> list[int]:
        """The ids of the first `limit` matches in the chosen order."""
        if self.searcher is None:
            if self.matches_nothing:
                return []
            rows = self.in_postgresql().sorted_by(self.pg_sort)
            return list(rows.values_list("pk", flat=True)[:limit])
        return [hit.pk for hit in self.hits(0, min(limit, self.total.value))]

    def ids(self) -> list[int]:
        """Every match's id, in no particular order: what statistics count."""
        if self.matches_nothing:
            return []
        if self.searcher is None:
            return list(self.filterset.queryset_without().values_list("pk", flat=True))
        total = self.total.value
        if not total:
            return []
        found = self.searcher.search(self.query(), total, count=False, order_by_field="newest_key")
        return engine.ids_of(self.searcher, [address for _, address in found.hits])

    # --- rows ----------------------------------------------------------------------------

    def page(self) -> ResultPage:
        """The requested page of rows, with snippets for a word search."""
        notes: list[str] = []
        matches = Matches(self, self.total.value)
        paginator = Paginator(matches, self.per_page, orphans=ORPHANS)
        page = paginator.get_page(self.page_number)
        if self.page_number > page.number and paginator.count:
            notes.append(f"There are only {paginator.num_pages} pages: showing the last one.")
        decisions = list(page.object_list)
        found = self.snippets(matches.hits) if self.words and self.searcher else {}
        result = [ResultRow(decision, found.get(decision.pk, "")) for decision in decisions]
        return ResultPage(result, page, notes)

    def results(self) -> SearchResults:
        """Everything the list page shows of this search, in one frozen value."""
        from decisions.search.results import results_of

        return results_of(self)

    def snippets(self, hits: list[Hit]) -> dict[int, SafeString]:
        if self.searcher is None or self.text_query is None:
            return {}
        return snippets(self.searcher, hits, engine.stems(self.searched))

    def snippets_for(self, decisions: Sequence[Decision]) -> dict[int, SafeString]:
        """The snippets of these decisions (an API page read by cursor)."""
        if not self.words or self.searcher is None or self.text_query is None:
            return {}
        wanted = engine.any_of("id", [decision.pk for decision in decisions])
        found = self.searcher.search(wanted, max(len(decisions), 1), count=False).hits
        return self.snippets(engine.hits(self.searcher, [address for _, address in found]))

    def rows(self, chunk_size: int = 500, *, load: tuple[str, ...] = ()) -> Iterator[Decision]:
        """Every match in the chosen order (up to one past DOWNLOAD_MAX_ROWS, so that a
        download can say it stopped), read from PostgreSQL a chunk at a time. `load`
        names fields the list leaves unread ("remedies") that the caller reads."""
        ids = self.ordered_ids(settings.DOWNLOAD_MAX_ROWS + 1)
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start : start + chunk_size]
            rows: DecisionQuerySet = Decision.objects.published().for_listing()
            deferred, deferring = rows.query.deferred_loading
            if load and deferring:
                rows = rows.defer(None).defer(*sorted(set(deferred) - set(load)))
            found = rows.in_bulk(chunk)
            yield from (found[pk] for pk in chunk if pk in found)

    def after(self, cursor: Cursor | None, limit: int) -> tuple[list[Decision], Cursor | None]:
        """Up to `limit` matches after `cursor` in date order (oldest first if that is
        the sort, else newest first), and the cursor of the next page (None at the end)."""
        oldest = self.sort == "oldest"
        if self.searcher is None:
            if self.matches_nothing:
                return [], None
            rows = self.in_postgresql()
            rows = rows.oldest_first() if oldest else rows.newest_first()
            if cursor is not None:
                rows = rows.filter(beyond(cursor, oldest))
            found = list(rows[: limit + 1])
        else:
            found = self._after_in_index(cursor, limit, oldest)
        more = len(found) > limit
        found = found[:limit]
        last = found[-1] if found else None
        return found, (Cursor(last.decision_date, last.pk) if more and last else None)

    def _after_in_index(self, cursor: Cursor | None, limit: int, oldest: bool) -> list[Decision]:
        assert self.searcher is not None
        if self.matches_nothing:
            return []
        key = "oldest_key" if oldest else "newest_key"
        query = self.query()
        if cursor is not None:
            if oldest:
                after = engine.between(key, oldest_key(cursor.decision_date, cursor.pk) + 1)
            else:
                after = engine.between(key, 0, newest_key(cursor.decision_date, cursor.pk) - 1)
            query = engine.combined(None, [query, after])
        found = engine.by_key(self.searcher, query, key, not oldest, 0, limit + 1)
        return read_rows([hit.pk for hit in found])

    # --- around the rows ---------------------------------------------------------------

    @cached_property
    def facet_counts(self) -> dict[str, dict[str, Any]]:
        """Each offered facet's aggregation result, by facet name; none for an invalid
        search or without an index. Facets that leave out the same filters are counted
        in one request: each counts over the decisions every other filter selects."""
        if self.matches_nothing or self.searcher is None:
            return {}
        groups: dict[tuple[str, ...], list[Any]] = {}
        for facet in FACETS:
            if facet.offered(self.chosen):
                in_use = tuple(name for name in facet.leaves_out if self.chosen.get(name))
                groups.setdefault(in_use, []).append(facet)
        found: dict[str, dict[str, Any]] = {}
        for left_out, facets in groups.items():
            spec = {facet.name: facet.aggregation(self.today) for facet in facets}
            found |= engine.aggregate(self.searcher, self.query(*left_out), spec)
        return found

    @cached_property
    def facets(self) -> list[Facet]:
        """Each facet with its options, labels and counts, in the order shown."""
        counts = self.facet_counts
        return [
            Facet(
                facet.name, facet.title, facet.options(counts[facet.name], self.chosen, self.today)
            )
            for facet in FACETS
            if facet.name in counts
        ]

    def active_filters(self) -> list[ActiveFilter]:
        return active_filters(self.filterset) if self.valid else []

    def relaxations(self) -> list[Relaxation]:
        """For a valid search with no results: each filter to drop, with its count."""
        if not self.valid or self.total or self.searcher is None or self.matches_nothing:
            return []
        found = []
        for active in self.active_filters():
            number = engine.count(self.searcher, self.query(*active.drops))
            if number:
                found.append(Relaxation(active, Tally(number)))
        return sorted(found, key=lambda relaxation: -relaxation.count.value)

    def did_you_mean(self) -> list[Organisation]:
        """Organisations with a name close to the search words: for a misspelt council."""
        if not self.searching or self.total:
            return []
        return Organisation.objects.close_to(self.text)

    def suggested_words(self) -> list[Suggestion]:
        """The search with its misspelt words replaced by the archive's own ("Did you
        mean homelessness?"), when that search, under the same filters, finds decisions:
        a word is never offered that would give nothing too (decisions.search.spelling)."""
        if not self.words or self.total or not self.valid or self.searcher is None:
            return []
        suggestion = corrected(self.searcher, self.text, self.parsed)
        if suggestion is None:
            return []
        params = self.filterset.data.copy()
        params.pop("page", None)
        params["q"] = suggestion.text
        again = DecisionSearch(DecisionFilter(params), self.today)
        return [suggestion] if again.valid and again.total else []

    def only_stop_words(self) -> bool:
        """True when the search words are all words the search ignores ("the and"), or
        punctuation alone."""
        if self.searching and not self.words and not self.references:
            return True
        return bool(self.words) and self.text_query is None

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
        found = self.window(0, 1)
        return found[0] if found else None

    @cached_property
    def named(self) -> list[NameCount]:
        """name_matches(): asked for by the page and by about_the_name(), found once."""
        return self.name_matches()

    def name_matches(self, limit: int = 5) -> list[NameCount]:
        """Organisations the search words name ("norfolk", "Leicster"), with how many
        decisions each has under the other filters: statements are anonymised, so
        names are rarely in their text. They are offered beside the word matches, which
        stay what the words match."""
        if not self.words or self.organisation_choice is not None or self.searcher is None:
            return []
        matches = Organisation.objects.with_words_of(self.words)[:limit]
        if not matches:
            return []
        ids = [match.organisation.pk for match in matches]
        query = engine.combined(
            None, [self.query("q", "organisation"), engine.any_of("organisation", ids)]
        )
        spec = {"named": {"terms": {"field": "organisation", "size": len(ids) + 1}}}
        buckets = engine.aggregate(self.searcher, query, spec)["named"]["buckets"]
        counts = {int(b["key"]): int(b["doc_count"]) for b in buckets}
        return [
            NameCount(match, Tally(counts[match.organisation.pk]))
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
        return DecisionSearch(DecisionFilter(params), self.today)


def beyond(cursor: Cursor, oldest: bool) -> Q:
    """The decisions after `cursor` in date order, undated decisions last either way
    (PostgreSQL's side, when the index is unavailable)."""
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

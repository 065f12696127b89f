"""The query vocabulary of the models: chainable querysets every read starts from.

`models.py` attaches these as managers; nothing here imports the models, so the search
code (decisions.search) builds on them and the models never import it.

Full-text search follows the Django documentation's PostgreSQL recipe
(https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/): a stored,
weighted vector, `websearch_to_tsquery` for the user's words, `ts_rank` for order.
Organisation names use pg_trgm (https://www.postgresql.org/docs/current/pgtrgm.html):
ILIKE for any part of a name and word similarity for small misspellings, both served
by the trigram GIN index `organisation_name_trgm`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import F, OrderBy, Value
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from decisions.models import Organisation

# The text search configuration of the stored vector and of queries alike: they must
# match, or stemmed query words would miss stemmed document words.
SEARCH_CONFIG = "english"

# The list order, defined once: newest first, undated decisions last (their date is
# unknown, not old), then the latest imported. The default list, the model's ordering,
# the indexes that serve it and every tie-break of a ranked search use it.
NEWEST_FIRST: tuple[OrderBy, ...] = (
    F("decision_date").desc(nulls_last=True),
    F("id").desc(),
)
# Oldest first; undated decisions still last.
OLDEST_FIRST: tuple[OrderBy, ...] = (
    F("decision_date").asc(nulls_last=True),
    F("id").asc(),
)

# The counting sample (decisions.search.counting) is MOD(id, SAMPLE_BUCKETS) < n, read
# through an index on that expression (decision_sample_bucket_idx): fixed for good.
SAMPLE_BUCKETS = 1000

# pg_trgm's word_similarity ranges 0..1. 0.6 (pg_trgm's own default for the %> operator)
# lets "Norfok" find "Norfolk County Council" (0.71), while "no-such-council" (0.5, for
# the word "council" alone) finds nothing.
NAME_SIMILARITY = 0.6


def websearch_query(text: str) -> SearchQuery:
    """The user's words in web-search syntax: words, "phrases", OR, -exclusion."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def has_search_terms(text: str) -> bool:
    """False when `text` is only stop words or punctuation ("the and"), so it can match
    nothing: the page then says why instead of a bare "no results"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [SEARCH_CONFIG, text]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


class DecisionQuerySet(models.QuerySet):
    def published(self) -> DecisionQuerySet:
        """What the public may see: every decision not withdrawn in the admin. Every public
        list, search, count, facet and page starts here."""
        return self.filter(withdrawn_at__isnull=True)

    def for_listing(self) -> DecisionQuerySet:
        """Only what a list row shows, with its related names in the same query."""
        return self.select_related("organisation", "category__parent").defer(
            "sections", "body_text", "remedies", "other_bodies", "legislation", "search_vector"
        )

    def newest_first(self) -> DecisionQuerySet:
        return self.order_by(*NEWEST_FIRST)

    def oldest_first(self) -> DecisionQuerySet:
        return self.order_by(*OLDEST_FIRST)

    def sorted_by(self, sort: str) -> DecisionQuerySet:
        """In the order named `sort`: "newest", "oldest", or "relevance", which keeps
        search()'s own order."""
        if sort == "newest":
            return self.newest_first()
        if sort == "oldest":
            return self.oldest_first()
        return self

    def search(self, text: str) -> DecisionQuerySet:
        """Decisions matching `text`, best first.

        The stored vector weighs summary words (A) above body words (B), so a summary
        match ranks above a body-only one. Snippets are not computed here (see
        decisions.search.highlight), only for the rows of one page.
        A query of only stop words or punctuation compiles to an empty tsquery,
        which matches nothing; callers show their "no results" help for it.
        """
        query = websearch_query(text)
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query, cover_density=False))
            # Equal ranks fall back to the list order.
            .order_by("-rank", *NEWEST_FIRST)
        )

    def newest_ids(self, limit: int) -> DecisionQuerySet:
        """The ids of the newest `limit` decisions of this queryset, as a subquery.

        Ordered by an expression no index serves, on purpose: with the plain order and a
        small LIMIT, PostgreSQL walks the date index testing each row against the search
        (reading its stored vector) and took 800 ms at 680,000 decisions. With no index
        for the order it finds every match through the GIN index and sorts their dates:
        a read of the matching rows, no vector. Null dates sort last, as in NEWEST_FIRST.
        """
        undated_last = Coalesce("decision_date", Value(datetime.date.min))
        return self.order_by(undated_last.desc(), F("id").desc()).values("pk")[:limit]


class OrganisationQuerySet(models.QuerySet):
    def named(self, text: str) -> OrganisationQuerySet:
        """The organisation whose name or slug is exactly `text` (any case)."""
        return self.filter(models.Q(slug=text) | models.Q(name__iexact=text))

    def containing(self, text: str) -> OrganisationQuerySet:
        """Organisations whose name contains `text`, by name."""
        return self.filter(name__icontains=text).order_by("name")

    def similar_to(self, text: str) -> OrganisationQuerySet:
        """Organisations with a name word close to `text`, most similar first: the
        did-you-mean for a misspelt name ("Norfok")."""
        # The %> operator can use the trigram index; the annotation orders the few it finds.
        return (
            self.annotate(similarity=TrigramWordSimilarity(text, "name"))
            .filter(name__trigram_word_similar=text, similarity__gte=NAME_SIMILARITY)
            .order_by("-similarity", "name")
        )

    def like(self, text: str, limit: int = 10) -> list[Organisation]:
        """Organisations whose name contains `text`, else whose name is close to it;
        best first, at most `limit`."""
        text = normalised(text)
        if not text:
            return []
        return list(self.containing(text)[:limit]) or self.close_to(text, limit)

    def close_to(self, text: str, limit: int = 5) -> list[Organisation]:
        """similar_to(), for a text long enough to have trigrams worth comparing."""
        text = normalised(text)
        if len(text) < 3:
            return []
        return list(self.similar_to(text)[:limit])


def normalised(text: str) -> str:
    """`text` with its runs of white space made single spaces, trimmed."""
    return " ".join(text.split())

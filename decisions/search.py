"""How decisions are read: the chainable queryset behind every listing.

Full-text search follows the Django documentation's PostgreSQL recipe
(https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/): a stored,
weighted vector, `websearch_to_tsquery` for the user's words, `ts_rank` for order.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import F

# The text search configuration of the stored vector and of queries alike: they must
# match, or stemmed query words would miss stemmed document words.
SEARCH_CONFIG = "english"


def websearch_query(text: str) -> SearchQuery:
    """The user's words in web-search syntax: words, "phrases", OR, -exclusion."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class DecisionQuerySet(models.QuerySet):
    def for_listing(self) -> DecisionQuerySet:
        """Only what a list row shows, with its related names in the same query."""
        return self.select_related("organisation", "category__parent").defer(
            "sections", "body_text", "remedies", "other_bodies", "legislation", "search_vector"
        )

    def search(self, text: str) -> DecisionQuerySet:
        """Decisions matching `text`, best first, each with a highlighted snippet.

        A query of only stop words or punctuation compiles to an empty tsquery,
        which matches nothing; callers show their "no results" help for it.
        """
        query = websearch_query(text)
        return (
            self.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query, cover_density=False),
                snippet=SearchHeadline(
                    "summary",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=40,
                    min_words=20,
                    highlight_all=True,
                ),
            )
            # Equal ranks fall back to the listing's order: newest first, undated last.
            .order_by("-rank", F("decision_date").desc(nulls_last=True), "-id")
        )


def has_search_terms(text: str) -> bool:
    """False when `text` is only stop words or punctuation ("the and"), so it can match
    nothing: the page then says why instead of a bare "no results"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [SEARCH_CONFIG, text]
        )
        return bool(cursor.fetchone()[0])

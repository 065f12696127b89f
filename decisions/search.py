"""How decisions are read: the chainable queryset behind every listing, and the
typo-tolerant look-up of organisation names.

Full-text search follows the Django documentation's PostgreSQL recipe
(https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/): a stored,
weighted vector, `websearch_to_tsquery` for the user's words, `ts_rank` for order.
Organisation names use pg_trgm (https://www.postgresql.org/docs/current/pgtrgm.html):
ILIKE for any part of a name and word similarity for small misspellings, both served
by the trigram GIN index `organisation_name_trgm`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, models
from django.db.models import Case, F, Q, When

if TYPE_CHECKING:
    from decisions.models import Organisation

# The text search configuration of the stored vector and of queries alike: they must
# match, or stemmed query words would miss stemmed document words.
SEARCH_CONFIG = "english"

# ts_headline's options. A summary is short, so all of it is shown with every match
# marked (HighlightAll also keeps its text whole: fragments drop anything tag-like). A body
# is long, so two fragments around the matches, about two lines.
SUMMARY_HEADLINE = {
    "config": SEARCH_CONFIG,
    "start_sel": "<mark>",
    "stop_sel": "</mark>",
    "highlight_all": True,
}
BODY_HEADLINE = {
    "config": SEARCH_CONFIG,
    "start_sel": "<mark>",
    "stop_sel": "</mark>",
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}

# pg_trgm's word_similarity ranges 0..1. 0.6 (pg_trgm's own default for the %> operator)
# lets "Norfok" find "Norfolk County Council" (0.71), while "no-such-council" (0.5, for
# the word "council" alone) finds nothing.
NAME_SIMILARITY = 0.6


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
        """Decisions matching `text`, best first.

        The stored vector weighs summary words (A) above body words (B), so a summary
        match ranks above a body-only one. Snippets are not computed here: see
        `headlines()`, which is run for one page of rows only.
        A query of only stop words or punctuation compiles to an empty tsquery,
        which matches nothing; callers show their "no results" help for it.
        """
        query = websearch_query(text)
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query, cover_density=False))
            # Equal ranks fall back to the listing's order: newest first, undated last.
            .order_by("-rank", F("decision_date").desc(nulls_last=True), "-id")
        )

    def headlines(self, ids: list[int], text: str) -> dict[int, str]:
        """{id: snippet with <mark>ed matches} for the decisions `ids`, in one query.

        ts_headline re-parses the whole text, which is slow on long bodies, so it runs
        only for the rows on screen, and on the body only when the summary has no match
        (PostgreSQL evaluates only the CASE branch it takes).
        """
        if not ids:
            return {}
        query = websearch_query(text)
        rows = (
            self.model._base_manager.filter(pk__in=ids)
            .alias(summary_vector=SearchVector("summary", config=SEARCH_CONFIG))
            .annotate(
                snippet=Case(
                    When(
                        Q(summary_vector=query),
                        then=SearchHeadline("summary", query, **SUMMARY_HEADLINE),
                    ),
                    default=SearchHeadline("body_text", query, **BODY_HEADLINE),
                )
            )
            .values_list("pk", "snippet")
        )
        return dict(rows)

    def published(self) -> DecisionQuerySet:
        """What the public may see: every decision not withdrawn in the admin. Every public
        list, search, count, facet and page starts here."""
        return self.filter(withdrawn_at__isnull=True)


def has_search_terms(text: str) -> bool:
    """False when `text` is only stop words or punctuation ("the and"), so it can match
    nothing: the page then says why instead of a bare "no results"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [SEARCH_CONFIG, text]
        )
        return bool(cursor.fetchone()[0])


def organisations_like(text: str, limit: int = 10) -> list[Organisation]:
    """Organisations whose name contains `text`, else whose name is close to it
    ("Norfok" -> Norfolk County Council); best first, at most `limit`."""
    from decisions.models import Organisation

    text = " ".join(text.split())
    if not text:
        return []
    containing = Organisation.objects.filter(name__icontains=text).order_by("name")[:limit]
    found = list(containing)
    return found or similar_organisations(text, limit)


def similar_organisations(text: str, limit: int = 5) -> list[Organisation]:
    """Organisations whose name has a word close to `text`, most similar first: the
    did-you-mean for a misspelt name typed in the search box or the organisation field."""
    from decisions.models import Organisation

    text = " ".join(text.split())
    if len(text) < 3:
        return []
    return list(
        Organisation.objects.annotate(similarity=TrigramWordSimilarity(text, "name"))
        # The %> operator can use the trigram index; the annotation orders the few it finds.
        .filter(name__trigram_word_similar=text, similarity__gte=NAME_SIMILARITY)
        .order_by("-similarity", "name")[:limit]
    )

"""Similar decisions: the search index's more-like-this over a decision's own document,
with the same analyser as the search, the same subcategory weighted first. Words in
most statements (the Ombudsman's standard paragraphs) are left out by their document
frequency, which the index keeps. Withdrawn decisions are never shown: they are not in
the index, and rows are read from PostgreSQL's published decisions.
https://docs.rs/tantivy/latest/tantivy/query/struct.MoreLikeThisQuery.html
"""

from __future__ import annotations

import tantivy

from decisions.models import Decision
from decisions.search import engine, syncing
from decisions.search.engine import IndexUnavailable, Occur, Query

# A word in more than this share of decisions says nothing of what one is about.
COMMON_SHARE = 0.4
# How much the same subcategory adds to a candidate's score.
SAME_SUBCATEGORY_BOOST = 2.0


def similarity_query(found: tantivy.Searcher, decision: Decision) -> Query | None:
    """The more-like-this query of `decision`'s document; None if it is not indexed."""
    own = found.search(engine.term("id", decision.pk), 1, count=False).hits
    if not own:
        return None
    like = Query.more_like_this_query(
        own[0][1],
        min_doc_frequency=2,
        max_doc_frequency=max(2, int(found.num_docs * COMMON_SHARE)),
        min_term_frequency=1,
        max_query_terms=25,
        min_word_length=3,
    )
    parts: list[tuple[Occur, Query]] = [
        (Occur.Must, like),
        (Occur.Must, engine.documents()),
        (Occur.MustNot, engine.term("id", decision.pk)),
    ]
    if decision.category_id and decision.category and decision.category.parent_id:
        same = Query.const_score_query(engine.term("subcategory", decision.category_id), 1.0)
        parts.append((Occur.Should, Query.boost_query(same, SAME_SUBCATEGORY_BOOST)))
    return Query.boolean_query(parts)


def similar_decision_ids(decision: Decision, limit: int = 5) -> list[int]:
    """The ids of up to `limit` decisions most like `decision`, best first (none when
    the index is unavailable: the page then simply has no similar decisions)."""
    try:
        syncing.in_step_for_tests()
        found = engine.searcher()
    except IndexUnavailable:
        return []
    query = similarity_query(found, decision)
    if query is None:
        return []
    return [hit.pk for hit in engine.ranked(found, query, 0, limit)]


def similar_decisions(decision: Decision, limit: int = 5) -> list[Decision]:
    """Up to `limit` decisions like `decision`, ready for a list row: two queries."""
    ids = similar_decision_ids(decision, limit)
    if not ids:
        return []
    rows = Decision.objects.published().for_listing().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]

"""Similar decisions: the same subcategory first, closest in text, never the decision
itself. The search index's more-like-this query over the decision's own document, with
the same analyser as the search: its most significant words (by their frequency in it
and their rarity in the archive) OR-ed together and ranked by BM25. When the
subcategory has fewer than `limit`, the rest come from the other subcategories of the
same category, never from another category. Withdrawn decisions are never shown: they
are not in the index, and rows are read from PostgreSQL's published decisions.
https://docs.rs/tantivy/latest/tantivy/query/struct.MoreLikeThisQuery.html
"""

from __future__ import annotations

import tantivy

from decisions.models import Decision
from decisions.search import engine, syncing
from decisions.search.engine import IndexUnavailable, Occur, Query

# Stems in almost every decision statement (the Ombudsman's standard paragraphs on its
# role and powers, and the words of any complaint): they say nothing about what a
# decision is about. The English-stemmed words in at least 40% of the 56 bundled sample
# decisions; a fixed list, since a small archive's document frequencies say little.
COMMON_STEMS: tuple[str, ...] = (
    "act", "action", "advers", "agre", "also", "amend", "call", "cannot", "caus", "complain",
    "complaint", "complet", "consid", "could", "council", "decid", "decis", "evid", "fail",
    "failur", "fault", "found", "govern", "impact", "inform", "injustic", "investig", "issu",
    "local", "make", "maladministr", "matter", "may", "miss", "mr", "mrs", "ms", "must",
    "ombudsman", "person", "power", "proper", "provid", "public", "refer", "respons", "role",
    "say", "section", "servic", "signific", "start", "statement", "take", "use", "whether",
    "word", "would",
)  # fmt: skip
# In a large archive, a word in more than this share of decisions is left out too.
COMMON_SHARE = 0.4
LARGE_ARCHIVE = 1_000


def like(found: tantivy.Searcher, decision: Decision) -> Query | None:
    """The more-like-this query of `decision`'s own document; None if it is not indexed.
    The words of its title (organisation and category names) are left out: every
    decision of the subcategory shares them."""
    own = found.search(engine.term("id", decision.pk), 1, count=False).hits
    if not own:
        return None
    title = str(found.doc(own[0][1]).get_first("title") or "")
    ignored = sorted({*COMMON_STEMS, *(word for _, word in engine.tokens(title))})
    large = found.num_docs >= LARGE_ARCHIVE
    return Query.more_like_this_query(
        own[0][1],
        min_doc_frequency=2,
        max_doc_frequency=int(found.num_docs * COMMON_SHARE) if large else None,
        min_term_frequency=1,
        max_query_terms=25,
        min_word_length=3,
        stop_words=ignored,
    )


def similar_decision_ids(decision: Decision, limit: int = 5) -> list[int]:
    """The ids of up to `limit` decisions most like `decision`, best first (none when
    the index is unavailable: the page then simply has no similar decisions)."""
    if decision.category_id is None or decision.category is None:
        return []
    try:
        syncing.in_step_for_tests()
        found = engine.searcher()
    except IndexUnavailable:
        return []
    query = like(found, decision)
    if query is None:
        return []
    subcategory = decision.category_id if decision.category.parent_id else None
    category = decision.category.parent_id or decision.category_id
    not_itself = engine.term("id", decision.pk)

    def best(within: Query, exclude: list[int], wanted: int) -> list[int]:
        parts = [(Occur.Must, query), (Occur.Must, within), (Occur.MustNot, not_itself)]
        if exclude:
            parts.append((Occur.MustNot, engine.any_of("id", exclude)))
        return [hit.pk for hit in engine.ranked(found, Query.boolean_query(parts), 0, wanted)]

    ids: list[int] = []
    if subcategory is not None:
        ids = best(engine.term("subcategory", subcategory), [], limit)
    if len(ids) < limit:
        ids += best(engine.term("category", category), ids, limit - len(ids))
    return ids


def similar_decisions(decision: Decision, limit: int = 5) -> list[Decision]:
    """Up to `limit` decisions like `decision`, ready for a list row: one query."""
    ids = similar_decision_ids(decision, limit)
    if not ids:
        return []
    rows = Decision.objects.published().for_listing().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]

"""Similar decisions: the same subcategory first, closest in text.

The decision's own stored vector gives its most significant lexemes (summary words count
three times over body words), OR-ed into a tsquery; the newest other decisions of its
subcategory that match it (decision_category_date_idx, with the @@ test that the GIN index
decision_search_gin serves) are ranked by ts_rank. When the subcategory has fewer than `limit`, the rest come
from the other subcategories of the same category. Withdrawn decisions are never shown.

https://www.postgresql.org/docs/current/functions-textsearch.html (unnest(tsvector), ts_rank)
"""

from __future__ import annotations

from config.replicas import reading_connection
from decisions.models import Decision

# Lexemes in almost every decision statement (the Ombudsman's standard paragraphs on its
# role and powers, and the words of any complaint). They say nothing about what a decision
# is about, and would make every decision "similar". Found as the English-stemmed lexemes
# in at least 40% of the 56 bundled sample decisions: a fixed stand-in for document
# frequency, which would cost a scan of the whole table to compute per request.
COMMON_LEXEMES: tuple[str, ...] = (
    "act", "action", "advers", "agre", "also", "amend", "call", "cannot", "caus", "complain",
    "complaint", "complet", "consid", "could", "council", "decid", "decis", "evid", "fail",
    "failur", "fault", "found", "govern", "impact", "inform", "injustic", "investig", "issu",
    "local", "make", "maladministr", "matter", "may", "miss", "mr", "mrs", "ms", "must",
    "ombudsman", "person", "power", "proper", "provid", "public", "refer", "respons", "role",
    "say", "section", "servic", "signific", "start", "statement", "take", "use", "whether",
    "word", "would",
)  # fmt: skip

# How many of the decision's own lexemes make up the query: enough to describe it.
QUERY_LEXEMES = 16
# ts_rank reads each candidate's whole vector, so it is given at most this many: the
# newest decisions of the subcategory (decision_category_date_idx in order, stopping
# early), and at most SIBLING_CANDIDATES from each other subcategory; those sharing no
# lexeme are dropped. The GIN index is not asked: sixteen OR-ed lexemes match nearly every
# decision (its bitmap took 390 ms at 650,000 decisions), which the planner cannot foresee
# for a query built inside the statement. Measured at 650,000 decisions (bench/README.md):
# 1,000 candidates found through the GIN index, 580-780 ms; 300 in date order, 5-7 ms.
CANDIDATES = 300
SIBLING_CANDIDATES = 60

# The category and its parent are parameters, not looked up inside the query: the planner
# then sees constants and uses the category index.
# LIMIT over UNION ALL stops pulling rows once the first branch has given `limit`, so the
# wider category branch runs only when the subcategory has too few: PostgreSQL's Append
# returns its branches in order (and these small, sorted branches get no parallel plan).
_SIMILAR_SQL = f"""
WITH terms AS (
    SELECT string_agg(top.lexeme, ' | ')::tsquery AS query
    FROM (
        SELECT u.lexeme
        FROM decisions_decision d, unnest(d.search_vector) AS u
        WHERE d.id = %(id)s AND u.lexeme ~ '^[a-z]{{3,}}$' AND u.lexeme <> ALL(%(common)s)
        ORDER BY cardinality(u.positions)
            + 2 * cardinality(array_positions(u.weights, 'A')) DESC, u.lexeme
        LIMIT {QUERY_LEXEMES}
    ) AS top
)
SELECT id FROM (
    (SELECT candidate.id
     FROM terms, (
        SELECT d.id, d.search_vector
        FROM decisions_decision d
        WHERE d.category_id = %(category)s AND d.id <> %(id)s AND d.withdrawn_at IS NULL
        ORDER BY d.decision_date DESC NULLS LAST, d.id DESC
        LIMIT {CANDIDATES}
     ) AS candidate
     WHERE candidate.search_vector @@ terms.query
     ORDER BY ts_rank(candidate.search_vector, terms.query, 1) DESC, candidate.id DESC
     LIMIT %(limit)s)
    UNION ALL
    (SELECT candidate.id
     FROM terms, decisions_category sibling, LATERAL (
        SELECT d.id, d.search_vector
        FROM decisions_decision d
        WHERE d.category_id = sibling.id AND d.withdrawn_at IS NULL
        ORDER BY d.decision_date DESC NULLS LAST, d.id DESC
        LIMIT {SIBLING_CANDIDATES}
     ) AS candidate
     WHERE sibling.parent_id = %(parent)s AND sibling.id <> %(category)s
       AND candidate.search_vector @@ terms.query
     ORDER BY ts_rank(candidate.search_vector, terms.query, 1) DESC, candidate.id DESC
     LIMIT %(limit)s)
) AS ranked
LIMIT %(limit)s
"""


def similar_decision_ids(decision: Decision, limit: int = 5) -> list[int]:
    """The ids of up to `limit` decisions most like `decision`, best first, in one query.

    Empty for a decision without a category, or without a single significant word.
    """
    if decision.category is None:  # None without a query when category_id is None
        return []
    params = {
        "id": decision.pk,
        "category": decision.category_id,
        "parent": decision.category.parent_id,
        "common": list(COMMON_LEXEMES),
        "limit": limit,
    }
    with reading_connection().cursor() as cursor:
        cursor.execute(_SIMILAR_SQL, params)
        return [row[0] for row in cursor.fetchall()]


def similar_decisions(decision: Decision, limit: int = 5) -> list[Decision]:
    """Up to `limit` decisions like `decision`, ready for a list row: two queries."""
    ids = similar_decision_ids(decision, limit)
    if not ids:
        return []
    rows = Decision.objects.for_listing().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]

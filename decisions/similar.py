"""Similar decisions: the same subcategory first, closest in text.

The decision's own stored vector gives its most significant lexemes (summary words count
three times over body words), OR-ed into a tsquery; the other decisions of its subcategory
that match it (GIN index on search_vector, with decision_category_date_idx for the
category) are ranked by ts_rank. When the subcategory has fewer than `limit`, the rest come
from the other subcategories of the same category. Withdrawn decisions are never shown.

https://www.postgresql.org/docs/current/functions-textsearch.html (unnest(tsvector), ts_rank)
"""

from __future__ import annotations

from django.db import connection

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

# How many of the decision's own lexemes make up the query: enough to describe it, few
# enough that the GIN look-up stays selective.
QUERY_LEXEMES = 16

# Both branches rank only inside their categories (decision_category_date_idx) and only
# decisions sharing a lexeme (decision_search_gin). LIMIT over UNION ALL stops pulling rows
# once the first branch has given `limit`, so the wider category branch runs only when the
# subcategory has too few: PostgreSQL's Append returns its branches in order (there is no
# parallel plan for these small, sorted branches).
_SIMILAR_SQL = f"""
WITH source AS (
    SELECT d.id, d.category_id, c.parent_id, d.search_vector
    FROM decisions_decision d
    JOIN decisions_category c ON c.id = d.category_id
    WHERE d.id = %(id)s
),
terms AS (
    SELECT string_agg(lexeme, ' | ')::tsquery AS query
    FROM (
        SELECT u.lexeme
        FROM source, unnest(source.search_vector) AS u
        WHERE u.lexeme ~ '^[a-z]{{3,}}$' AND u.lexeme <> ALL(%(common)s)
        ORDER BY cardinality(u.positions)
            + 2 * cardinality(array_positions(u.weights, 'A')) DESC, u.lexeme
        LIMIT {QUERY_LEXEMES}
    ) AS top
),
siblings AS (
    SELECT c.id FROM decisions_category c, source
    WHERE c.parent_id = source.parent_id AND c.id <> source.category_id
)
SELECT id FROM (
    (SELECT d.id
     FROM decisions_decision d, source, terms
     WHERE d.category_id = source.category_id AND d.id <> source.id
       AND d.search_vector @@ terms.query AND d.withdrawn_at IS NULL
     ORDER BY ts_rank(d.search_vector, terms.query, 1) DESC, d.id DESC
     LIMIT %(limit)s)
    UNION ALL
    (SELECT d.id
     FROM decisions_decision d, terms
     WHERE d.category_id IN (SELECT id FROM siblings)
       AND d.search_vector @@ terms.query AND d.withdrawn_at IS NULL
     ORDER BY ts_rank(d.search_vector, terms.query, 1) DESC, d.id DESC
     LIMIT %(limit)s)
) AS ranked
LIMIT %(limit)s
"""


def similar_decision_ids(decision: Decision, limit: int = 5) -> list[int]:
    """The ids of up to `limit` decisions most like `decision`, best first, in one query.

    Empty for a decision without a category, or without a single significant word.
    """
    if decision.category_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _SIMILAR_SQL, {"id": decision.pk, "common": list(COMMON_LEXEMES), "limit": limit}
        )
        return [row[0] for row in cursor.fetchall()]


def similar_decisions(decision: Decision, limit: int = 5) -> list[Decision]:
    """Up to `limit` decisions like `decision`, ready for a list row: two queries."""
    ids = similar_decision_ids(decision, limit)
    if not ids:
        return []
    rows = Decision.objects.for_listing().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]

"""Rebuild the statistics' summary tables (decisions.statistics.tables) from the
published decisions.

Called at the end of every import (decisions.importing.pipeline.run_import: the
command, the admin's uploads and `reparse_captures` alike), after the admin's edits,
withdrawals and restorations, and by `manage.py refresh_statistics` for a change made
any other way (SQL by hand). A rebuild is whole, not incremental: two statements over
the decisions' narrow columns (about a second at 100,000 decisions), in one
transaction, so a reader sees the old tables or the new ones, never half of each
(DELETE rather than TRUNCATE, which would lock readers out until the commit). Two
rebuilds at once wait for each other on an advisory lock.
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction

logger = logging.getLogger("decisions.statistics")

# pg_advisory_xact_lock's key: any number no other lock of the project uses.
REFRESH_LOCK = 16_016

# The flags the remedy filter reads (decisions.filters.REMEDY_CONDITIONS), kept with the
# decision's own values; a key the decision lacks stays absent (jsonb_strip_nulls).
FLAGS_OF_DECISION = """jsonb_strip_nulls(jsonb_build_object(
    'apology', d.remedies -> 'apology',
    'service_improvement', d.remedies -> 'service_improvement',
    'reassessment', d.remedies -> 'reassessment',
    'staff_training', d.remedies -> 'staff_training'))"""

# Each flag as a boolean: true exactly where the remedy filter's condition holds.
FLAG_COLUMNS_OF_DECISION = ", ".join(
    f"coalesce(d.remedies -> '{flag}' = 'true'::jsonb, false) AS {flag}"
    for flag in ("apology", "service_improvement", "reassessment", "staff_training")
)

_CELLS_SQL = f"""
INSERT INTO decisions_statisticscell
    (organisation_id, category_id, outcome, month, remedy_total, remedies,
     apology, service_improvement, reassessment, staff_training, decisions)
SELECT d.organisation_id, d.category_id, d.outcome,
       date_trunc('month', d.decision_date)::date, d.remedy_total, {FLAGS_OF_DECISION},
       {FLAG_COLUMNS_OF_DECISION}, count(*)
FROM decisions_decision d
WHERE d.withdrawn_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
"""

# A payment is {amount, purpose, text}; an amount that is not a plain number (a stored
# value edited by hand into something else) is left out rather than failing the rebuild.
_PAYMENTS_SQL = f"""
INSERT INTO decisions_statisticspayment
    (decision_id, organisation_id, category_id, outcome, decision_date, remedy_total,
     remedies, amount, purpose)
SELECT d.id, d.organisation_id, d.category_id, d.outcome, d.decision_date, d.remedy_total,
       {FLAGS_OF_DECISION}, (p ->> 'amount')::numeric(12, 2), coalesce(p ->> 'purpose', '')
FROM decisions_decision d
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(d.remedies -> 'payments') = 'array'
         THEN d.remedies -> 'payments' ELSE '[]'::jsonb END) AS p
WHERE d.withdrawn_at IS NULL
  AND jsonb_typeof(p) = 'object'
  AND (p ->> 'amount') ~ '^[0-9]{{1,10}}(\\.[0-9]{{1,2}})?$'
"""


def refresh_statistics() -> None:
    """Rebuild both summary tables from the published decisions, in one transaction."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
        cursor.execute("DELETE FROM decisions_statisticscell")
        cursor.execute("DELETE FROM decisions_statisticspayment")
        cursor.execute(_CELLS_SQL)
        cells = cursor.rowcount
        cursor.execute(_PAYMENTS_SQL)
        payments = cursor.rowcount
    tidy()
    logger.info(
        "statistics refreshed",
        extra={
            "cells": cells,
            "payments": payments,
            "seconds": round(time.perf_counter() - started, 2),
        },
    )


def refresh_after_commit() -> None:
    """Refresh once the current transaction commits (at once outside one): the
    admin's change is then visible to the rebuild."""
    transaction.on_commit(refresh_statistics)


def tidy() -> None:
    """Fresh planner statistics for the rebuilt tables (a plan made for the old rows, a
    nested loop over 30,000 of them, is ten times slower), and their dead rows cleared
    for reuse when the rebuild ran on its own (VACUUM cannot run in a transaction:
    inside one, as in the tests, ANALYZE alone)."""
    tables = "decisions_statisticscell, decisions_statisticspayment"
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")

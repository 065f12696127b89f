"""Which decisions each alert has to send in a run: the search index's side.

Position, not clock. A run takes one searcher, so every alert is answered from the same
commit of the index, and reads the position it reflects (a PostgreSQL snapshot,
decisions.search.syncing). An alert looks at the decisions in that commit that entered
the archive (`entered_at`, the decision's created_at) at or after its `since`, less those
it has delivered already. A decision committed but not yet indexed is not in the commit:
the next run finds it, because `since` only advances to a moment before which the index
is known to hold everything (`reflected_through`), less a margin, and the deliveries make
the overlap harmless. So nothing is skipped and nothing is sent twice.

The work grows with the alerts and the new decisions, never with the archive: one read
of the recent decisions (a range of `entered_at`), then per distinct search one query
restricted to those ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import tantivy
from django.db import connection
from django.http import QueryDict

from decisions.alerts.models import Alert, Delivery
from decisions.search import engine
from decisions.search.documents import SCHEMA
from decisions.search.query import DecisionSearch

# The earliest moment at which a transaction not yet seen by the index (committed since
# its snapshot, or still running) began: every decision it writes entered at or after
# it. now() is the transaction's start, here one statement's. Only clients' transactions
# write decisions (autovacuum's would hold the moment back for nothing). Another role's
# sessions show no xact_start without pg_read_all_stats: run the sender as the role the
# site and the importers use.
# https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW
REFLECTED_THROUGH_SQL = """
SELECT least(
    now(),
    (SELECT min(changed_at) FROM decisions_searchchange
     WHERE txid >= pg_snapshot_xmin(%(seen)s::pg_snapshot)
       AND NOT pg_visible_in_snapshot(txid, %(seen)s::pg_snapshot)),
    (SELECT min(xact_start) FROM pg_stat_activity
     WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
       AND backend_type = 'client backend')
)
"""


def reflected_through(position: str) -> datetime.datetime:
    """A moment before which every decision that entered the archive is in the index at
    `position`: the start of the oldest transaction the index has not seen."""
    with connection.cursor() as cursor:
        cursor.execute(REFLECTED_THROUGH_SQL, {"seen": position})
        moment: datetime.datetime = cursor.fetchone()[0]
    return moment


def epoch(moment: datetime.datetime) -> int:
    """As the index's `entered_at` holds it: whole seconds, rounded down, so that a
    decision entered in the same second as `since` is still looked at."""
    return int(moment.timestamp())


@dataclass
class Found:
    """What one alert has to send: the new matches (newest first), or why it cannot run."""

    ids: list[int] = field(default_factory=list)
    problem: str = ""


def recent(searcher: tantivy.Searcher, since: int) -> dict[int, int]:
    """Every decision in the index that entered at or after `since`: id to entered_at."""
    # On the inverted index (entered_at is indexed), not the fast field engine.between()
    # scans: the terms from `since` on are the new decisions' only, so the read does not
    # grow with the archive.
    entered_since = tantivy.Query.range_query(
        SCHEMA, "entered_at", tantivy.FieldType.Integer, since, None, use_inverted_index=True
    )
    query = engine.combined(None, [entered_since])
    total = engine.count(searcher, query)
    if not total:
        return {}
    found = searcher.search(query, total, count=False, order_by_field="newest_key")
    addresses = [address for _, address in found.hits]
    ids = engine.ids_of(searcher, addresses)
    entered = searcher.fast_field_values("entered_at", addresses)
    return {pk: int(at or 0) for pk, at in zip(ids, entered, strict=True)}


def problem_of(search: DecisionSearch) -> str:
    """Why a saved search cannot run any more (a category renamed, a filter removed)."""
    if search.valid:
        return ""
    parts = []
    for name, errors in search.errors.items():
        label = (
            search.filterset.form.fields[name].label
            if name in search.filterset.form.fields
            else name
        )
        parts.append(f"{label}: {' '.join(str(error) for error in errors)}")
    return "; ".join(parts) or "This search is no longer valid."


def matching(searcher: tantivy.Searcher, search: DecisionSearch, candidates: list[int]) -> set[int]:
    """Which of `candidates` the search matches, in the searcher's commit."""
    if not candidates or search.matches_nothing:
        return set()
    query = engine.combined(None, [search.query(), engine.any_of("id", candidates)])
    found = searcher.search(query, len(candidates), count=False)
    return set(engine.ids_of(searcher, [address for _, address in found.hits]))


def search_of(query: str) -> DecisionSearch:
    return DecisionSearch.from_params(QueryDict(query))


def plan(searcher: tantivy.Searcher, alerts: Iterable[Alert]) -> dict[int, Found]:
    """Each alert's new matches, by alert id."""
    alerts = list(alerts)
    if not alerts:
        return {}
    since = {alert.pk: epoch(alert.since) for alert in alerts if alert.since}
    entered = recent(searcher, min(since.values(), default=0))
    delivered: dict[int, set[int]] = {}
    if entered:
        # By the recent decisions only: bounded by them, whatever the archive's size.
        rows = Delivery.objects.filter(decision_id__in=list(entered))
        for alert_id, decision_id in rows.values_list("alert_id", "decision_id"):
            delivered.setdefault(alert_id, set()).add(decision_id)
    newest_first = list(entered)  # already in the list's order
    found: dict[int, Found] = {}
    searches: dict[str, DecisionSearch] = {}
    answered: dict[tuple[str, tuple[int, ...]], set[int]] = {}
    for alert in alerts:
        # Alerts that share a search share its validation (one FilterSet per search).
        search = searches.get(alert.query) or searches.setdefault(
            alert.query, search_of(alert.query)
        )
        if problem := problem_of(search):
            found[alert.pk] = Found(problem=problem)
            continue
        start = since.get(alert.pk, 0)
        done = delivered.get(alert.pk, set())
        candidates = [pk for pk in newest_first if entered[pk] >= start and pk not in done]
        # Alerts of one search confirmed or sent at the same time share one query too.
        key = (alert.query, tuple(candidates))
        if key not in answered:
            answered[key] = matching(searcher, search, candidates)
        hits = answered[key]
        found[alert.pk] = Found(ids=[pk for pk in candidates if pk in hits])
    return found

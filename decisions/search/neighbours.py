"""Where one decision stands among a search's matches, and the matches either side of
it: the decision page's "Previous result" and "Next result", in the list's own order.

Found from the decision's sort key, so the cost does not grow with the archive:
- in date order, a keyset comparison on (decision date, id), which the date indexes
  serve, as `DecisionSearch.after()` pages an API; its position is a count of the
  matches before it, stopped at the last row the list's pages reach;
- in relevance order, the ranked matches' ids in order: at most settings.RANK_LIMIT of
  them (DecisionSearch.page() ranks only the newest RANK_LIMIT of a larger search, and
  so does this), read as ids only, in the one query that ranks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from decisions.models import Decision
from decisions.querysets import DecisionQuerySet
from decisions.search.query import Cursor, DecisionSearch, beyond


@dataclass(frozen=True)
class Place:
    """A decision's place among a search's matches."""

    position: int | None  # 1 for the first match; None past the rows the pages reach
    previous: Decision | None
    next: Decision | None


def place_in(search: DecisionSearch, decision: Decision) -> Place | None:
    """Where `decision` stands in `search`'s order, or None when it is not a match."""
    if not search.valid:
        return None
    if search.sort in ("relevance", "largest"):
        return _ranked_place(search, decision)
    return _dated_place(search, decision)


def _ranked_place(search: DecisionSearch, decision: Decision) -> Place | None:
    """By the ids in the list's order, as far as its pages reach: relevance ranks at most
    RANK_LIMIT, and pages in order of payment stop at MAX_PAGES."""
    ids = list(search.ordered().values_list("pk", flat=True)[: search.reachable()])
    try:
        index = ids.index(decision.pk)
    except ValueError:
        return None
    wanted = [ids[i] for i in (index - 1, index + 1) if 0 <= i < len(ids)]
    found = {row.pk: row for row in Decision.objects.for_listing().filter(pk__in=wanted)}
    return Place(
        position=index + 1,
        previous=found.get(ids[index - 1]) if index else None,
        next=found.get(ids[index + 1]) if index + 1 < len(ids) else None,
    )


def _dated_place(search: DecisionSearch, decision: Decision) -> Place | None:
    rows: DecisionQuerySet = search.matching()
    if not rows.filter(pk=decision.pk).exists():
        return None
    oldest = search.sort == "oldest"
    cursor = Cursor(decision.decision_date, decision.pk)
    before = rows.filter(ahead_of(cursor, oldest))
    limit = settings.MAX_PAGES * search.per_page
    ahead = before.values("pk")[:limit].count()
    return Place(
        position=ahead + 1 if ahead < limit else None,
        # last(): the same order reversed, nulls and all, so the nearest comes first.
        previous=before.last(),
        next=rows.filter(beyond(cursor, oldest)).first(),
    )


def ahead_of(cursor: Cursor, oldest: bool) -> Q:
    """The decisions before `cursor` in date order (undated decisions last either way):
    the mirror of decisions.search.query.beyond()."""
    earlier = "lt" if oldest else "gt"
    if cursor.decision_date is None:
        return Q(decision_date__isnull=False) | Q(
            decision_date__isnull=True, **{f"pk__{earlier}": cursor.pk}
        )
    date = cursor.decision_date
    return Q(**{f"decision_date__{earlier}": date}) | Q(
        decision_date=date, **{f"pk__{earlier}": cursor.pk}
    )

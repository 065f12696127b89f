"""Where one decision stands among a search's matches, and the matches either side of
it: the decision page's "Previous result" and "Next result", in the list's own order.

In date order the decision's sort key (its date and id, one fast field of the index)
finds them at any depth: its position is the count of matches before the key, its
neighbours the nearest match on either side. In relevance or payment order it is looked
for among the first PLACE_LIMIT matches in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from decisions.models import Decision
from decisions.search import engine
from decisions.search.documents import newest_key, oldest_key
from decisions.search.query import PLACE_LIMIT, DecisionSearch, read_rows


@dataclass(frozen=True)
class Place:
    """A decision's place among a search's matches."""

    position: int | None  # 1 for the first match; None when too deep to say
    previous: Decision | None
    next: Decision | None


def place_in(search: DecisionSearch, decision: Decision) -> Place | None:
    """Where `decision` stands in `search`'s order, or None when it is not a match."""
    if not search.valid or search.matches_nothing or search.searcher is None:
        return None
    # Relevance without words is newest first (DecisionSearch.hits): a date order.
    if search.sort == "largest" or (search.sort == "relevance" and search.words):
        return _ranked_place(search, decision)
    return _dated_place(search, decision)


def _ranked_place(search: DecisionSearch, decision: Decision) -> Place | None:
    ids = search.ordered_ids(PLACE_LIMIT)
    try:
        index = ids.index(decision.pk)
    except ValueError:
        return None
    wanted = [ids[i] for i in (index - 1, index + 1) if 0 <= i < len(ids)]
    found = {row.pk: row for row in read_rows(wanted)}
    return Place(
        position=index + 1,
        previous=found.get(ids[index - 1]) if index else None,
        next=found.get(ids[index + 1]) if index + 1 < len(ids) else None,
    )


def _dated_place(search: DecisionSearch, decision: Decision) -> Place | None:
    found = search.searcher
    assert found is not None
    query = search.query()
    this = engine.combined(None, [query, engine.term("id", decision.pk)])
    if not engine.count(found, this):
        return None
    oldest = search.sort == "oldest"
    field = "oldest_key" if oldest else "newest_key"
    key = (oldest_key if oldest else newest_key)(decision.decision_date, decision.pk)
    # "Before" in the list: a smaller key oldest first, a larger one newest first.
    before = engine.between(field, None, key - 1) if oldest else engine.between(field, key + 1)
    after = engine.between(field, key + 1) if oldest else engine.between(field, None, key - 1)
    ahead = engine.combined(None, [query, before])
    behind = engine.combined(None, [query, after])
    previous = engine.by_key(found, ahead, field, oldest, 0, 1)
    following = engine.by_key(found, behind, field, not oldest, 0, 1)
    rows = {row.pk: row for row in read_rows([hit.pk for hit in previous + following])}
    return Place(
        position=engine.count(found, ahead) + 1,
        previous=rows.get(previous[0].pk) if previous else None,
        next=rows.get(following[0].pk) if following else None,
    )

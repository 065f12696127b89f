"""Which decisions a search's statistics count: exactly its matches, whatever it is.

- Filters alone: the FilterSet's own queryset in PostgreSQL (the simpler way to the same
  decisions the index would give).
- A search with words: the ids of every match, from the search index (exact, ranked or
  not), read back in PostgreSQL by id.

The payments are read from the same decisions' stored remedies (decisions.statistics.
counting), so medians and quartiles are exact too. Nothing is precomputed: no summary is
rebuilt when the archive changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from decisions.models import Decision
from decisions.search.query import DecisionSearch


@dataclass(frozen=True)
class Selection:
    """The decisions to count, and how they were chosen (for the page's note)."""

    decisions: QuerySet[Decision]
    exact: bool = True
    scale: float = 1.0
    # "filters" or "matches".
    route: str = "filters"


def select(search: DecisionSearch) -> Selection:
    """The decisions the statistics of a valid `search` count."""
    if search.matches_nothing:
        return Selection(Decision.objects.none(), route="matches")
    if not search.words:
        return Selection(search.filterset.queryset_without())
    return Selection(Decision.objects.filter(pk__in=search.ids()), route="matches")

"""Everything the list page shows of one search, in one frozen value: the view makes
one call (`DecisionSearch.results()`) and the template reads this, with no query left
to run while it renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from decisions.filters import OrganisationChoice
from decisions.models import Decision, Organisation
from decisions.search.active import ActiveFilter, Relaxation
from decisions.search.facets import Facet
from decisions.search.spelling import Suggestion
from decisions.search.tally import Tally

if TYPE_CHECKING:
    from decisions.search.query import DecisionSearch, NameCount, ResultPage


@dataclass(frozen=True)
class SearchResults:
    page: ResultPage
    total: Tally
    notes: list[str]
    active_filters: list[ActiveFilter] = field(default_factory=list)
    referenced: list[Decision] = field(default_factory=list)
    named: list[NameCount] = field(default_factory=list)
    organisation_choice: OrganisationChoice | None = None
    # With results: the facets, and which facets were counted (a facet with no option
    # left still gives its parameter, every choice at 0).
    facets: list[Facet] = field(default_factory=list)
    counted: tuple[str, ...] = ()
    # Without: the help for an empty page.
    only_stop_words: bool = False
    relaxations: list[Relaxation] = field(default_factory=list)
    did_you_mean: list[Organisation] = field(default_factory=list)
    suggested_words: list[Suggestion] = field(default_factory=list)


def results_of(search: DecisionSearch) -> SearchResults:
    page = search.page()
    notes = search.notes + page.notes
    if not search.valid:
        return SearchResults(page, search.total, notes)
    found = bool(search.total)
    return SearchResults(
        page,
        search.total,
        notes,
        active_filters=search.active_filters(),
        referenced=search.referenced(),
        named=search.named,
        organisation_choice=search.organisation_choice,
        facets=search.facets if found else [],
        counted=tuple(search.facet_counts) if found else (),
        only_stop_words=not found and search.only_stop_words(),
        relaxations=[] if found else search.relaxations(),
        did_you_mean=[] if found else search.did_you_mean(),
        suggested_words=[] if found else search.suggested_words(),
    )

"""A search's facets, filters and help as links: each is the current URL with some
parameters changed, so every state of the list can be bookmarked and shared."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import QueryDict

from decisions.search.active import ActiveFilter, Relaxation
from decisions.search.facets import Facet
from decisions.search.tally import Tally

# Parameters a link never keeps: the page number (a new result set starts at page 1).
ALWAYS_DROPPED = ("page",)


def url_with(
    params: QueryDict, changes: dict[str, str] | None = None, remove: Iterable[str] = ()
) -> str:
    """The query string `params` with `changes` set and `remove` (and the page) dropped."""
    query = params.copy()
    for name in (*remove, *ALWAYS_DROPPED):
        query.pop(name, None)
    for name, value in (changes or {}).items():
        query[name] = value
    return "?" + query.urlencode() if query else "?"


@dataclass(frozen=True)
class OptionLink:
    label: str
    count: int
    url: str
    selected: bool = False
    exact: bool = True
    sets: tuple[str, ...] = ()  # the parameters the link sets

    @property
    def shown(self) -> str:
        return Tally(self.count, self.exact).shown


@dataclass(frozen=True)
class FacetLinks:
    name: str
    title: str
    options: list[OptionLink]

    @property
    def estimated(self) -> bool:
        return not all(option.exact for option in self.options)


@dataclass(frozen=True)
class FilterLink:
    name: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class RelaxationLink:
    active: FilterLink
    count: Tally


def facet_links(facets: list[Facet], params: QueryDict) -> list[FacetLinks]:
    return [
        FacetLinks(
            facet.name,
            facet.title,
            [
                OptionLink(
                    option.label,
                    option.count,
                    url_with(params, option.changes, option.drops),
                    option.selected,
                    option.exact,
                    tuple(option.changes),
                )
                for option in facet.options
            ],
        )
        for facet in facets
    ]


def option_counts(facets: list[Facet], counted: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each facet option's count as shown ("1,234", "about 5,000"), by the parameter the
    option sets and its value: what the filter form's own controls show beside each
    choice ("Housing (1,234)"), so that a filter and its counts are one control.

    `counted` names the facets that were counted: one with no option left (none of its
    values among the results) still gives its parameter, with every choice at 0.
    """
    found: dict[str, dict[str, str]] = {name: {} for name in counted}
    for facet in facets:
        for option in facet.options:
            for name, value in option.changes.items():
                found.setdefault(name, {})[value] = option.shown
    return found


def filter_link(active: ActiveFilter, params: QueryDict) -> FilterLink:
    return FilterLink(
        active.name, active.label, active.value, url_with(params, remove=active.drops)
    )


def filter_links(active: list[ActiveFilter], params: QueryDict) -> list[FilterLink]:
    return [filter_link(one, params) for one in active]


def relaxation_links(relaxations: list[Relaxation], params: QueryDict) -> list[RelaxationLink]:
    return [RelaxationLink(filter_link(r.active, params), r.count) for r in relaxations]

"""Facet counts: each option's count is the number of decisions its link shows.

Checked against DecisionFilter itself on the sample decisions (56 real pages), for a
few searches and filter combinations.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict

from decisions.filters import DecisionFilter
from decisions.search.query import DecisionSearch
from decisions.views.links import FacetLinks, facet_links, filter_links, relaxation_links

TODAY = datetime.date(2026, 6, 1)

COMBINATIONS = [
    "",
    "q=council",
    "category=housing",
    "outcome=upheld&has_remedy=on",
    "q=council&category=children-s-care-services&date_from=2019-01-01",
    "organisation=london&amount=100",
    "category=housing&subcategory=allocations&outcome=upheld",
]


def valid_filter(params: str) -> DecisionFilter:
    filterset = DecisionFilter(QueryDict(params))
    assert filterset.is_valid(), filterset.errors
    return filterset


def count_of(params: str) -> int:
    """PostgreSQL's own count of the filters (the search index's for search words,
    which PostgreSQL no longer matches)."""
    if QueryDict(params).get("q"):
        return DecisionSearch.from_params(QueryDict(params)).total.value
    return valid_filter(params).qs.count()


def search_of(params: str, today: datetime.date | None = None) -> DecisionSearch:
    search = DecisionSearch.from_params(QueryDict(params), today)
    assert search.valid, search.errors
    return search


def facets(params: str, today: datetime.date | None = None) -> list[FacetLinks]:
    """The facets of the list page for `params`, as the page links them."""
    return facet_links(search_of(params, today).facets, QueryDict(params))


@pytest.mark.parametrize("params", COMBINATIONS)
def test_every_option_counts_the_decisions_its_link_shows(sample_decisions, params):
    offered = facets(params, today=TODAY)
    assert offered
    for facet in offered:
        for option in facet.options:
            assert option.url.startswith("?")
            assert option.count == count_of(option.url[1:]), (facet.name, option.label)


def test_a_facet_ignores_its_own_filter_but_keeps_the_others(sample_decisions):
    params = "category=housing&outcome=upheld"
    offered = {facet.name: facet for facet in facets(params)}
    outcomes = {option.label: option for option in offered["outcome"].options}
    # Other outcomes are still offered, counted within housing.
    assert outcomes["Not upheld"].count == count_of("category=housing&outcome=not_upheld")
    assert outcomes["Upheld"].selected and outcomes["Upheld"].count == count_of(params)
    categories = {option.label: option.count for option in offered["category"].options}
    assert categories["Housing"] == count_of(params)
    assert sum(categories.values()) <= count_of("outcome=upheld")


def test_subcategories_are_offered_only_within_a_chosen_category(sample_decisions):
    assert "subcategory" not in {facet.name for facet in facets("")}
    offered = {facet.name: facet for facet in facets("category=housing")}
    labels = {option.label for option in offered["subcategory"].options}
    assert "Allocations" in labels and "Child protection" not in labels


def test_the_facets_of_a_search_are_counted_by_the_index_with_no_database_query(
    sample_decisions, django_assert_num_queries
):
    search = search_of("q=council", TODAY)
    assert search.total  # the search's results, found once
    # Organisation, category, outcome, date, remedy, the kind of remedy, the payments'
    # purpose and the legislation cited: counted by the search index's aggregations,
    # PostgreSQL is not asked.
    with django_assert_num_queries(0):
        assert len(search.facet_counts) == 8


def test_a_facet_whose_own_filter_is_in_use_is_counted_past_it(
    sample_decisions, django_assert_num_queries
):
    search = search_of("q=council&category=housing", TODAY)
    assert search.total
    # The category facet counts past the category filter; the subcategory (offered
    # once a category is chosen) and the other seven within it.
    with django_assert_num_queries(0):
        counts = search.facet_counts
    assert len(counts) == 9
    categories = {int(b["key"]) for b in counts["category"]["buckets"] if b["doc_count"]}
    assert len(categories) > 1, "the other categories are offered too"


def test_quick_date_ranges_set_the_start_date_and_drop_the_end_date(sample_decisions):
    params = "date_to=2025-01-01"
    offered = {facet.name: facet for facet in facets(params, TODAY)}
    [three_years] = [o for o in offered["date"].options if o.label == "Last 3 years"]
    assert three_years.url == "?date_from=2023-06-01"


def test_active_filters_link_to_the_same_page_without_them(sample_decisions):
    params = "q=council&category=housing&subcategory=allocations&outcome=upheld&page=2&sort=oldest"
    found = filter_links(search_of(params).active_filters(), QueryDict(params))
    active = {a.label: a for a in found}
    assert active["Outcome"].value == "Upheld"
    assert active["Outcome"].remove_url == (
        "?q=council&category=housing&subcategory=allocations&sort=oldest"
    )
    # Without its category, a subcategory means nothing: both go.
    assert active["Category"].remove_url == "?q=council&outcome=upheld&sort=oldest"
    assert active["Subcategory"].value == "Allocations"


def test_with_no_results_each_filter_says_how_many_there_would_be_without_it(sample_decisions):
    params = "q=guardianship&category=housing"
    offered = relaxation_links(search_of(params).relaxations(), QueryDict(params))
    expected = [
        ("Search words", count_of("category=housing")),
        ("Category", count_of("q=guardianship")),
    ]
    assert [(r.active.label, r.count.value) for r in offered] == sorted(
        expected, key=lambda e: -e[1]
    )
    assert all(r.count.exact for r in offered)
    assert all(count for _, count in expected)


def test_a_withdrawn_decision_is_in_no_count(sample_decisions):
    from django.utils import timezone

    from decisions.models import Decision

    before = {o.label: o.count for f in facets("") for o in f.options}
    withdrawn = Decision.objects.get(reference="19 011 560")  # Norfolk, upheld
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.withdrawal_reason = "Published in error."
    withdrawn.save()
    after = {o.label: o.count for f in facets("") for o in f.options}
    assert after["Upheld"] == before["Upheld"] - 1
    assert count_of("") == Decision.objects.count() - 1

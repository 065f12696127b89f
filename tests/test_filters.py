"""DecisionFilter: each filter, their combinations, invalid values, and the default order.

The sample decisions are real pages imported through the real pipeline; the ordering
cases use rows crafted with the ORM, so the expected order is known. What search words
find, and in which order, is tests/test_search.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict

from decisions.filters import DecisionFilter
from decisions.models import Category, Decision, Organisation
from decisions.search.query import DecisionSearch
from tests.support.helpers import make_decision


def matching(params: str) -> list[Decision]:
    """The decisions the search of `params` finds, in its order: the search index for
    words, and the FilterSet's own validation, as every door reads them."""
    search = DecisionSearch(DecisionFilter(QueryDict(params)))
    assert search.valid, search.errors
    return search.window(0, 10_000)


def references(params: str) -> set[str]:
    return {decision.reference for decision in matching(params)}


def ordered_references(params: str) -> list[str]:
    return [decision.reference for decision in matching(params)]


def errors(params: str) -> dict[str, list[str]]:
    filterset = DecisionFilter(QueryDict(params))
    assert not filterset.is_valid()
    return filterset.errors


@pytest.fixture
def housing(db) -> tuple[Category, Category]:
    parent = Category.objects.create(name="Housing", slug="housing")
    return parent, Category.objects.create(name="Allocations", slug="allocations", parent=parent)


# --- each filter on the sample decisions ----------------------------------------------------


def test_no_filters_list_every_decision(sample_decisions):
    assert len(references("")) == Decision.objects.count() == 56


def test_the_outcome_filter_narrows_the_list(sample_decisions):
    found = references("outcome=not_upheld")
    assert {"25 014 449", "22 002 144", "19 014 022"} <= found
    assert "19 011 560" not in found  # upheld
    assert "25 016 701" not in found  # closed after initial enquiries
    assert all(d.outcome == "not_upheld" for d in Decision.objects.filter(reference__in=found))


def test_the_organisation_filter_takes_an_organisation_slug(sample_decisions):
    found = references("organisation=norfolk-county-council")
    assert "19 011 560" in found
    assert "25 014 449" not in found
    assert {d.organisation.slug for d in Decision.objects.filter(reference__in=found)} == {
        "norfolk-county-council"
    }


def test_the_category_filter_includes_every_subcategory_of_it(sample_decisions):
    found = references("category=housing")
    assert {"24 012 973", "23 018 553", "25 016 266"} <= found  # allocations, homelessness, sales
    assert "19 011 560" not in found  # children's care services
    assert all(
        d.category.parent.slug == "housing"
        for d in Decision.objects.filter(reference__in=found).select_related("category__parent")
    )


def test_the_subcategory_filter_narrows_a_category(sample_decisions):
    found = references("category=housing&subcategory=allocations")
    assert {"24 012 973", "22 002 144", "19 018 397"} == found


def test_a_subcategory_slug_shared_by_categories_matches_in_each_without_a_category(
    sample_decisions,
):
    found = references("subcategory=other")
    assert {"25 007 427", "22 015 220", "25 004 569"} <= found  # housing, education, other
    assert "25 007 427" not in references("category=education&subcategory=other")


def test_the_date_filters_include_both_ends(sample_decisions):
    found = references("date_from=2025-02-07&date_to=2025-03-19")
    assert found == {"23 013 788", "23 018 553", "24 008 706"}


def test_a_start_date_alone_leaves_out_undated_decisions(sample_decisions):
    found = references("date_from=2026-01-01")
    assert found == {"25 014 449", "25 016 701", "25 016 266"}


def test_filters_combine(sample_decisions):
    found = references("category=housing&outcome=upheld&date_from=2020-01-01")
    assert found == {"24 012 973", "23 018 553", "19 018 397"}
    assert "22 002 144" not in found  # housing, but not upheld


def test_search_and_filters_combine(sample_decisions):
    assert references('q="special guardianship"') == {"25 014 449", "24 009 012"}
    assert references('q="special guardianship"&outcome=not_upheld') == {"25 014 449"}


# --- which choices are offered --------------------------------------------------------------


def test_when_a_category_is_chosen_only_its_subcategories_are_offered(sample_decisions):
    field = DecisionFilter(QueryDict("category=housing")).form.fields["subcategory"]
    offered = {value for value, _ in field.choices if value}
    assert {"allocations", "homelessness"} <= offered
    assert "child-protection" not in offered


def test_without_a_category_subcategories_are_offered_grouped_by_category(sample_decisions):
    field = DecisionFilter(QueryDict("")).form.fields["subcategory"]
    groups = dict(field.choices[1:])
    assert ("allocations", "Allocations") in groups["Housing"]
    assert ("child-protection", "Child protection") in groups["Children's care services"]


# --- invalid values are form errors ---------------------------------------------------------


def test_an_invalid_date_is_a_form_error(db):
    assert errors("date_from=2024-13-45") == {
        "date_from": ["2024-13-45 is not a real date: a month is from 1 to 12."]
    }


def test_an_end_date_before_the_start_date_is_a_form_error(db):
    assert "date_to" in errors("date_from=2024-05-01&date_to=2024-04-01")


def test_an_unknown_organisation_is_a_form_error(sample_decisions):
    assert "organisation" in errors("organisation=no-such-council")


def test_an_unknown_outcome_is_a_form_error(db):
    assert "outcome" in errors("outcome=maybe")


def test_a_subcategory_of_another_category_is_a_form_error(sample_decisions):
    assert errors("category=housing&subcategory=child-protection") == {
        "subcategory": ["Choose a subcategory of the chosen category from the list."]
    }


# --- order (what the words find, and their ranking: tests/test_search.py) -------------------


def test_the_list_is_newest_first_with_undated_decisions_last(db):
    make_decision("20 000 001", decision_date=datetime.date(2020, 1, 1))
    make_decision("20 000 002")
    make_decision("20 000 003", decision_date=datetime.date(2024, 1, 1))
    make_decision("20 000 004")
    assert ordered_references("") == ["20 000 003", "20 000 001", "20 000 004", "20 000 002"]


def test_the_organisation_filter_works_on_crafted_rows_too(db):
    council = Organisation.objects.create(name="Testshire Council", slug="testshire-council")
    make_decision("27 000 001", organisation=council)
    make_decision("27 000 002")
    assert references("organisation=testshire-council") == {"27 000 001"}

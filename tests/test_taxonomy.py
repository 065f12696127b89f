"""The LGSCO category taxonomy: labels for display, URL slugs as the key."""

import json
from pathlib import Path

import pytest

from decisions.parsing.taxonomy import (
    CATEGORIES,
    category_for_name,
    category_for_slug,
    lookup_category,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_category_and_subcategory_in_the_fixtures_is_known():
    for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8"):
        url = json.loads(line)["url"].split("?")[0]
        parts = url.split("/decisions/")[-1].split("/") if "/decisions/" in url else []
        if len(parts) >= 2:
            match = lookup_category(
                category=None, subcategory=None, category_slug=parts[0], subcategory_slug=parts[1]
            )
            assert match.known, url


def test_slugs_are_unique_and_confirmed_entries_are_marked():
    slugs = [category.slug for category in CATEGORIES]
    assert len(slugs) == len(set(slugs))
    for category in CATEGORIES:
        sub_slugs = [sub.slug for sub in category.subcategories]
        assert len(sub_slugs) == len(set(sub_slugs)), category.slug
    assert category_for_slug("housing").subcategory_for_slug("homelessness").confirmed


def test_the_lgsco_s_own_slug_is_kept_even_when_it_differs_from_a_slugified_label():
    match = lookup_category(
        category="Adult care services",
        subcategory="Transition from childrens services",
        category_slug=None,
        subcategory_slug=None,
    )
    assert match.subcategory_slug == "transition-from-childrens-services"
    assert match.known


def test_labels_win_for_display_and_url_slugs_win_as_keys():
    match = lookup_category(
        category="Children’s care services",
        subcategory="Child protection",
        category_slug="children-s-care-services",
        subcategory_slug="child-protection",
    )
    assert (match.category, match.category_slug) == (
        "Children’s care services",
        "children-s-care-services",
    )
    assert (match.subcategory, match.subcategory_slug) == ("Child protection", "child-protection")
    assert match.known


def test_names_come_from_the_taxonomy_when_only_slugs_are_known():
    match = lookup_category(
        category=None,
        subcategory=None,
        category_slug="benefits-and-tax",
        subcategory_slug="covid-19",
    )
    assert (match.category, match.subcategory) == ("Benefits and tax", "COVID-19")


@pytest.mark.parametrize(
    ("category_slug", "subcategory_slug", "category", "subcategory"),
    [
        ("education", "school-uniforms", "Education", "School uniforms"),
        ("space-services", "rocket-launches", "Space services", "Rocket launches"),
    ],
)
def test_unknown_slugs_get_names_derived_from_the_slug(
    category_slug, subcategory_slug, category, subcategory
):
    match = lookup_category(
        category=None,
        subcategory=None,
        category_slug=category_slug,
        subcategory_slug=subcategory_slug,
    )
    assert (match.category, match.subcategory) == (category, subcategory)
    assert (match.category_slug, match.subcategory_slug) == (category_slug, subcategory_slug)
    assert match.known is False


def test_unknown_labels_get_a_slug_in_the_lgsco_style():
    match = lookup_category(
        category="Children's care services",
        subcategory="Brand new thing",
        category_slug=None,
        subcategory_slug=None,
    )
    assert match.category_slug == "children-s-care-services"
    assert match.subcategory_slug == "brand-new-thing"
    assert match.known is False


def test_nothing_given_gives_nothing():
    match = lookup_category(
        category=None, subcategory=None, category_slug=None, subcategory_slug=None
    )
    assert match.category is None and match.category_slug is None and not match.known


def test_categories_are_found_by_name_tolerantly():
    assert category_for_name("childrens care services").slug == "children-s-care-services"
    assert category_for_name("OTHER CATEGORIES").slug == "other-categories"
    assert category_for_name("Nope") is None


def test_an_empty_label_beside_an_unknown_slug_is_unknown_and_does_not_crash():
    # The page printed an empty category label; the URL's slug is not in the taxonomy.
    match = lookup_category(
        category="",
        subcategory="Rocket launches",
        category_slug="space-services",
        subcategory_slug=None,
    )
    assert (match.category, match.category_slug) == ("Space services", "space-services")
    assert match.subcategory == "Rocket launches"
    assert match.known is False
    assert (
        lookup_category(
            category="", subcategory=None, category_slug="space-services", subcategory_slug=None
        ).known
        is False
    )

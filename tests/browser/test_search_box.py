"""What caseworkers type in the search box, in a real Chromium on a desktop and a phone:
a case reference, an organisation's name (misspelt too), a partial organisation name, a
phrase, and the remedies filters. Each page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision, Organisation
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser


def search_for(page: Page, base: str, words: str) -> None:
    page.goto(base)
    page.get_by_label("Search words").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()


@pytest.mark.parametrize(
    "typed",
    ["19 011 560", "19-011-560", "19011560", "19/011/560", "19.011.560", "ref: 19 011 560"],
)
def test_a_reference_typed_in_the_search_box_opens_its_decision(
    sized_page: Page, live_server, sample_decisions, typed
):
    search_for(sized_page, live_server.url, typed)
    expect(sized_page).to_have_url(f"{live_server.url}/decisions/19-011-560/")
    expect(sized_page.get_by_role("heading", level=1)).to_contain_text("19 011 560")


def test_a_reference_among_words_leads_the_results(sized_page: Page, live_server, sample_decisions):
    search_for(sized_page, live_server.url, "19 011 560 school transport")
    lead = sized_page.locator(".search-lead").first
    expect(lead).to_contain_text("Decision with the reference you typed")
    lead.get_by_role("link", name=re.compile("19 011 560")).click()
    expect(sized_page).to_have_url(re.compile(r"/decisions/19-011-560/"))


def test_a_misspelt_name_offers_and_shows_that_organisations_decisions(
    sized_page: Page, live_server, sample_decisions
):
    search_for(sized_page, live_server.url, "Lester")
    expect(sized_page.get_by_role("status").first).to_contain_text(
        "No decisions contain “Lester”: showing the decisions about Leicester City Council"
    )
    count = Decision.objects.published().filter(organisation__name="Leicester City Council")
    expect(sized_page.locator(".results__count")).to_contain_text(str(count.count()))
    assert check_accessibility(sized_page) == []


def test_a_name_among_matching_words_is_offered_as_a_link_with_its_count(
    sized_page: Page, live_server, sample_decisions
):
    search_for(sized_page, live_server.url, "norfolk OR care")
    norfolk = Organisation.objects.get(name="Norfolk County Council")
    count = Decision.objects.published().filter(organisation=norfolk).count()
    link = sized_page.get_by_role("link", name=f"Decisions about Norfolk County Council ({count})")
    link.click()
    expect(sized_page).to_have_url(re.compile(r"organisation=norfolk-county-council"))
    expect(sized_page.locator(".results__count")).to_contain_text(f"{count} decision")
    assert check_accessibility(sized_page) == []


def test_a_partial_organisation_name_says_how_many_it_searches(
    sized_page: Page, live_server, sample_decisions
):
    councils = Organisation.objects.filter(name__icontains="council").count()
    sized_page.goto(f"{live_server.url}/?organisation=council")
    expect(sized_page.get_by_text(f"{councils} organisations match “council”")).to_be_visible()
    expect(sized_page.get_by_text(f"and {councils - 20} more")).to_be_visible()
    assert check_accessibility(sized_page) == []


def test_a_phrase_is_shown_in_one_pair_of_quotes(sized_page: Page, live_server, sample_decisions):
    search_for(sized_page, live_server.url, '"social worker"')
    expect(sized_page.get_by_role("heading", level=1)).to_have_text(
        "Decisions matching “social worker”"
    )


def test_a_phrase_search_shows_its_matches_highlighted(page: Page, live_server, sample_decisions):
    page.goto(live_server.url)
    page.get_by_label("Search words").fill('"special guardianship"')
    page.get_by_role("button", name="Show decisions").click()
    expect(page.locator(".results__count")).to_have_text("2 decisions")
    marks = page.locator(".decision mark")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} <= {"special", "guardianship"}
    expect(page.get_by_label("Sort by")).to_have_value("relevance")


def test_the_remedy_filters_narrow_to_apologies_and_sort_by_the_largest_payment(
    sized_page: Page, live_server, sample_decisions
):
    sized_page.goto(live_server.url)
    panel = sized_page.locator("#filter-panel")
    if panel.get_attribute("open") is None:  # folded on a phone
        sized_page.get_by_text("Filter results").click()
    sized_page.get_by_label("Remedy agreed").select_option("apology")
    sized_page.get_by_role("button", name="Show decisions").click()
    apologies = [d for d in Decision.objects.published() if d.remedies.get("apology")]
    expect(sized_page.locator(".results__count")).to_contain_text(f"{len(apologies)} decision")
    sized_page.goto(f"{live_server.url}/?has_remedy=on&sort=largest")
    largest = Decision.objects.published().order_by("-remedy_total").first()
    first = sized_page.locator(".decision__title a").first
    expect(first).to_have_attribute("href", re.compile(largest.get_absolute_url()))
    assert check_accessibility(sized_page) == []

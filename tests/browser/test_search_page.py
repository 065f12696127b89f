"""Caseworkers search, filter, sort and page the list of decisions in a real Chromium
(phrases, and what else the search box reads: tests/browser/test_search_box.py).

The sample decisions (56 real pages) are imported through the real pipeline; the
expected counts are read from the database, never written in by hand.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser


def results_count(page: Page) -> str:
    return page.locator(".results__count").inner_text()


def option(page: Page, field: str, value: str):
    """An option of one of the filter form's selects, which shows its facet count."""
    return page.get_by_label(field, exact=True).locator(f'option[value="{value}"]')


def choose(page: Page, field: str, value: str) -> None:
    page.get_by_label(field, exact=True).select_option(value)
    page.get_by_role("button", name="Show decisions").click()


def test_two_filters_change_the_counts_and_one_is_removed_from_the_active_list(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    housing = Decision.objects.filter(category__parent__slug="housing").count()
    housing_upheld = Decision.objects.filter(
        category__parent__slug="housing", outcome="upheld"
    ).count()
    upheld = Decision.objects.filter(outcome="upheld").count()
    expect(option(page, "Outcome", "upheld")).to_have_text(f"Upheld ({upheld})")

    choose(page, "Category", "housing")
    expect(page.locator(".results__count")).to_have_text(f"{housing} decisions")
    # Within housing, the outcome counts are housing's own.
    expect(option(page, "Outcome", "upheld")).to_have_text(f"Upheld ({housing_upheld})")

    choose(page, "Outcome", "upheld")
    expect(page.locator(".results__count")).to_have_text(f"{housing_upheld} decisions")
    active = page.locator(".active-filters")
    expect(active).to_contain_text("Category: Housing")
    expect(active).to_contain_text("Outcome: Upheld")

    page.get_by_role("link", name="Remove filter Category: Housing").click()
    expect(page.locator(".results__count")).to_contain_text(str(upheld))
    assert "category=" not in page.url and "outcome=upheld" in page.url
    expect(page.get_by_label("Outcome", exact=True)).to_have_value("upheld")


def test_sorting_oldest_first_and_paging_keep_each_other(page: Page, live_server, sample_decisions):
    page.goto(live_server.url)
    oldest = Decision.objects.exclude(decision_date=None).order_by("decision_date").first()
    # With the script, choosing an order applies it: no Apply button to press.
    page.get_by_label("Sort by").select_option(label="Oldest first")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page.locator(".decision").first).to_contain_text(oldest.reference)

    page.get_by_role("link", name="Next page").click()
    expect(page.locator(".results__count")).to_have_text(
        f"Showing 21–40 of {Decision.objects.count()} decisions"
    )
    assert "sort=oldest" in page.url and "page=2" in page.url
    expect(page.get_by_label("Sort by")).to_have_value("oldest")

    page.get_by_label("Per page").select_option("50")
    expect(page).to_have_url(re.compile(r"per_page=50"))
    total = Decision.objects.count()
    expect(page.locator(".results__count")).to_have_text(f"Showing 1–50 of {total} decisions")
    expect(page.locator(".decision")).to_have_count(50)
    assert "&page=" not in page.url and "sort=oldest" in page.url


def test_a_keyboard_alone_searches_filters_and_opens_a_result(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    # The first thing in the page itself skips on to the results; the search comes next.
    expect(page.get_by_role("link", name="Skip to results")).to_be_focused()
    page.keyboard.press("Tab")
    search = page.get_by_label("Search words")
    expect(search).to_be_focused()
    page.keyboard.type("council")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=council"))

    def tab_until(target, limit: int = 150) -> None:
        previous = None
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.outerHTML")
            # A date input takes three Tabs: day, month and year.
            assert focused != previous or 'type="date"' in focused, "focus did not move"
            previous = focused
            if target.evaluate("(element) => element === document.activeElement"):
                return
        raise AssertionError("never reached by Tab")

    # The outcome is a select with the counts; a keyboard chooses by typing, then applies.
    tab_until(page.get_by_label("Outcome", exact=True))
    page.keyboard.type("Upheld")
    expect(page.get_by_label("Outcome", exact=True)).to_have_value("upheld")
    tab_until(page.get_by_role("button", name="Show decisions"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"outcome=upheld"))
    expect(page.locator(".active-filters")).to_contain_text("Outcome: Upheld")

    first_result = page.locator(".decision__title a").first
    reference = first_result.locator(".reference").inner_text().strip("()")
    tab_until(first_result)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def test_a_misspelt_organisation_is_found_and_said_so(page: Page, live_server, sample_decisions):
    page.goto(live_server.url)
    page.get_by_label("Organisation", exact=True).fill("Norfok")
    page.get_by_role("button", name="Show decisions").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Showing decisions about Norfolk County Council"
    )
    count = Decision.objects.filter(organisation__slug="norfolk-county-council").count()
    expect(page.locator(".results__count")).to_have_text(f"{count} decisions")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=council&outcome=upheld&has_remedy=on",
        "/?q=%22special+guardianship%22&category=children-s-care-services&sort=oldest",
        "/?organisation=london&q=xylophone",
        "/?date_from=2024-02-31&per_page=7",
        # No results, and the archive's own word offered (issue 27).
        "/?q=homelessnes",
        # The payment-purpose and legislation filters, one of them refused (issue 27).
        "/?purpose=distress&legislation=Care+Act+2015",
    ],
)
def test_the_list_has_no_wcag_aa_violations(page: Page, live_server, sample_decisions, path):
    page.goto(live_server.url + path)
    assert check_accessibility(page) == []

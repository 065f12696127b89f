"""The statistics pages in a real Chromium: they pass axe on a laptop and a phone
without scrolling sideways, and a person reaches them from a list page and the header,
sorts the league table and downloads a table, all without JavaScript."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision
from tests.browser.axe import check_accessibility
from tests.browser.screens import VIEWPORTS, sideways_scroll

pytestmark = pytest.mark.browser

PAGES = [
    "/statistics/",
    "/statistics/?outcome=upheld",
    "/statistics/?q=council&league_sort=rate",
    "/statistics/?date_from=2020-03-15&date_to=2024-02-10",
    "/statistics/?date_from=someday",
    "/organisations/norfolk-county-council/",
]


def test_each_statistics_page_passes_axe_and_fits_the_screen(
    sized_page: Page, live_server, sample_decisions
):
    for path in PAGES:
        sized_page.goto(live_server.url + path)
        # Axe's best practices too: landmark-unique was reported on /statistics/.
        violations = check_accessibility(sized_page, best_practice=True)
        assert violations == [], (path, violations)
        assert sideways_scroll(sized_page) <= 0, f"{path} scrolls sideways"
        expect(sized_page.locator("h1")).to_have_count(1)


def test_a_person_goes_from_results_to_their_statistics_sorts_and_downloads_without_javascript(
    browser, live_server, sample_decisions
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/?outcome=upheld&sort=oldest")
        page.get_by_role("link", name="Statistics for these results").click()
        expect(page).to_have_url(re.compile(r"/statistics/\?outcome=upheld$"))
        upheld = Decision.objects.published().filter(outcome="upheld").count()
        expect(page.locator("#stats-title")).to_have_text(f"{upheld} decisions")
        expect(page.get_by_text("among the statements published in this archive")).to_be_visible()

        league = page.locator("#organisations-table")
        league.get_by_role("link", name=re.compile(r"^Organisation")).click()
        expect(page).to_have_url(re.compile(r"league_sort=name&league_order=asc#organisations$"))
        heading = page.locator("#organisations-table th[aria-sort]")
        expect(heading).to_have_attribute("aria-sort", "ascending")
        names = page.locator("#organisations-table tbody th").all_inner_texts()
        assert names == sorted(names, key=str.lower) and len(names) > 3

        link = page.get_by_role(
            "link", name=re.compile(r"^Download this table as CSV\s*: League table")
        )
        expect(link).to_have_attribute("href", re.compile(r"league_sort=name.*table=organisations"))
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
        # The scope note is a first comment line, then the header (issue 27, point 11).
        assert rows[0][0].startswith("# ")
        rows = rows[1:]
        assert rows[0][0] == "Organisation"
        assert [row[0] for row in rows[1 : len(names) + 1]] == names
    finally:
        context.close()


def test_the_header_leads_to_the_statistics_and_its_filters_apply(
    sized_page: Page, live_server, sample_decisions
):
    page = sized_page
    page.goto(live_server.url + "/about/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics for all decisions")
    expect(page.get_by_role("link", name="Statistics", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    # Folded on a phone; filters.js opens it on a wider screen.
    if page.locator("#filter-panel[open]").count() == 0:
        page.get_by_text("Filter results").click()
    page.get_by_label("Outcome", exact=True).select_option("not_upheld")
    page.get_by_role("button", name="Show statistics").click()
    expect(page).to_have_url(re.compile(r"/statistics/\?.*outcome=not_upheld"))
    count = Decision.objects.published().filter(outcome="not_upheld").count()
    expect(page.locator("#stats-title")).to_have_text(f"{count} decisions")

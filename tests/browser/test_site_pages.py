"""The site's own pages in a real Chromium, on a desktop and a phone: each passes axe,
the header navigation and the footer reach them by clicking, the organisations filter
works without JavaScript, and the 404 page suggests a decision and searches.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision, Organisation
from tests.browser.axe import check_accessibility
from tests.browser.screens import VIEWPORTS, sideways_scroll

pytestmark = pytest.mark.browser

SITE_PAGES = [
    "/organisations/",
    "/organisations/?name=norf",
    "/organisations/?name=xylophone",
    "/categories/",
    "/about/",
    "/help/",
    "/accessibility/",
    "/privacy/",
    "/decisions/19-011-561/",
    "/no-such-page/",
]


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def test_each_site_page_passes_axe_and_fits_the_screen(
    sized_page: Page, live_server, sample_decisions
):
    for path in SITE_PAGES:
        sized_page.goto(live_server.url + path)
        assert check_accessibility(sized_page) == [], path
        assert sideways_scroll(sized_page) <= 0, f"{path} scrolls sideways"
        expect(sized_page.locator("h1")).to_have_count(1)


def test_the_header_navigation_reaches_each_section_by_clicking(
    sized_page: Page, live_server, sample_decisions
):
    page = sized_page
    page.goto(live_server.url + "/about/")
    for name, heading, path in (
        ("Organisations", "Organisations", "/organisations/"),
        ("Categories", "Categories", "/categories/"),
        ("Help", "Help: searching the decisions", "/help/"),
        ("About", "About this archive", "/about/"),
        ("Decisions", "Ombudsman decisions", "/"),
    ):
        link = main_nav(page).get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page).to_have_url(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(main_nav(page).get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )


def test_on_a_phone_the_navigation_is_on_the_first_screen_and_leaves_room_for_the_page(
    browser, live_server, sample_decisions
):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/organisations/")
        for name in ("Decisions", "Organisations", "Categories", "About", "Help"):
            expect(main_nav(page).get_by_role("link", name=name, exact=True)).to_be_in_viewport()
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 130, header  # a third of the screen would be too much
        target = main_nav(page).get_by_role("link", name="Help").bounding_box()
        assert target["height"] >= 24 and target["width"] >= 24  # WCAG 2.5.8
    finally:
        context.close()


def test_the_footer_links_open_their_pages(sized_page: Page, live_server, sample_decisions):
    page = sized_page
    page.goto(live_server.url + "/categories/")
    footer = page.get_by_role("navigation", name="About this site")
    for name, heading in (
        ("Accessibility", "Accessibility statement for the LGSCO decisions archive"),
        ("Privacy", "Privacy"),
        ("Help", "Help: searching the decisions"),
        ("About", "About this archive"),
    ):
        footer.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(footer.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")


def test_the_main_navigation_works_with_the_keyboard(page: Page, live_server, sample_decisions):
    page.goto(live_server.url + "/help/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(main_nav(page).get_by_role("link", name="Decisions")).to_be_focused()
    page.keyboard.press("Tab")
    organisations = main_nav(page).get_by_role("link", name="Organisations")
    expect(organisations).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")


def test_an_organisation_is_found_by_name_without_javascript_and_its_count_lists_its_decisions(
    browser, live_server, sample_decisions
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/organisations/")
        page.get_by_label("Organisation name").fill("norf")
        page.get_by_role("button", name="Find organisations").click()
        expect(page).to_have_url(re.compile(r"/organisations/\?name=norf$"))
        names = page.locator(".count-list li > a:first-child")
        expected = sorted(
            Organisation.objects.filter(name__icontains="norf").values_list("name", flat=True)
        )
        expect(names).to_have_text(expected)

        norfolk = Decision.objects.published().filter(organisation__slug="norfolk-county-council")
        count = page.get_by_role("link", name="decisions about Norfolk County Council")
        expect(count).to_have_text(f"{norfolk.count()} decisions about Norfolk County Council")
        count.click()
        expect(page).to_have_url(re.compile(r"/\?organisation=norfolk-county-council$"))
        expect(page.locator(".results__count")).to_have_text(f"{norfolk.count()} decisions")

        page.go_back()
        page.get_by_role("link", name="Norfolk County Council", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Norfolk County Council")
    finally:
        context.close()


def test_a_letter_jumps_to_the_organisations_under_it(page: Page, live_server, sample_decisions):
    page.goto(live_server.url + "/organisations/")
    letters = page.get_by_role("navigation", name="Organisations by first letter")
    letters.get_by_role("link", name="N", exact=True).click()
    expect(page).to_have_url(re.compile(r"#letter-n$"))
    group = page.locator("section").filter(has=page.get_by_role("heading", name="N", exact=True))
    expect(group.get_by_role("link", name="Norfolk County Council", exact=True)).to_be_in_viewport()


def test_a_subcategory_opens_the_list_filtered_by_it(page: Page, live_server, sample_decisions):
    page.goto(live_server.url + "/categories/")
    housing = page.locator("section").filter(
        has=page.get_by_role("heading", name="Housing", exact=True)
    )
    row = housing.locator(".count-list li").filter(has_text="Allocations")
    shown = row.locator(".count-list__count").inner_text()
    row.get_by_role("link", name="Allocations").click()
    expect(page).to_have_url(re.compile(r"/\?category=housing&subcategory=allocations$"))
    expect(page.locator(".results__count")).to_have_text(shown)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_404_page_suggests_the_decision_and_its_search_box_searches_without_javascript(
    browser, live_server, sample_decisions, viewport
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        response = page.goto(live_server.url + "/decisions/19-011-561/")
        assert response.status == 404
        suggestions = page.get_by_role("region", name=re.compile(r"^Did you mean"))
        suggestions.get_by_role("link", name="19 011 560").click()
        expect(page).to_have_url(live_server.url + "/decisions/19-011-560/")

        response = page.goto(live_server.url + "/no-such-page/")
        assert response.status == 404
        page.get_by_label("Search the decisions").fill('"special guardianship"')
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"/\?q=%22special\+guardianship%22$"))
        expect(page.locator(".decision").first).to_be_visible()
    finally:
        context.close()

"""A person finds decisions with the filters and reads one, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision

pytestmark = pytest.mark.browser

# Checked in the page itself: things any person or assistive technology relies on.
A11Y_SCRIPT = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  if (!document.title.trim()) problems.push("no title");
  for (const name of ["header", "main", "footer"]) {
    if (!document.querySelector(name)) problems.push("no <" + name + ">");
  }
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (control.type === "hidden") continue;
    const labelled = control.labels.length || control.getAttribute("aria-label");
    if (!labelled) problems.push("unlabelled control " + (control.name || control.id));
  }
  for (const link of document.querySelectorAll("a")) {
    if (!link.textContent.trim() && !link.getAttribute("aria-label")) problems.push("empty link");
  }
  for (const image of document.querySelectorAll("img:not([alt])")) problems.push("img without alt");
  const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
  for (const id of ids.filter((id, index) => ids.indexOf(id) !== index)) {
    problems.push("duplicate id " + id);
  }
  return problems;
}"""


def assert_accessible_basics(page: Page) -> None:
    assert page.evaluate(A11Y_SCRIPT) == []


def test_a_person_filters_by_category_and_outcome_and_reads_a_decision(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    expect(page).to_have_title("All decisions – LGSCO decisions archive")
    assert_accessible_basics(page)

    # Each choice shows how many decisions it would show.
    housing = Decision.objects.filter(category__parent__slug="housing").count()
    upheld = Decision.objects.filter(outcome="upheld").count()
    page.get_by_label("Category", exact=True).select_option(label=f"Housing ({housing})")
    page.get_by_label("Outcome", exact=True).select_option(label=f"Upheld ({upheld})")
    page.get_by_role("button", name="Show decisions").click()

    expect(page).to_have_title("Filtered decisions – LGSCO decisions archive")
    rows = page.locator(".decision")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3
    for row in rows.all():
        expect(row.locator("dd").nth(0)).to_contain_text("Housing")
        expect(row.locator("dd").nth(1)).to_have_text("Upheld")
    expect(page.get_by_text("24 012 973")).to_be_visible()
    expect(page.get_by_text("19 011 560")).to_have_count(0)  # children's care services
    assert_accessible_basics(page)

    page.get_by_role("link", name="(24 012 973)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("24 012 973")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.locator(".summary p")).to_contain_text(
        "Mrs X complained about the way the Council dealt with her housing application"
    )
    assert_accessible_basics(page)


def test_a_search_shows_highlighted_matches_and_a_bad_date_shows_a_message(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    page.get_by_label("Search words").fill('"blue badge"')
    page.keyboard.press("Enter")
    expect(page.locator(".results__count")).to_have_text("1 decision")
    expect(page.locator(".decision mark").first).to_have_text("blue")

    page.goto(f"{live_server.url}/?date_from=2024-02-31")
    expect(page.get_by_role("alert")).to_contain_text(
        "From: 2024-02-31 is not a real date: February 2024 has 29 days."
    )
    assert_accessible_basics(page)


def test_choosing_a_category_leaves_only_its_subcategories(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    subcategory = page.get_by_label("Subcategory", exact=True)
    page.get_by_label("Category", exact=True).select_option("housing")
    offered = subcategory.locator("option:not([disabled])").evaluate_all(
        "options => options.map((option) => option.textContent)"
    )
    assert "Allocations" in offered
    assert "Child protection" not in offered
    # Choosing a grouped subcategory with no category chosen fills in its category.
    page.get_by_label("Category", exact=True).select_option(label="Any category")
    subcategory.select_option(label="Child protection")
    expect(page.get_by_label("Category", exact=True)).to_have_value("children-s-care-services")


def test_the_pages_fit_a_small_phone_screen_without_sideways_scrolling(
    browser, live_server, sample_decisions
):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("/", "/?q=council&outcome=upheld", "/decisions/19-011-560/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    context.close()


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

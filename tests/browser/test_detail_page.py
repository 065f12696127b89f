"""A person reads a decision found by a search, in a real Chromium: steps through the
highlighted words, copies the citation, and the page passes axe's WCAG 2.2 AA rules."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser

NORFOLK = "/decisions/19-011-560/"


def mark_in_view_and_focused(page: Page, number: int) -> bool:
    return page.evaluate(
        """(id) => {
          const mark = document.getElementById(id);
          const box = mark.getBoundingClientRect();
          return document.activeElement === mark && box.top >= 0
            && box.bottom <= window.innerHeight;
        }""",
        f"match-{number}",
    )


def test_a_person_steps_through_the_search_words_highlighted_in_a_decision(
    page: Page, live_server, sample_decisions
):
    # The list page links a result to its decision with the search words: "?q=...".
    page.goto(f"{live_server.url}{NORFOLK}?q=distress+payment")
    expect(page.get_by_role("heading", level=1)).to_contain_text("19 011 560")

    count = page.locator("mark[id^=match-]").count()
    assert count > 2
    expect(page.locator(".matches__count")).to_contain_text(
        f"{count} matches for “distress payment”"
    )

    next_link = page.get_by_role("link", name="Next match")
    next_link.click()
    assert page.url.endswith("#match-1")
    assert mark_in_view_and_focused(page, 1)
    next_link.click()
    assert page.url.endswith("#match-2")
    assert mark_in_view_and_focused(page, 2)
    expect(page.locator(".matches__count")).to_contain_text(f"match 2 of {count}")

    page.get_by_role("link", name="Previous match").click()
    assert page.url.endswith("#match-1")
    assert mark_in_view_and_focused(page, 1)
    page.get_by_role("link", name="Previous match").click()  # round to the last
    assert page.url.endswith(f"#match-{count}")

    page.keyboard.press("n")
    assert page.url.endswith("#match-1")
    assert mark_in_view_and_focused(page, 1)
    page.keyboard.press("p")
    assert page.url.endswith(f"#match-{count}")

    # Single-key shortcuts can be turned off (WCAG 2.1.4).
    page.get_by_label("Use the keys n and p for the next and previous match").uncheck()
    page.get_by_role("heading", level=1).click()  # away from the checkbox
    page.keyboard.press("n")
    assert page.url.endswith(f"#match-{count}")

    page.get_by_role("link", name="Clear highlights").click()
    expect(page.locator("mark")).to_have_count(0)


def test_the_match_links_work_without_javascript(browser, live_server, sample_decisions):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{NORFOLK}?q=distress+payment")
        page.get_by_role("link", name="Next match").click()
        expect(page).to_have_url(re.compile(r"\?q=distress\+payment&match=1#match-1$"))
        page.get_by_role("link", name="Next match").click()
        expect(page).to_have_url(re.compile(r"&match=2#match-2$"))
        expect(page.locator(".matches__count")).to_contain_text("match 2 of")
        expect(page.locator("mark:target")).to_have_attribute("id", "match-2")
        expect(page.get_by_role("button", name="Copy citation")).to_be_hidden()
        expect(page.locator("#citation")).to_contain_text("Norfolk County Council (19 011 560)")
    finally:
        context.close()


def test_a_person_copies_the_citation(page: Page, live_server, sample_decisions):
    page.goto(f"{live_server.url}{NORFOLK}")
    button = page.locator("button[data-copy]")
    expect(button).to_have_text("Copy citation")
    button.click()
    expect(button).to_have_text("Copied")
    expect(page.locator(".cite__status")).to_have_text("The citation is on your clipboard.")


def test_a_decision_page_with_highlights_has_no_accessibility_violations(
    page: Page, live_server, sample_decisions
):
    page.goto(f"{live_server.url}{NORFOLK}?q=distress+payment")
    page.get_by_role("link", name="Next match").click()
    assert check_accessibility(page) == []


def test_an_organisation_page_has_no_accessibility_violations(
    page: Page, live_server, sample_decisions
):
    page.goto(f"{live_server.url}/organisations/norfolk-county-council/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Norfolk County Council")
    assert check_accessibility(page) == []


def test_a_printed_decision_has_no_controls_and_shows_link_addresses(
    page: Page, live_server, sample_decisions
):
    page.goto(f"{live_server.url}{NORFOLK}?q=distress")
    page.emulate_media(media="print")
    for hidden in (".site-header nav", ".matches", ".contents", "button[data-copy]", ".related"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#citation")).to_be_visible()
    after = page.evaluate(
        """() => getComputedStyle(
          document.querySelector(".facts a"), "::after").getPropertyValue("content")"""
    )
    assert after == '" (/organisations/norfolk-county-council/)"'

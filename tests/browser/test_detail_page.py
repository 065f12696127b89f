"""A person reads a decision found by a search, in a real Chromium: steps through the
highlighted words, goes back to the results and on to the next, prints, copies the
citation, the link and a paragraph's link, and the page passes axe's WCAG 2.2 AA rules
on a desktop and a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import check_accessibility
from tests.browser.screens import VIEWPORTS

pytestmark = pytest.mark.browser

NORFOLK = "/decisions/19-011-560/"


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser) -> Iterator[Page]:
    """A page on a desktop's screen, then on a phone's; allowed to use the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORTS[request.param], permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def row_references(page: Page) -> list[str]:
    """The references of the list's rows, in the order shown."""
    return [
        text.strip("()") for text in page.locator(".decision__title .reference").all_inner_texts()
    ]


def clipboard(page: Page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


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
    button = page.locator("button[data-copy=citation]")
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
    for hidden in (
        *(".site-header nav", ".matches", ".contents", "button[data-copy]", ".related"),
        *(".results-nav", ".page-actions", ".para__link", "#permalink"),
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".para__number").first).to_be_visible()
    expect(page.locator("#citation")).to_be_visible()
    after = page.evaluate(
        """() => getComputedStyle(
          document.querySelector(".facts a"), "::after").getPropertyValue("content")"""
    )
    assert after == '" (/organisations/norfolk-county-council/)"'


def test_back_to_results_returns_to_the_same_page_of_results_with_its_filters(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}/?q=council&date_from=2010-01-01&sort=oldest&page=2")
    count = screen.locator(".results__count").inner_text()
    rows = row_references(screen)
    assert len(rows) > 2
    screen.locator(".decision__title a").nth(1).click()
    expect(screen.get_by_role("heading", level=1)).to_contain_text(rows[1])

    screen.get_by_role("link", name="Back to results").click()
    expect(screen).to_have_url(
        re.compile(r"/\?q=council&date_from=2010-01-01&sort=oldest&page=2#result-[0-9a-z-]+$")
    )
    # At the row the person came from, not at the top of the list.
    expect(screen.locator(".decision").nth(1)).to_be_in_viewport()
    assert screen.evaluate("window.scrollY") > 0
    assert check_accessibility(screen) == []
    expect(screen.locator(".results__count")).to_have_text(count)
    assert row_references(screen) == rows
    expect(screen.get_by_label("Search words")).to_have_value("council")
    expect(screen.get_by_label("Sort by")).to_have_value("oldest")


def test_next_and_previous_result_go_to_the_rows_either_side(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}/?outcome=upheld")
    rows = row_references(screen)
    screen.locator(".decision__title a").first.click()
    expect(screen.locator(".results-nav__position")).to_contain_text("Result 1 of")
    expect(screen.get_by_role("link", name="Previous result")).to_have_count(0)

    screen.get_by_role("link", name="Next result").click()
    expect(screen.get_by_role("heading", level=1)).to_contain_text(rows[1])
    expect(screen.locator(".results-nav__position")).to_contain_text("Result 2 of")
    screen.get_by_role("link", name="Next result").click()
    expect(screen.get_by_role("heading", level=1)).to_contain_text(rows[2])
    screen.get_by_role("link", name="Previous result").click()
    expect(screen.get_by_role("heading", level=1)).to_contain_text(rows[1])
    expect(screen).to_have_url(re.compile(r"\?outcome=upheld$"))


def test_print_is_offered_with_javascript_and_prints_the_page(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}{NORFOLK}")
    button = screen.get_by_role("button", name="Print")
    expect(button).to_be_visible()
    screen.evaluate("() => { window.print = () => { window.printed = true; }; }")
    button.click()
    assert screen.evaluate("() => window.printed === true")


def test_copy_link_puts_the_decisions_permanent_link_on_the_clipboard(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}{NORFOLK}?q=distress&outcome=upheld")
    button = screen.locator("button[data-copy=permalink]")  # its name changes when clicked
    expect(button).to_have_accessible_name("Copy link")
    button.click()
    expect(button).to_have_text("Copied")
    expect(screen.locator(".page-actions__status")).to_have_text(
        "The link to this decision is on your clipboard."
    )
    assert clipboard(screen) == f"{live_server.url}{NORFOLK}"  # the search stays behind


def test_a_paragraphs_link_goes_to_it_and_copies_its_address(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}{NORFOLK}")
    screen.get_by_role("link", name="Link to paragraph 12", exact=True).click()
    expect(screen).to_have_url(re.compile(r"#p12$"))
    paragraph = screen.locator("#p12")
    expect(paragraph).to_be_in_viewport()
    expect(paragraph).to_contain_text("Mrs X says this is insufficient")
    assert screen.evaluate("() => document.querySelector('#p12').matches(':target')")
    expect(screen.locator(".page-actions__status")).to_have_text(
        "The link to paragraph 12 is on your clipboard."
    )
    assert clipboard(screen) == f"{live_server.url}{NORFOLK}#p12"


def test_a_decision_reached_from_the_results_has_no_accessibility_violations(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}/?q=council&outcome=upheld")
    screen.locator(".decision__title a").nth(1).click()
    expect(screen.get_by_role("link", name="Back to results")).to_be_visible()
    expect(screen.locator(".incomplete")).to_be_visible()  # most samples are cut short
    assert check_accessibility(screen) == []
    screen.goto(f"{live_server.url}/decisions/16-003-210/")  # names no organisation
    expect(screen.get_by_role("heading", level=1)).to_have_text(
        "Decision 16 003 210 (organisation not named)"
    )
    assert check_accessibility(screen) == []


def test_without_javascript_the_buttons_are_hidden_and_the_link_is_there_to_select(
    browser, live_server, sample_decisions
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{NORFOLK}")
        expect(page.get_by_role("button", name="Print")).to_be_hidden()
        expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
        expect(page.get_by_label("Link to this decision")).to_have_value(
            f"{live_server.url}{NORFOLK}"
        )
        page.get_by_role("link", name="Link to paragraph 5", exact=True).click()
        expect(page).to_have_url(re.compile(r"#p5$"))
    finally:
        context.close()


def test_the_citation_is_with_the_facts_and_in_the_contents(
    screen: Page, live_server, sample_decisions
):
    screen.goto(f"{live_server.url}{NORFOLK}")
    citation = screen.locator("#citation")
    expect(citation).to_contain_text("Norfolk County Council (19 011 560)")
    cite = screen.get_by_role("region", name="Cite this decision")
    if screen.viewport_size["width"] >= 1024:
        # A laptop: on the first screen, without scrolling.
        expect(citation).to_be_in_viewport(ratio=1)
        expect(cite.get_by_role("link", name="RIS file of this citation")).to_be_in_viewport()
    else:
        # A phone: the Contents lead to it.
        screen.get_by_role("navigation", name="Contents").get_by_role(
            "link", name="Cite this decision"
        ).click()
        expect(screen).to_have_url(re.compile(r"#cite-title$"))
        expect(cite.get_by_role("heading", name="Cite this decision")).to_be_in_viewport()
    with screen.expect_download() as download:
        cite.get_by_role("link", name="RIS file of this citation").click()
    assert download.value.suggested_filename == "lgsco-19-011-560.ris"
    assert "TI  - Norfolk County Council (19 011 560)" in download.value.path().read_text()
    assert check_accessibility(screen) == []

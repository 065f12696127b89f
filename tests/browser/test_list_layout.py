"""Results first, in a real Chromium on a laptop (1280 x 800) and a phone (390 x 844).

What fits on the first screen is measured from the elements' boxes; the keyboard path
counts its Tab presses; the order and page size are changed with the script and
without it. Expected counts come from the database (the 56 sample decisions).
Screenshots of the list and of a search on both screens go to /tmp/screens/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCREENSHOTS = Path("/tmp/screens")
# A search whose words name no organisation, so nothing is offered before its results.
SEARCH = "assessment"


@pytest.fixture(params=list(SCREENS))
def screen(request, browser) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(**SCREENS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield request.param, page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    context = browser.new_context(**SCREENS["phone"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def without_script(browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, **SCREENS["desktop"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def search_for(page: Page, words: str) -> None:
    page.get_by_label("Search words").fill(words)
    page.get_by_label("Search words").press("Enter")
    expect(page).to_have_url(re.compile(rf"q={words}"))


def on_first_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def count_text(total: int, per_page: int = 20) -> str:
    return (
        f"Showing 1–{per_page} of {total} decisions" if total > per_page else f"{total} decisions"
    )


# --- what the first screen shows --------------------------------------------------------------


@pytest.mark.parametrize("searching", [False, True], ids=["list", "search"])
def test_the_count_and_the_first_result_are_on_the_first_screen(
    screen, live_server, sample_decisions, searching
):
    name, page = screen
    page.goto(live_server.url)
    if searching:
        search_for(page, SEARCH)
    count = page.locator("#results-title")
    expect(count).to_have_text(re.compile(r"^(Showing 1–20 of )?\d+ decisions$"))
    first = page.locator(".decision").first
    assert on_first_screen(page, count), count.bounding_box()
    # Its title, the link, and its facts: category, outcome, date, organisation.
    assert on_first_screen(page, first.locator(".decision__title")), first.bounding_box()
    assert on_first_screen(page, first.locator(".decision__meta")), first.bounding_box()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{'search' if searching else 'list'}-{name}.png")


def test_on_a_phone_the_filters_are_folded_and_the_organisations_follow_the_results(
    phone: Page, live_server, sample_decisions
):
    phone.goto(live_server.url)
    expect(phone.get_by_text("Filter results")).to_be_visible()
    expect(phone.get_by_label("Outcome", exact=True)).to_be_hidden()
    last_result = phone.locator(".decision").last.bounding_box()
    organisations = phone.locator("aside.facets").bounding_box()
    assert organisations["y"] > last_result["y"] + last_result["height"]


def test_on_a_laptop_the_filters_and_organisations_are_a_column_beside_the_results(
    page: Page, live_server, sample_decisions
):
    page.set_viewport_size(SCREENS["desktop"]["viewport"])
    page.goto(live_server.url)
    # Unfolded by the script on a wide screen.
    expect(page.get_by_label("Outcome", exact=True)).to_be_visible()
    results = page.locator(".results").bounding_box()
    for column in (page.locator("form.filters"), page.locator("aside.facets")):
        box = column.bounding_box()
        assert box["x"] + box["width"] <= results["x"], box
    assert page.locator("aside.facets").bounding_box()["y"] < results["y"] + results["height"]


def test_on_a_phone_the_filters_open_and_work(phone: Page, live_server, sample_decisions):
    phone.goto(live_server.url)
    upheld = Decision.objects.filter(outcome="upheld").count()
    phone.get_by_text("Filter results").click()
    outcome = phone.get_by_label("Outcome", exact=True)
    expect(outcome).to_be_visible()
    # The count goes with the option: the decisions choosing it shows.
    outcome.select_option(label=f"Upheld ({upheld})")
    phone.get_by_role("button", name="Show decisions").click()
    expect(phone).to_have_url(re.compile(r"outcome=upheld"))
    expect(phone.locator("#results-title")).to_have_text(count_text(upheld))
    expect(phone.locator(".active-filters")).to_contain_text("Outcome: Upheld")
    # Folded again, so the filtered results are on the first screen.
    expect(outcome).to_be_hidden()
    assert on_first_screen(phone, phone.locator(".decision__title").first)


# --- the keyboard path -------------------------------------------------------------------------


def test_a_keyboard_reaches_the_first_result_of_a_search_in_a_few_tabs(
    screen, live_server, sample_decisions
):
    _name, page = screen
    page.goto(live_server.url)
    search_for(page, SEARCH)
    first_result = page.locator(".decision__title a").first
    skip_links = ("Skip to main content", "Skip to results")
    tabs, path = 0, []
    while tabs < 40:
        page.keyboard.press("Tab")
        tabs += 1
        if first_result.evaluate("(element) => element === document.activeElement"):
            break
        focused = page.evaluate("document.activeElement.textContent.trim()")
        path.append(focused)
        if focused in skip_links:
            page.keyboard.press("Enter")
    assert tabs <= 5, f"{tabs} Tabs: {path}"
    assert path[:2] == list(skip_links)
    expect(page.locator("#results-title")).not_to_be_focused()
    reference = first_result.locator(".reference").inner_text().strip("()")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def test_the_skip_link_to_results_focuses_the_count(page: Page, live_server, sample_decisions):
    page.goto(live_server.url + f"/?q={SEARCH}")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#results-title")).to_be_focused()


# --- the order and the page size ---------------------------------------------------------------


def test_with_the_script_choosing_an_order_or_page_size_applies_it(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    oldest = Decision.objects.exclude(decision_date=None).order_by("decision_date").first()
    expect(page.get_by_role("button", name=re.compile("^Apply"))).to_have_count(0)
    page.get_by_label("Sort by").select_option(label="Oldest first")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page.locator(".decision").first).to_contain_text(oldest.reference)
    # The page comes back with the focus where it was, for a keyboard to carry on.
    expect(page.get_by_label("Sort by")).to_be_focused()
    assert "q=" not in page.url  # empty fields are left out of the address

    page.get_by_label("Decisions per page").select_option("50")
    expect(page).to_have_url(re.compile(r"per_page=50"))
    assert "sort=oldest" in page.url
    expect(page.locator(".decision")).to_have_count(50)
    expect(page.get_by_label("Decisions per page")).to_be_focused()


def test_without_the_script_one_apply_button_sets_the_order_and_another_the_page_size(
    without_script: Page, live_server, sample_decisions
):
    page = without_script
    page.goto(live_server.url)
    oldest = Decision.objects.exclude(decision_date=None).order_by("decision_date").first()
    page.get_by_label("Sort by").select_option(label="Oldest first")
    page.get_by_role("button", name="Apply order").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page.locator(".decision").first).to_contain_text(oldest.reference)

    page.get_by_label("Decisions per page").select_option("50")
    page.get_by_role("button", name="Apply page size").click()
    expect(page.locator(".decision")).to_have_count(50)
    assert "sort=oldest" in page.url and "per_page=50" in page.url


def test_without_the_script_the_folded_filters_open_and_work(
    without_script: Page, live_server, sample_decisions
):
    page = without_script
    page.goto(live_server.url)
    outcome = page.get_by_label("Outcome", exact=True)
    expect(outcome).to_be_hidden()
    page.get_by_text("Filter results").click()
    upheld = Decision.objects.filter(outcome="upheld")
    outcome.select_option(label=f"Upheld ({upheld.count()})")
    page.get_by_label("From", exact=True).fill("1 January 2020")
    page.get_by_role("button", name="Show decisions").click()
    # Read, and the address rewritten in ISO form.
    expect(page).to_have_url(re.compile(r"date_from=2020-01-01"))
    expected = upheld.filter(decision_date__gte="2020-01-01").count()
    expect(page.locator("#results-title")).to_have_text(count_text(expected))


# --- dates ----------------------------------------------------------------------------------------


def test_dates_typed_as_people_write_them_filter_the_list(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    page.get_by_label("From", exact=True).fill("31/3/2020")
    page.get_by_label("To", exact=True).fill("31 December 2021")
    page.get_by_role("button", name="Show decisions").click()
    expect(page).to_have_url(re.compile(r"date_from=2020-03-31&date_to=2021-12-31$"))
    expected = Decision.objects.filter(
        decision_date__gte="2020-03-31", decision_date__lte="2021-12-31"
    ).count()
    expect(page.locator("#results-title")).to_have_text(count_text(expected))
    expect(page.get_by_label("From", exact=True)).to_have_value("31/3/2020")
    expect(page.get_by_label("To", exact=True)).to_have_value("31/12/2021")
    expect(page.locator(".active-filters")).to_contain_text("From: 31 March 2020")


def test_a_wrong_date_keeps_what_was_typed_and_says_why(page: Page, live_server, sample_decisions):
    page.goto(live_server.url)
    page.get_by_label("From", exact=True).fill("31/2/2020")
    page.get_by_role("button", name="Show decisions").click()
    message = "31/2/2020 is not a real date: February 2020 has 29 days."
    expect(page.get_by_role("alert")).to_contain_text(f"From: {message}")
    expect(page.get_by_label("From", exact=True)).to_have_value("31/2/2020")
    page.get_by_role("link", name=f"From: {message}").click()
    expect(page.get_by_label("From", exact=True)).to_be_focused()


def test_a_quick_date_range_shows_its_count_beside_the_date_fields(
    page: Page, live_server, sample_decisions
):
    page.goto(live_server.url)
    dates = page.get_by_role("group", name="Decision date")
    last_five = dates.get_by_role("link", name=re.compile(r"^Last 5 years \(\d+"))
    shown = int(re.search(r"\((\d+)", last_five.inner_text()).group(1))
    last_five.click()
    expect(page.locator("#results-title")).to_have_text(count_text(shown))


# --- accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", f"/?q={SEARCH}&outcome=upheld", "/?date_from=31/2/2020", "/?q=xylophone"]
)
def test_the_list_has_no_wcag_aa_violations_on_either_screen(
    screen, live_server, sample_decisions, path
):
    _name, page = screen
    page.goto(live_server.url + path)
    assert check_accessibility(page) == []
    if not page.locator("details.filter-panel[open]").count():
        page.get_by_text("Filter results").click()
    expect(page.get_by_label("Outcome", exact=True)).to_be_visible()
    assert check_accessibility(page) == []


def test_the_list_without_the_script_has_no_wcag_aa_violations(
    browser, live_server, sample_decisions
):
    # axe is a script itself, which a context without JavaScript cannot run: the page is
    # loaded without its own script instead, as a browser without JavaScript shows it.
    context = browser.new_context(**SCREENS["desktop"])
    page = context.new_page()
    page.route("**/filters.js", lambda route: route.abort())
    page.goto(live_server.url + f"/?q={SEARCH}")
    expect(page.get_by_role("button", name="Apply order")).to_be_visible()
    assert check_accessibility(page) == []
    context.close()


def test_on_a_laptop_the_search_box_shows_what_was_typed_and_the_category_names(
    page: Page, live_server, sample_decisions
):
    page.set_viewport_size(SCREENS["desktop"]["viewport"])
    typed = "school transport appeal delay"
    page.goto(f"{live_server.url}/?q={typed.replace(' ', '+')}")
    box = page.get_by_label("Search words")
    expect(box).to_have_value(typed)
    # Wide enough for a caseworker's usual query: not cut off (it was 157px wide).
    assert box.bounding_box()["width"] >= 300
    assert box.evaluate("input => input.scrollWidth <= input.clientWidth")
    category = page.get_by_label("Category", exact=True)
    assert category.bounding_box()["width"] >= 300
    # Still a column beside the results.
    assert box.bounding_box()["x"] + 300 < page.locator(".results").bounding_box()["x"]
    assert check_accessibility(page) == []


def test_on_a_phone_the_search_box_keeps_its_button_beside_it(
    phone: Page, live_server, sample_decisions
):
    phone.goto(live_server.url)
    box = phone.get_by_label("Search words").bounding_box()
    button = phone.get_by_role("button", name="Search", exact=True).bounding_box()
    assert abs(button["y"] - box["y"]) < 10 and button["x"] > box["x"] + box["width"]
    assert check_accessibility(phone) == []

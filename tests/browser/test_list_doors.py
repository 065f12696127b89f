"""A researcher takes a search away: downloads it as a spreadsheet and finds its feed, in
a real Chromium on a laptop and a phone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=sorted(SCREENS))
def screen(browser, request) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, **SCREENS[request.param])
    yield context.new_page()
    context.close()


def test_a_search_downloads_as_a_spreadsheet_of_its_matches(
    screen: Page, live_server, sample_decisions
):
    screen.goto(live_server.url + "/?outcome=upheld&category=housing")
    link = screen.get_by_role("link", name="CSV file of these results")
    expect(link).to_be_visible()
    with screen.expect_download() as download:
        link.click()
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    expected = Decision.objects.filter(outcome="upheld", category__parent__slug="housing")
    assert sorted(row["reference"] for row in rows) == sorted(
        expected.values_list("reference", flat=True)
    )


def test_the_feed_link_and_its_explanation_are_seen_and_pass_axe(
    screen: Page, live_server, sample_decisions
):
    screen.goto(live_server.url + "/?outcome=upheld")
    follow = screen.get_by_role("link", name="Follow this search")
    expect(follow).to_be_visible()
    # It opens a page offering the email alert and the feed (issue 26), not the raw feed.
    assert follow.get_attribute("href") == "/follow/?outcome=upheld"
    assert check_accessibility(screen) == []
    follow.click()
    expect(screen.get_by_text("A feed is a web address that a feed reader")).to_be_visible()
    feed = screen.get_by_label("Feed address")
    assert feed.input_value() == live_server.url + "/feed.atom?outcome=upheld"
    assert check_accessibility(screen) == []

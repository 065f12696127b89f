"""The API documentation page in a real Chromium: Swagger UI, served from static/,
renders the schema inside the Content-Security-Policy (conftest.py fails the test on
any violation), and the page passes axe on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_schema_and_passes_axe(sized_page: Page, live_server, db):
    page = sized_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            (request.url.startswith(live_server.url) or request.url.startswith("data:"))
            or outside.append(request.url)
        ),
    )
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_role("heading", level=1, name="API documentation")).to_be_visible()
    # Swagger UI has fetched the schema and drawn each endpoint.
    for path in ("/api/v1/decisions/", "/api/v1/decisions/{reference}/", "/api/v1/categories/"):
        expect(page.locator(".opblock-summary-path", has_text=path).first).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Endpoints")).to_be_visible()
    assert page.locator("main, [role=main]").count() == 1
    assert outside == [], "nothing is loaded from anywhere else"
    # Axe's best practices too: one main landmark, not nested; headings in order.
    assert check_accessibility(page, best_practice=True) == []


def test_an_endpoint_opens_from_the_keyboard_to_show_its_parameters(page: Page, live_server, db):
    """Swagger UI's own controls, with its contrast (static/css/api-docs.css) and labels
    (static/js/api-docs.js) repaired: axe finds nothing once it is open either."""
    page.goto(live_server.url + "/api/v1/docs/")
    search = page.get_by_role("button", name="GET /api/v1/decisions/ Search the decisions")
    search.focus()
    page.keyboard.press("Enter")
    for name in ("q", "organisation", "date_from", "cursor"):
        expect(page.locator(".parameter__name", has_text=name).first).to_be_visible()
    expect(page.get_by_role("combobox", name="sort")).to_be_visible()
    assert check_accessibility(page) == []


def test_without_javascript_the_page_links_the_schema(browser, live_server, db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/api/v1/docs/")
    link = page.get_by_role("link", name="OpenAPI 3 schema")
    expect(link).to_have_attribute("href", "/api/v1/schema/")
    # axe needs JavaScript: the page's own text is checked with it on, above.
    context.close()


def test_the_guide_the_docs_point_to_is_a_page_to_read(sized_page: Page, live_server, db):
    page = sized_page
    page.goto(live_server.url + "/api/v1/docs/")
    page.get_by_role("link", name="Using the JSON API").click()
    expect(page.get_by_role("heading", level=1, name="Using the JSON API")).to_be_visible()
    expect(page.get_by_text(f"curl {live_server.url}/api/v1/decisions/19011560/")).to_be_visible()
    page.get_by_role("link", name="Paging").click()
    expect(page.get_by_role("heading", name="Paging")).to_be_in_viewport()
    assert check_accessibility(page, best_practice=True) == []

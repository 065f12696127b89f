"""The list page: its rows, paging, searches, filters and their messages, the results
before the folded filters, and each state a URL. The filter form's controls are in
tests/test_filter_form.py; a phrase search's page in tests/test_search.py.

Assertions are on short fragments of HTML, never on whole pages.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from decisions.models import Category, Decision, Organisation
from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html, make_decision, results_heading
from tests.support.parsed_html import paragraph_starting, text_of

# --- rows -----------------------------------------------------------------------------------


def test_the_list_shows_the_number_of_decisions_and_newest_first(client, sample_decisions):
    html = get_html(client, "/")
    assert "Showing 1–20 of 56 decisions" in html
    # 25 014 449 (18 May 2026) is the newest; 16 003 210 (2017) is not on page 1.
    assert html.index("25 014 449") < html.index("25 016 701") < html.index("25 016 266")
    assert "16 003 210" not in html


def test_a_row_shows_organisation_reference_link_category_outcome_date_and_summary(
    client, sample_decisions
):
    html = get_html(client, "/?organisation=norfolk-county-council&outcome=upheld")
    assert (
        '<a href="/decisions/19-011-560/?organisation=norfolk-county-council&amp;outcome=upheld">'
        "Norfolk County Council"
    ) in html
    assert "Children&#x27;s care services" in html and "Child protection" in html
    assert "<dd>Upheld</dd>" in html
    assert '<time datetime="2020-03-31">31 March 2020</time>' in html
    assert "Mrs X complained about the Council’s failure to properly remedy" in html


def test_a_row_says_what_is_not_recorded(client, db):
    make_decision("20 000 001", summary=" ".join(["word"] * 100))
    html = get_html(client, "/")
    assert 'Decision <span class="reference">20 000 001</span> (organisation not named)' in html
    assert "<dd>Not recorded</dd>" in html
    assert "Date not recorded" in html
    assert "word word …" in html  # the summary is cut to its first words


def test_search_results_link_to_the_decision_with_the_search_words(client, sample_decisions):
    html = client.get("/", {"q": "social worker"}).content.decode()
    assert 'href="/decisions/19-011-560/?q=social+worker"' in html
    assert 'href="/organisations/norfolk-county-council/"' in html


# --- paging ---------------------------------------------------------------------------------


def test_paging_keeps_the_filters_in_the_page_links(client, sample_decisions, settings):
    settings.DECISIONS_PER_PAGE = 5
    html = get_html(client, "/?outcome=closed_after_initial_enquiries")
    assert 'href="?outcome=closed_after_initial_enquiries&amp;page=2"' in html
    assert "Showing 1–5 of 24 decisions" in html
    html = get_html(client, "/?outcome=closed_after_initial_enquiries&page=2")
    assert "Showing 6–10 of 24 decisions" in html
    assert 'href="?outcome=closed_after_initial_enquiries&amp;page=1"' in html


@pytest.mark.parametrize("sort", ["newest", "oldest", "largest"])
def test_a_deep_page_from_the_index_is_the_page_postgresql_orders(
    client, sample_decisions, settings, sort
):
    settings.DECISIONS_PER_PAGE = 5
    url = f"/?outcome=closed_after_initial_enquiries&sort={sort}&page=3"
    shown = re.findall(r'href="/decisions/([0-9a-z-]+)/', get_html(client, url))
    shown = list(dict.fromkeys(shown))
    rows = Decision.objects.published().filter(outcome="closed_after_initial_enquiries")
    expected = [decision.slug for decision in rows.sorted_by(sort)[10:15]]
    assert shown[:5] == expected


def test_paging_keeps_a_search_and_its_order(client, db, settings):
    settings.DECISIONS_PER_PAGE = 5
    for number in range(12):
        make_decision(f"20 000 {number:03}", summary="A complaint about school transport.")
    make_decision("20 000 099", summary="Nothing to see.")
    html = get_html(client, "/?q=transport&outcome=")
    assert 'href="?q=transport&amp;outcome=&amp;page=2"' in html
    assert "Showing 1–5 of 12 decisions" in html
    assert '<option value="relevance" selected>Most relevant</option>' in html


def test_a_short_last_page_is_folded_into_the_one_before(client, db, settings):
    settings.DECISIONS_PER_PAGE = 10
    for number in range(23):
        make_decision(f"20 000 {number:03}")
    html = get_html(client, "/?page=2")
    assert "Showing 11–23 of 23 decisions" in html
    assert "page=3" not in html


def test_a_page_number_past_the_end_shows_the_last_page(client, db, settings):
    settings.DECISIONS_PER_PAGE = 10
    for number in range(15):
        make_decision(f"20 000 {number:03}")
    assert "Showing 11–15 of 15 decisions" in get_html(client, "/?page=99")
    assert "Showing 1–10 of 15 decisions" in get_html(client, "/?page=abc")


def test_every_page_is_reachable_however_deep(client, thirty_decisions):
    """No page cap: the index reads any page at the cost of its position."""
    html = get_html(client, "/?per_page=20&page=2")
    assert "Showing 21–30 of 30 decisions" in html
    assert html.count('<li class="decision">') == 10
    past = get_html(client, "/?per_page=20&page=9")
    assert "There are only 2 pages: showing the last one." in past


@pytest.mark.parametrize("search", ["", "allocation"])
def test_the_number_of_queries_does_not_grow_with_the_page_size(client, db, search):
    organisation = Organisation.objects.create(name="Testshire Council", slug="testshire")
    parent = Category.objects.create(name="Housing", slug="housing")
    category = Category.objects.create(name="Allocations", slug="allocations", parent=parent)
    Decision.objects.bulk_create(
        Decision(
            reference=f"20 000 {number:03}",
            source=f"crafted {number}",
            content_hash=str(number),
            organisation=organisation,
            category=category,
            outcome="upheld",
            remedy_total=100,
            decision_date=datetime.date(2024, 1, 1),
            summary="Delay in a housing allocation.",
            body_text="The Council delayed the allocation.",
        )
        for number in range(120)
    )

    client.get("/")  # the test's search index built (the tests' catch-up, not the page's)

    def queries_for(url: str) -> int:
        cache.clear()  # both cold: the whole-archive figures are counted each time
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="facets"' in html  # the facets are counted on both pages
        assert html.count('<li class="decision">') == int(url.rsplit("=", 1)[1])
        return len(context.captured_queries)

    url = f"/?q={search}&category=housing&outcome=upheld&has_remedy=on&per_page="
    assert queries_for(url + "20") == queries_for(url + "100")


# --- searches and what the page says of them ------------------------------------------------


def test_a_search_snippet_escapes_the_decision_text(client, db):
    make_decision("20 000 001", summary="<script>alert(1)</script> about a <b>parking</b> fine")
    html = get_html(client, "/?q=parking")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>parking</mark>&lt;/b&gt;" in html


def test_a_search_of_only_stop_words_says_why_it_found_nothing(client, sample_decisions):
    response = client.get("/?q=the+and")
    assert response.status_code == 200
    html = response.content.decode()
    assert "only has very common words" in html
    assert "No decisions found" in html


def test_a_search_with_no_match_suggests_what_to_try(client, sample_decisions):
    html = get_html(client, "/?q=xylophone")
    assert "No decisions match these filters" in html
    assert "only has very common words" not in html


def test_a_misspelt_council_in_the_search_box_shows_its_decisions(client, sample_decisions):
    # Issue 13: words that match nothing but a name show that organisation's decisions.
    html = get_html(client, "/?q=Norfok&outcome=upheld")
    assert "No decisions contain “Norfok”: showing the decisions about Norfolk County Council." in (
        html
    )
    upheld = Decision.objects.filter(organisation__name="Norfolk County Council", outcome="upheld")
    assert f"{upheld.count()} decision" in results_heading(html)


def test_a_misspelt_council_with_no_decisions_to_show_gives_a_did_you_mean(
    client, sample_decisions
):
    html = get_html(client, "/?q=Norfok&date_to=2001-01-01")
    assert "No decisions found" in html
    did_you_mean = paragraph_starting(html, "Did you mean decisions about")
    assert text_of(did_you_mean) == "Did you mean decisions about Norfolk County Council?"
    [link] = did_you_mean.css("a")
    assert link.attributes["href"] == "?date_to=2001-01-01&organisation=norfolk-county-council"
    assert text_of(link) == "Norfolk County Council"


def test_no_results_says_which_filter_to_remove_and_how_many_that_would_show(
    client, sample_decisions
):
    html = get_html(client, "/?q=guardianship&category=housing")
    without_category = DecisionSearch.from_params({"q": "guardianship"}).total.value
    assert (
        f'<a href="?q=guardianship">Without Category: Housing</a> ({without_category} decisions)'
        in html
    )


# --- filters and what the page says of them -------------------------------------------------


def test_the_outcome_filter_narrows_the_page(client, sample_decisions):
    html = get_html(client, "/?outcome=not_upheld")
    assert "/decisions/25-014-449/" in html
    assert "/decisions/19-011-560/" not in html
    count = Decision.objects.filter(outcome="not_upheld").count()
    assert f'aria-live="polite">{count} decisions</h2>' in html


def test_parameters_that_are_not_filters_do_not_count_as_filtering(client, sample_decisions):
    html = get_html(client, "/?utm_source=newsletter&page=1")
    assert "<title>All decisions – " in html
    assert "Clear all filters" not in html


def test_an_invalid_date_gives_a_message_not_an_error(client, sample_decisions):
    html = get_html(client, "/?date_from=2024-02-31&outcome=upheld")
    assert "Some of the filters need changing" in html
    assert (
        '<a href="#id_date_from">From: 2024-02-31 is not a real date: February 2024 has 29 days.</a>'
        in html
    )
    assert 'aria-invalid="true"' in html
    assert "/decisions/19-011-560/" not in html


def test_an_unknown_filter_value_gives_a_message_not_an_error(client, sample_decisions):
    html = get_html(client, "/?organisation=nowhere&category=<b>x</b>")
    assert "Organisation: There is no such organisation in the archive." in html
    assert "<b>x</b>" not in html


def test_a_misspelt_or_partial_organisation_is_resolved_and_the_page_says_so(
    client, sample_decisions
):
    html = get_html(client, "/?organisation=Norfok")
    assert "Showing decisions about <strong>Norfolk County Council</strong>" in html
    assert "/decisions/19-011-560/" in html
    html = get_html(client, "/?organisation=redbridge")
    assert "<strong>London Borough of Redbridge</strong>" in html
    count = Decision.objects.filter(organisation__name="London Borough of Redbridge").count()
    assert f'aria-live="polite">{count} decisions</h2>' in html


def test_several_matching_organisations_are_offered_as_links(client, sample_decisions):
    html = get_html(client, "/?organisation=london+borough")
    assert "organisations match “london borough”" in html
    assert (
        '<a href="?organisation=london-borough-of-redbridge">London Borough of Redbridge</a>'
        in html
    )


def test_the_active_filters_each_link_to_the_page_without_them(client, sample_decisions):
    html = get_html(client, "/?outcome=upheld&category=housing&page=1")
    assert (
        '<a href="?category=housing"><span class="visually-hidden">Remove filter </span>Outcome: Upheld'
        in html
    )
    assert (
        '<a href="?outcome=upheld"><span class="visually-hidden">Remove filter </span>Category: Housing'
        in html
    )


# --- results first (the filter form itself: tests/test_filter_form.py) ----------------------


def test_the_results_come_before_the_top_organisations_and_after_the_folded_filters(
    client, sample_decisions
):
    html = get_html(client, "/?q=council")
    tree = HTMLParser(html)
    panel = tree.css_first("form.filters details.filter-panel")
    assert panel.css_first("summary").text() == "Filter results"
    # Folded in the page as sent: a phone shows the results first (filters.js opens it
    # on a wide screen).
    assert "open" not in panel.attributes
    assert panel.css_first('button[type="submit"]').text() == "Show decisions"
    order = [
        html.index(marker) for marker in ('class="filters"', 'id="results-title"', 'class="facets"')
    ]
    assert order == sorted(order)


def test_a_skip_link_first_in_the_page_leads_to_the_results_heading(client, sample_decisions):
    tree = HTMLParser(get_html(client, "/?q=council"))
    main = tree.css_first("main")
    first = next(node for node in main.iter() if node.tag != "-text")
    assert first.tag == "a" and first.text() == "Skip to results"
    assert first.attributes["href"] == "#results-title"
    heading = tree.css_first("#results-title")
    assert heading.tag == "h2" and heading.attributes["tabindex"] == "-1"


def test_no_skip_link_to_results_when_there_are_none(client, sample_decisions):
    assert "Skip to results" not in get_html(client, "/?q=xylophone")


# --- every state is a URL -------------------------------------------------------------------


@pytest.fixture
def thirty_decisions(db) -> None:
    """30 decisions that every combination below matches, so each has several pages."""
    organisation = Organisation.objects.create(name="Testshire Council", slug="testshire-council")
    parent = Category.objects.create(name="Housing", slug="housing")
    category = Category.objects.create(name="Allocations", slug="allocations", parent=parent)
    for number in range(30):
        make_decision(
            f"20 000 {number:03}",
            organisation=organisation,
            category=category,
            outcome="upheld",
            remedy_total=500,
            decision_date=datetime.date(2024, 6, 1),
            summary="Delay in a housing allocation.",
        )


ROUND_TRIPS = [
    ({"q": "delay"}, ["Search words: “delay”"]),
    ({"organisation": "testshire-council"}, ["Organisation: Testshire Council"]),
    ({"organisation": "Testshire Council"}, ["Organisation: Testshire Council"]),
    (
        {"category": "housing", "subcategory": "allocations"},
        ["Category: Housing", "Subcategory: Allocations"],
    ),
    (
        {"outcome": "upheld", "date_from": "2024-01-01", "date_to": "2024-12-31"},
        ["Outcome: Upheld", "From: 1 January 2024", "To: 31 December 2024"],
    ),
    (
        {"has_remedy": "on", "amount": "100"},
        ["Has a financial remedy: Yes", "Amount at least (£): £100"],
    ),
    (
        {
            "q": '"housing allocation"',
            "organisation": "Testshire Council",
            "category": "housing",
            "outcome": "upheld",
            "has_remedy": "on",
            "amount": "500",
            "date_from": "2024-01-01",
            "sort": "oldest",
            "per_page": "20",
        },
        ["Search words: “housing allocation”", "Amount at least (£): £500"],
    ),
]


def form_control(html: str, name: str) -> str:
    """The HTML of the form control called `name`: a whole <select>, or an <input>."""
    match = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S) or re.search(
        rf'<input[^>]*name="{name}"[^>]*>', html
    )
    assert match, name
    return match.group(0)


@pytest.mark.parametrize(("params", "shown"), ROUND_TRIPS)
def test_every_filter_combination_round_trips_through_the_url(
    client, thirty_decisions, settings, params, shown
):
    settings.DECISIONS_PER_PAGE = 5
    html = get_html(client, "/?" + urlencode(params))
    assert "Some of the filters need changing" not in html
    for name, value in params.items():
        control = form_control(html, name)
        if name == "has_remedy":
            assert " checked" in control
        elif control.startswith("<select"):
            assert f'<option value="{value}" selected>' in control
        elif name.startswith("date_"):
            # Shown as people in the UK write it; the address keeps the ISO date.
            date = datetime.date.fromisoformat(value)
            assert f'value="{date.day}/{date.month}/{date.year}"' in control, control
        else:
            assert f'value="{escape(value)}"' in control, control
    for text in shown:
        assert f"Remove filter </span>{text} " in html
    links = re.findall(r'<a href="(\?[^"]*)"', html.replace("&amp;", "&"))
    page_links = [
        parse_qs(link[1:])
        for link in links
        if "page=" in link and "per_page=" not in link.split("page=")[0][-4:]
    ]
    paging = [query for query in page_links if "page" in query]
    assert paging, "no page links"
    for query in paging:
        assert {name: values[0] for name, values in query.items() if name != "page"} == params


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/?sort=xyz",
            "Sort by most relevant, newest, oldest or largest payment: showing the default.",
        ),
        ("/?sort=relevance", "Most relevant first needs search words: showing newest first."),
        ("/?per_page=7", "Show 20, 50, 100 decisions a page: showing 20."),
        ("/?page=abc", "“abc” is not a page number: showing page 1."),
        ("/?page=99", "There are only 2 pages: showing the last one."),
        ("/?amount=-5", "Amount at least (£): Enter an amount of £1 or more."),
        ("/?amount=lots", "Amount at least (£): Enter an amount in pounds, for example 500."),
        ("/?outcome=maybe", "Outcome: Choose an outcome from the list."),
        ("/?date_to=2024-13-01", "To: 2024-13-01 is not a real date: a month is from 1 to 12."),
    ],
)
def test_an_invalid_parameter_gives_a_message_on_the_page_never_an_error(
    client, thirty_decisions, url, message
):
    assert escape(message) in get_html(client, url)

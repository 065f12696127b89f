"""One decision's page: at its simplest, facts, remedies, sections and contents, citation,
search highlights, the way back to the results and on to the next, paragraph numbers
and lists, and the redirects and 404s of its address.

Assertions are on short fragments of HTML, never on whole pages.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord
from decisions.models import Category, Decision, Organisation
from decisions.views.citing import legislation_by_act
from tests.conftest import FIXTURES
from tests.support.helpers import get_html, make_decision
from tests.support.parsed_html import definitions

NORFOLK = "/decisions/19-011-560/"
SEED_NORFOLK = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"


# --- at its simplest: summary, sections, remedies, links, escaping --------------------------


def test_the_detail_page_shows_the_summary_and_each_section_heading(client, sample_decisions):
    html = get_html(client, "/decisions/19-011-560/")
    assert "<h1>Norfolk County Council" in html
    assert "<p>Mrs X complained about the Council’s failure to properly remedy" in html
    for heading in ("The complaint", "What I found", "Key facts", "Final decision"):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<h1") == 1


def test_the_detail_page_shows_remedies_and_legislation(client, sample_decisions):
    html = get_html(client, "/decisions/19-011-560/")
    assert "<li>£50 for time and trouble</li>" in html
    assert "<li>£200 for distress</li>" in html
    assert "Total: £250" in html
    assert "<li>An apology was agreed or recommended.</li>" in html
    assert "<li>Local Government Act 1974, sections 26, 26A, 30 and 34H</li>" in html


def test_the_detail_page_links_to_the_original_and_to_related_decisions(client, sample_decisions):
    html = get_html(client, "/decisions/25-014-449/")
    original = "https://www.lgo.org.uk/decisions/children-s-care-services/friends-and-family-carers/25-014-449"
    assert f'<a href="{original}">' in html
    assert "removes decision statements from its website after about five years" in html
    assert (
        'href="/?category=children-s-care-services&amp;subcategory=friends-and-family-carers"'
        in html
    )
    assert 'href="/?category=children-s-care-services"' in html
    assert 'href="/?organisation=' in html


def test_the_detail_page_shows_the_published_outcome_wording_or_that_it_was_inferred(client, db):
    make_decision("20 000 001", outcome="upheld", outcome_wording="Upheld: fault and injustice")
    make_decision("20 000 002", outcome="not_upheld", outcome_inferred=True)
    assert "as published: “Upheld: fault and injustice”" in get_html(
        client, "/decisions/20-000-001/"
    )
    assert "this was read from its text" in get_html(client, "/decisions/20-000-002/")


def test_the_detail_page_escapes_the_decision_text(client, db):
    make_decision(
        "20 000 001",
        summary="<script>alert(1)</script>",
        sections=[{"heading": "<i>Key</i> facts", "paragraphs": ["<img src=x onerror=alert(1)>"]}],
        url="javascript:alert(1)",
    )
    html = get_html(client, "/decisions/20-000-001/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h2>&lt;i&gt;Key&lt;/i&gt; facts</h2>" in html
    assert "<img" not in html
    assert "javascript:" not in html


# --- facts ----------------------------------------------------------------------------------


def test_the_facts_link_the_organisation_and_show_category_outcome_date_and_law(
    client, sample_decisions
):
    html = get_html(client, NORFOLK)
    assert (
        '<dd><a href="/organisations/norfolk-county-council/">Norfolk County Council</a></dd>'
        in html
    )
    assert "<dt>Reference</dt><dd>19 011 560</dd>" in html
    assert 'Children&#x27;s care services <span aria-hidden="true">›</span>' in html
    assert "Child protection" in html
    assert '<time datetime="2020-03-31">31 March 2020</time>' in html
    assert "<li>Local Government Act 1974, sections 26, 26A, 30 and 34H</li>" in html


def test_the_facts_say_what_is_not_recorded_and_how_the_outcome_was_read(client, db):
    make_decision("20 000 001", outcome="upheld", outcome_wording="Upheld: fault and injustice")
    make_decision(
        "20 000 002", outcome="not_upheld", outcome_inferred=True, other_bodies=["Ofsted"]
    )
    assert "(as published: “Upheld: fault and injustice”)" in get_html(
        client, "/decisions/20-000-001/"
    )
    html = get_html(client, "/decisions/20-000-002/")
    assert "(inferred: the statement has no outcome line" in html
    assert "<dt>Decision date</dt><dd>Not recorded</dd>" in html
    assert "<dd>Not named in the statement</dd>" in html
    assert "<dt>Other bodies</dt><dd><ul><li>Ofsted</li></ul></dd>" in html


# --- remedies -------------------------------------------------------------------------------


def test_the_remedies_list_each_payment_with_its_purpose_and_the_total(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert "<li>£50 for time and trouble</li>" in html
    assert "<li>£200 for distress</li>" in html
    assert '<p class="remedies__total">Total: £250</p>' in html


def test_the_remedies_say_each_other_action_in_a_plain_sentence(client, db):
    make_decision(
        "20 000 001",
        remedies={
            "payments": [{"amount": "150.00", "purpose": "", "text": "..."}],
            "total": "150.00",
            "apology": True,
            "service_improvement": True,
            "reassessment": True,
            "staff_training": True,
            "already_provided": True,
        },
    )
    html = get_html(client, "/decisions/20-000-001/")
    assert "<li>£150 (the statement does not say what for)</li>" in html
    assert "remedies__total" not in html  # one payment is its own total
    for sentence in (
        "An apology was agreed or recommended.",
        "A new assessment or review was agreed or recommended.",
        "Improvements to the organisation’s services were agreed or recommended.",
        "Training for the organisation’s staff was agreed or recommended.",
        "The organisation had already provided some of this remedy before the decision.",
    ):
        assert f"<li>{sentence}</li>" in html


def test_a_decision_without_remedies_has_no_remedies_block(client, db):
    make_decision("20 000 001", remedies={})
    assert 'id="remedies-title"' not in get_html(client, "/decisions/20-000-001/")


# --- sections -------------------------------------------------------------------------------


def test_each_section_has_an_anchor_from_its_heading_and_a_contents_link(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert '<section class="statement-section" id="the-complaint">' in html
    assert '<section class="statement-section" id="the-ombudsmans-role-and-powers">' in html
    assert '<li><a href="#the-complaint">The complaint</a></li>' in html
    assert '<li><a href="#final-decision">Final decision</a></li>' in html
    assert '<h2 id="contents-title">Contents</h2>' in html


def test_repeated_or_reserved_headings_get_unique_anchors(client, db):
    make_decision(
        "20 000 001",
        sections=[
            {"heading": "Background", "paragraphs": ["One."]},
            {"heading": "Background", "paragraphs": ["Two."]},
            {"heading": "Summary title", "paragraphs": ["Three."]},
            {"heading": "", "paragraphs": ["Four."]},
        ],
    )
    html = get_html(client, "/decisions/20-000-001/")
    anchors = re.findall(r'<section class="statement-section" id="([^"]+)">', html)
    assert anchors == ["background", "background-2", "summary-title-2", "decision-statement"]


# --- citation -------------------------------------------------------------------------------


def test_the_citation_names_organisation_reference_date_and_permalink(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert (
        '<p class="cite__text" id="citation">Norfolk County Council (19 011 560), '
        "Local Government and Social Care Ombudsman, 31 March 2020, "
        "http://testserver/decisions/19-011-560/</p>"
    ) in html
    assert '<button type="button" class="button" data-copy="citation"' in html
    assert '<p class="cite__actions" data-copy-actions hidden>' in html  # shown by the script


def test_the_citation_of_an_undated_decision_says_so(client, db):
    make_decision("20 000 001")
    assert (
        "Decision 20 000 001 (organisation not named), Local Government and Social Care Ombudsman, "
        "date not recorded, http://testserver/decisions/20-000-001/"
    ) in get_html(client, "/decisions/20-000-001/")


# --- search highlights (a phrase's: tests/test_search.py, phrases) --------------------------


def test_search_words_are_marked_numbered_and_counted(client, sample_decisions):
    html = get_html(client, f"{NORFOLK}?q=distress+payment")
    ids = re.findall(r'<mark id="(match-\d+)" tabindex="-1">', html)
    assert ids == [f"match-{n}" for n in range(1, len(ids) + 1)]
    assert f"{len(ids)} matches for “distress payment”" in html
    assert 'significant <mark id="match-1" tabindex="-1">distress</mark>.' in html
    assert 'modest <mark id="match-2" tabindex="-1">payment</mark>' in html
    assert '<a href="/decisions/19-011-560/">Clear highlights</a>' in html


def test_a_reference_typed_with_the_words_is_not_marked(client, sample_decisions):
    words_only = get_html(client, f"{NORFOLK}?q=distress")
    html = get_html(client, f"{NORFOLK}?q=ref:+19/011/560+distress")
    assert "matches for “distress”" in html
    assert html.count("<mark ") == words_only.count("<mark ") > 0
    assert "<mark " not in get_html(client, f"{NORFOLK}?q=19.011.560")


def test_marks_reach_every_section_paragraph_and_stemmed_forms(client, db):
    make_decision(
        "20 000 001",
        summary="The Council delayed.",
        sections=[{"heading": "Final decision", "paragraphs": ["Delays, delaying; a delay."]}],
    )
    html = get_html(client, "/decisions/20-000-001/?q=delay")
    assert '<p>The Council <mark id="match-1" tabindex="-1">delayed</mark>.</p>' in html
    assert (
        '<p><mark id="match-2" tabindex="-1">Delays</mark>, '
        '<mark id="match-3" tabindex="-1">delaying</mark>; '
        'a <mark id="match-4" tabindex="-1">delay</mark>.</p>'
    ) in html
    assert "4 matches for “delay”" in html


def test_next_and_previous_links_step_through_matches_without_javascript(client, db):
    make_decision("20 000 001", summary="Delay, delay and delay.")
    html = get_html(client, "/decisions/20-000-001/?q=delay")
    assert '<a href="?q=delay&amp;match=1#match-1" rel="next"' in html
    assert '<a href="?q=delay&amp;match=3#match-3" rel="prev"' in html

    html = get_html(client, "/decisions/20-000-001/?q=delay&match=2")
    assert ": match 2 of 3" in html
    assert '<a href="?q=delay&amp;match=3#match-3" rel="next"' in html
    assert '<a href="?q=delay&amp;match=1#match-1" rel="prev"' in html

    html = get_html(client, "/decisions/20-000-001/?q=delay&match=3")
    assert '<a href="?q=delay&amp;match=1#match-1" rel="next"' in html  # round to the first


def test_a_search_without_a_match_says_so_and_marks_nothing(client, sample_decisions):
    html = get_html(client, f"{NORFOLK}?q=parking")
    assert "No matches for “parking” in this decision." in html
    assert "<mark" not in html
    assert 'rel="next"' not in html


def test_highlighting_escapes_the_text_and_its_markers(client, db):
    make_decision(
        "20 000 001",
        summary="<script>alert('delay')</script> a delay \ue000not a mark\ue001",
        sections=[{"heading": "<i>Key</i> facts", "paragraphs": ["<b>delay</b>"]}],
    )
    html = get_html(client, "/decisions/20-000-001/?q=delay")
    assert "<script>alert" not in html
    # The word in the script's text is a word of the statement, marked as such, escaped.
    assert '&lt;script&gt;alert(&#x27;<mark id="match-1" tabindex="-1">delay</mark>' in html
    assert 'a <mark id="match-2" tabindex="-1">delay</mark> not a mark</p>' in html
    assert '<p>&lt;b&gt;<mark id="match-3" tabindex="-1">delay</mark>&lt;/b&gt;</p>' in html
    assert "<h2>&lt;i&gt;Key&lt;/i&gt; facts</h2>" in html


def test_decision_text_is_escaped_without_a_search(client, db):
    make_decision(
        "20 000 001",
        summary="<script>alert(1)</script>",
        sections=[{"heading": "Facts", "paragraphs": ["<img src=x onerror=alert(1)>"]}],
        legislation=["<script>law</script>"],
    )
    html = get_html(client, "/decisions/20-000-001/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;script&gt;law&lt;/script&gt;</li>" in html
    assert "<img" not in html


# --- the page as a whole --------------------------------------------------------------------


def test_the_page_links_its_stylesheets_and_script(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert '<link rel="stylesheet" href="/static/css/decision.css">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<link rel="canonical" href="http://testserver/decisions/19-011-560/">' in html
    assert '<script src="/static/js/decision.js" defer></script>' in html


def test_the_page_shows_similar_decisions(client, db):
    housing = Category.objects.create(name="Housing", slug="housing")
    allocations = Category.objects.create(name="Allocations", slug="allocations", parent=housing)
    make_decision("20 000 001", category=allocations, summary="Housing register banding delay.")
    make_decision("20 000 002", category=allocations, summary="Banding on the housing register.")
    html = get_html(client, "/decisions/20-000-001/")
    assert '<h2 id="similar-title">Similar decisions</h2>' in html
    assert (
        '<a href="/decisions/20-000-002/">Decision <span class="reference">20 000 002</span>'
        in html
    )


def test_the_number_of_queries_does_not_depend_on_the_decision_or_search(client, db):
    norfolk = Organisation.objects.create(name="Norfolk County Council", slug="norfolk")
    housing = Category.objects.create(name="Housing", slug="housing")
    allocations = Category.objects.create(name="Allocations", slug="allocations", parent=housing)
    for number in range(1, 8):
        make_decision(
            f"20 000 00{number}",
            organisation=norfolk,
            category=allocations,
            summary="Housing register banding delay " * number,
            sections=[{"heading": f"Part {n}", "paragraphs": ["delay"] * n} for n in range(number)],
            remedy_total=Decimal(number),
        )

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            get_html(client, url)
        return len(context.captured_queries)

    get_html(client, "/decisions/20-000-004/?q=delay")  # the archive's figures, cached once
    assert queries("/decisions/20-000-001/") == queries("/decisions/20-000-007/")
    # The first, a middle and the last result: highlights and the results around them.
    assert queries("/decisions/20-000-001/?q=delay") == queries("/decisions/20-000-007/?q=delay")
    assert queries("/decisions/20-000-004/?q=delay") == queries("/decisions/20-000-007/?q=delay")


def test_a_withdrawn_decision_is_gone(client, db):
    make_decision(
        "20 000 001", withdrawn_at=timezone.now(), withdrawal_reason="Published in error."
    )
    response = client.get("/decisions/20-000-001/?q=delay")
    assert response.status_code == 410


# --- back to the results, and the results either side ---------------------------------------

ROW_LINK_RE = re.compile(r'<h3 (?:id="[^"]+" )?class="decision__title">\s*<a href="([^"]+)"')
BACK_LINK_RE = re.compile(r'<a class="back-link" href="([^"]+)">Back to results</a>')


def row_links(client, url: str) -> list[str]:
    """The links of the list's rows at `url`, in the order shown."""
    return [unescape(href) for href in ROW_LINK_RE.findall(get_html(client, url))]


def neighbour_links(html: str) -> tuple[str | None, str | None]:
    def link(rel: str) -> str | None:
        found = re.search(rf'<li class="results-nav__\w+"><a href="([^"]+)" rel="{rel}">', html)
        return unescape(found.group(1)) if found else None

    return link("prev"), link("next")


def path_of(url: str) -> str:
    return url.split("?")[0]


def test_a_row_links_to_its_decision_with_the_whole_query_but_empty_values(
    client, sample_decisions
):
    links = row_links(client, "/?q=council&organisation=&outcome=upheld&sort=oldest&per_page=50")
    assert links
    assert all(
        link.endswith("/?q=council&outcome=upheld&sort=oldest&per_page=50") for link in links
    )
    # Without a search or filter the rows link to the plain page.
    assert all("?" not in link for link in row_links(client, "/"))


def test_back_to_results_returns_to_the_search_and_filters_it_came_from(client, sample_decisions):
    results = "/?q=council&date_from=2010-01-01&sort=oldest&per_page=20&page=2"
    link = row_links(client, results)[0]
    html = get_html(client, link)
    assert BACK_LINK_RE.search(html).group(1) == (
        "/?q=council&amp;date_from=2010-01-01&amp;sort=oldest&amp;per_page=20&amp;page=2"
        f"#result-{path_of(link).split('/')[2]}"
    )
    assert '<p class="breadcrumbs">' not in html


def test_back_to_results_ends_at_the_row_of_the_result_the_person_came_from(
    client, sample_decisions
):
    results = "/?q=council&sort=oldest"
    list_html = get_html(client, results)
    third = row_links(client, results)[2]
    slug = path_of(third).split("/")[2]
    # The row has the id the back link ends with, as has every row of the results.
    assert f'<h3 id="result-{slug}" class="decision__title">' in list_html
    assert list_html.count('<h3 id="result-') == len(row_links(client, results))
    back = unescape(BACK_LINK_RE.search(get_html(client, third)).group(1))
    assert back == f"{results}#result-{slug}"


def test_previous_and_next_are_the_neighbouring_rows_of_a_ranked_search(client, sample_decisions):
    rows = row_links(client, "/?q=council+payment&per_page=50")
    assert len(rows) > 3
    for index in (0, 1, len(rows) - 1):
        html = get_html(client, rows[index])
        previous, following = neighbour_links(html)
        assert previous == (rows[index - 1] if index else None)
        assert following == (rows[index + 1] if index + 1 < len(rows) else None)
        assert f"Result {index + 1} of {len(rows)}</p>" in html


def test_previous_and_next_follow_a_filter_in_date_order_across_pages(client, sample_decisions):
    total = Decision.objects.count()
    assert total > 23  # a second page of 20 (a last page of three or fewer is folded in)
    first_page = row_links(client, "/?sort=oldest")
    second_page = row_links(client, "/?sort=oldest&page=2")
    html = get_html(client, first_page[-1])  # the 20th, the last row of page 1
    previous, following = neighbour_links(html)
    assert previous == first_page[-2]
    assert following == second_page[0]  # carries page=2
    assert BACK_LINK_RE.search(html).group(1).split("#")[0] == "/?sort=oldest"
    html = get_html(client, following)
    assert BACK_LINK_RE.search(html).group(1).split("#")[0] == "/?sort=oldest&amp;page=2"
    assert neighbour_links(html)[0] == f"{path_of(first_page[-1])}?sort=oldest"
    assert f"Result 21 of {total}</p>" in html


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_previous_and_next_match_the_list_with_equal_and_missing_dates(client, db, sort):
    norfolk = Organisation.objects.create(name="Norfolk County Council", slug="norfolk")
    other = Organisation.objects.create(name="Other Council", slug="other")
    dates = [date(2020, 1, 1), date(2021, 6, 1), date(2021, 6, 1), None, date(2019, 3, 3), None]
    for number, decided in enumerate(dates, start=1):
        make_decision(f"20 000 00{number}", organisation=norfolk, decision_date=decided)
        make_decision(f"21 000 00{number}", organisation=other, decision_date=decided)
    rows = row_links(client, f"/?organisation=norfolk&sort={sort}")
    assert len(rows) == len(dates)
    for index, link in enumerate(rows):
        previous, following = neighbour_links(get_html(client, link))
        assert previous == (rows[index - 1] if index else None)
        assert following == (rows[index + 1] if index + 1 < len(rows) else None)


def test_a_decision_outside_the_search_links_back_but_not_on(client, sample_decisions):
    html = get_html(client, f"{NORFOLK}?outcome=not_upheld")
    assert BACK_LINK_RE.search(html).group(1) == "/?outcome=not_upheld"
    assert neighbour_links(html) == (None, None)
    assert "results-nav__position" not in html


def test_the_neighbours_do_not_carry_the_match_being_read(client, sample_decisions):
    link = row_links(client, "/?q=council")[1]
    previous, following = neighbour_links(get_html(client, f"{link}&match=2"))
    assert "match=" not in previous and "match=" not in following


def test_without_a_search_the_page_links_to_all_decisions_only(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert '<p class="breadcrumbs"><a href="/">All decisions</a></p>' in html
    assert "Back to results" not in html
    assert 'rel="next"' not in html


# --- print and copy link --------------------------------------------------------------------


def test_print_and_copy_link_are_offered_with_the_permalink_to_select(client, sample_decisions):
    html = get_html(client, NORFOLK)
    assert '<div class="page-actions" data-copy-actions hidden>' in html  # shown by the script
    assert (
        '<button type="button" class="button button--secondary" data-print>Print</button>' in html
    )
    assert 'data-copy="permalink" data-copy-label="Copy link"' in html
    assert (
        '<input type="text" id="permalink" class="cite__permalink" '
        'value="http://testserver/decisions/19-011-560/" readonly'
    ) in html
    assert '<label for="permalink">Link to this decision</label>' in html


# --- an incomplete copy ---------------------------------------------------------------------


def test_a_truncated_page_says_its_copy_is_incomplete_and_links_the_full_text(
    client, sample_decisions
):
    redbridge = Decision.objects.get(reference="24 012 973")  # the first ~2,000 characters
    assert redbridge.truncated
    html = get_html(client, redbridge.get_absolute_url())
    url = "https://www.lgo.org.uk/decisions/housing/allocations/24-012-973"
    assert (
        "<p>This copy of the statement is incomplete; the full text was published at "
        f'<a href="{url}">{url}</a>.</p>'
    ) in html
    assert "The stored copy of the statement ends here." in html
    # The complete statement says nothing of the kind.
    assert not Decision.objects.get(reference="19 011 560").truncated
    assert "This copy of the statement is incomplete" not in get_html(client, NORFOLK)


def test_an_incomplete_copy_without_a_source_address_says_where_it_was_published(client, db):
    make_decision("20 000 001", truncated=True)
    html = get_html(client, "/decisions/20-000-001/")
    assert (
        "the full text was published on the Ombudsman’s website, "
        '<a href="https://www.lgo.org.uk/decisions">www.lgo.org.uk/decisions</a>, '
        "under reference 20 000 001."
    ) in html


def test_the_list_tags_a_row_whose_copy_is_incomplete(client, sample_decisions):
    html = get_html(client, "/?sort=oldest&per_page=100")
    rows = html.split('<li class="decision">')[1:]
    tagged = {
        re.search(r"/decisions/([0-9a-z-]+)/", row).group(1)
        for row in rows
        if '<strong class="tag">Incomplete copy</strong>' in row
    }
    assert tagged == {d.slug for d in Decision.objects.filter(truncated=True)}
    assert "19-011-560" not in tagged and tagged


def test_the_complete_statement_imported_after_a_cut_copy_is_no_longer_incomplete(db):
    text = SEED_NORFOLK.read_text(encoding="utf-8")
    cut = text[: text.index("Key facts") + 200]  # a scraper's first characters
    run_import([SourceRecord("cut.txt", cut)])
    assert Decision.objects.get(reference="19 011 560").truncated
    run_import([SourceRecord("whole.txt", text)])
    assert not Decision.objects.get(reference="19 011 560").truncated


def test_the_migration_flags_the_decisions_already_imported_from_their_warnings(db):
    flag_truncated = import_module("decisions.migrations.0011_decision_truncated").flag_truncated
    cut = make_decision("20 000 001", parse_warnings=["no summary", "page appears truncated"])
    whole = make_decision("20 000 002", parse_warnings=["no summary"])
    flag_truncated(django_apps, None)
    cut.refresh_from_db()
    whole.refresh_from_db()
    assert (cut.truncated, whole.truncated) == (True, False)


# --- a decision that names no organisation --------------------------------------------------


def test_a_decision_without_an_organisation_reads_as_what_it_is(client, sample_decisions):
    html = get_html(client, "/decisions/16-003-210/")  # the 2016-2017 shape: the bare reference
    named = "Decision 16 003 210 (organisation not named)"
    assert f"<title>{named} – " in html
    assert (
        '<h1>Decision <span class="reference">16 003 210</span> (organisation not named)</h1>'
        in html
    )
    assert (
        f'id="citation">{named}, Local Government and Social Care Ombudsman, 20 July 2017,' in html
    )
    assert definitions(html, "dl.facts")["Organisation"] == "Not named in the statement"
    assert str(Decision.objects.get(reference="16 003 210")) == named
    rows = get_html(client, "/?category=adult-care-services&subcategory=charging")
    assert (
        '<a href="/decisions/16-003-210/?category=adult-care-services&amp;subcategory=charging">'
        'Decision <span class="reference">16 003 210</span> (organisation not named)</a>'
    ) in rows
    assert "Unknown organisation" not in html + rows


# --- legislation ----------------------------------------------------------------------------


def test_the_legislation_lists_each_act_once_with_its_sections(client, db):
    make_decision(
        "20 000 001",
        legislation=[
            "Local Government Act 1974",
            "Local Government Act 1974, section 34D",
            "Care Act 2014",
            "Local Government Act 1974, section 26B",
            "Care Act 2014, section 9",
            "Local Government Act 1974, Schedule 5",
            "Equality Act 2010",
        ],
    )
    html = get_html(client, "/decisions/20-000-001/")
    assert (
        "<dt>Legislation cited</dt><dd><ul>"
        "<li>Local Government Act 1974, sections 26B and 34D, Schedule 5</li>"
        "<li>Care Act 2014, section 9</li>"
        "<li>Equality Act 2010</li></ul></dd>"
    ) in html


def test_sections_are_in_number_order():
    assert legislation_by_act(
        [f"Local Government Act 1974, section {n}" for n in ("34H", "26A", "9", "26", "24A")]
    ) == ["Local Government Act 1974, sections 9, 24A, 26, 26A and 34H"]


# --- paragraph numbers and lists ------------------------------------------------------------


def test_paragraphs_have_their_published_numbers_and_an_anchor_each(client, sample_decisions):
    html = get_html(client, NORFOLK)
    # The statement numbers its 20 paragraphs through its sections (the page text
    # restarts at "1." in each); each number is shown, anchored once.
    assert re.findall(r'<div class="para" id="p(\d+)">', html) == [str(n) for n in range(1, 21)]
    assert re.findall(r'<span class="para__number">(\d+)\.</span>', html) == [
        str(n) for n in range(1, 21)
    ]
    assert (
        '<a class="para__link" href="#p12" aria-label="Link to paragraph 12" '
        'data-paragraph="12">¶</a>'
    ) in html
    paragraph = re.search(r'<div class="para" id="p11">.*?</div>\s*</div>', html, re.S).group()
    assert "<p>Mrs X requested compensation. The Council agreed to pay £50" in paragraph
    final = re.search(r'id="final-decision">.*?</section>', html, re.S).group()
    assert 'id="p20"' in final and "I have completed my investigation" in final


def test_a_bulleted_list_stays_a_list_inside_its_paragraph(client, sample_decisions):
    html = get_html(client, NORFOLK)
    paragraph = re.search(r'<div class="para" id="p5">.*?</div>\s*</div>', html, re.S).group()
    assert "<p>As part of my investigation I have:</p>" in paragraph
    assert (
        '<ul class="statement-list"><li>considered the complaint and documents provided by '
        "Mrs X;</li><li>spoken to Mrs X; and</li><li>sent a draft version"
    ) in paragraph


def test_a_paragraphs_numbered_list_is_an_ordered_list_and_stored_text_without_numbers_is_plain(
    client, db
):
    make_decision(
        "20 000 001",
        sections=[
            {
                "heading": "The complaint",
                "paragraphs": ["She says the Council failed to:", "assess her;", "reply.", "Two."],
                "markers": ["1", "#", "#", "2"],
            },
            # Stored before the parser kept the numbers: plain paragraphs.
            {"heading": "Final decision", "paragraphs": ["Three."]},
        ],
    )
    html = get_html(client, "/decisions/20-000-001/")
    assert '<ol class="statement-list"><li>assess her;</li><li>reply.</li></ol>' in html
    assert re.findall(r'<div class="para" id="p(\d+)">', html) == ["1", "2"]
    assert re.search(r'id="final-decision">\s*<h2>Final decision</h2>\s*<p>Three.</p>', html)


def test_search_words_are_marked_inside_numbered_paragraphs(client, sample_decisions):
    html = get_html(client, f"{NORFOLK}?q=distress")
    paragraph = re.search(r'<div class="para" id="p11">.*?</div>\s*</div>', html, re.S).group()
    assert re.search(r'the <mark id="match-\d+" tabindex="-1">distress</mark> caused', paragraph)
    ids = re.findall(r'<mark id="match-(\d+)"', html)
    assert ids == [str(n) for n in range(1, len(ids) + 1)]  # in reading order


# --- its address: other forms redirect, the unknown are a 404 -------------------------------


@pytest.mark.parametrize("other_form", ["19011560", "19%20011%20560", "19-011560"])
def test_other_forms_of_the_reference_redirect_to_the_canonical_url(
    client, sample_decisions, other_form
):
    response = client.get(f"/decisions/{other_form}/")
    assert response.status_code == 301
    assert response["Location"] == "/decisions/19-011-560/"


def test_a_joint_decision_suffix_redirects_to_lower_case(client, db):
    make_decision("17 002 402b")
    response = client.get("/decisions/17-002-402B/")
    assert (response.status_code, response["Location"]) == (301, "/decisions/17-002-402b/")


@pytest.mark.parametrize("reference", ["99-999-999", "not-a-reference", "19-011-5600"])
def test_an_unknown_or_malformed_reference_gives_a_friendly_404(
    client, sample_decisions, reference
):
    response = client.get(f"/decisions/{reference}/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@pytest.mark.parametrize("other_form", ["19011560", "19-011560"])
def test_a_redirect_to_the_canonical_url_keeps_the_search(client, sample_decisions, other_form):
    response = client.get(f"/decisions/{other_form}/?q=distress+payment")
    assert response.status_code == 301
    assert response["Location"] == "/decisions/19-011-560/?q=distress+payment"

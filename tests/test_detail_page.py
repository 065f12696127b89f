"""One decision's page: facts, remedies, sections and contents, citation, search highlights.

Assertions are on short fragments of HTML, never on whole pages.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions.models import Category, Organisation
from tests.helpers import make_decision, page

NORFOLK = "/decisions/19-011-560/"


# --- facts ----------------------------------------------------------------------------------


def test_the_facts_link_the_organisation_and_show_category_outcome_date_and_law(
    client, sample_decisions
):
    html = page(client, NORFOLK)
    assert (
        '<dd><a href="/organisations/norfolk-county-council/">Norfolk County Council</a></dd>'
        in html
    )
    assert "<dt>Reference</dt><dd>19 011 560</dd>" in html
    assert 'Children&#x27;s care services <span aria-hidden="true">›</span>' in html
    assert "Child protection" in html
    assert '<time datetime="2020-03-31">31 March 2020</time>' in html
    assert "<li>Local Government Act 1974, section 26A</li>" in html


def test_the_facts_say_what_is_not_recorded_and_how_the_outcome_was_read(client, db):
    make_decision("20 000 001", outcome="upheld", outcome_wording="Upheld: fault and injustice")
    make_decision(
        "20 000 002", outcome="not_upheld", outcome_inferred=True, other_bodies=["Ofsted"]
    )
    assert "(as published: “Upheld: fault and injustice”)" in page(client, "/decisions/20-000-001/")
    html = page(client, "/decisions/20-000-002/")
    assert "(inferred: the statement has no outcome line" in html
    assert "<dt>Decision date</dt><dd>Not recorded</dd>" in html
    assert "<dd>Unknown organisation</dd>" in html
    assert "<dt>Other bodies</dt><dd><ul><li>Ofsted</li></ul></dd>" in html


# --- remedies -------------------------------------------------------------------------------


def test_the_remedies_list_each_payment_with_its_purpose_and_the_total(client, sample_decisions):
    html = page(client, NORFOLK)
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
    html = page(client, "/decisions/20-000-001/")
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
    assert 'id="remedies-title"' not in page(client, "/decisions/20-000-001/")


# --- sections -------------------------------------------------------------------------------


def test_each_section_has_an_anchor_from_its_heading_and_a_contents_link(client, sample_decisions):
    html = page(client, NORFOLK)
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
    html = page(client, "/decisions/20-000-001/")
    anchors = re.findall(r'<section class="statement-section" id="([^"]+)">', html)
    assert anchors == ["background", "background-2", "summary-title-2", "decision-statement"]


# --- citation -------------------------------------------------------------------------------


def test_the_citation_names_organisation_reference_date_and_permalink(client, sample_decisions):
    html = page(client, NORFOLK)
    assert (
        '<p class="cite__text" id="citation">Norfolk County Council (19 011 560), '
        "Local Government and Social Care Ombudsman, 31 March 2020, "
        "http://testserver/decisions/19-011-560/</p>"
    ) in html
    assert (
        '<button type="button" class="button" data-copy="citation">Copy citation</button>' in html
    )
    assert '<p class="cite__actions" hidden>' in html  # shown by the script only


def test_the_citation_of_an_undated_decision_says_so(client, db):
    make_decision("20 000 001")
    assert (
        "Unknown organisation (20 000 001), Local Government and Social Care Ombudsman, "
        "date not recorded, http://testserver/decisions/20-000-001/"
    ) in page(client, "/decisions/20-000-001/")


# --- search highlights ----------------------------------------------------------------------


def test_search_words_are_marked_numbered_and_counted(client, sample_decisions):
    html = page(client, f"{NORFOLK}?q=distress+payment")
    ids = re.findall(r'<mark id="(match-\d+)" tabindex="-1">', html)
    assert ids == [f"match-{n}" for n in range(1, len(ids) + 1)]
    assert f"{len(ids)} matches for “distress payment”" in html
    assert 'significant <mark id="match-1" tabindex="-1">distress</mark>.' in html
    assert 'modest <mark id="match-2" tabindex="-1">payment</mark>' in html
    assert '<a href="/decisions/19-011-560/">Clear highlights</a>' in html


def test_marks_reach_every_section_paragraph_and_stemmed_forms(client, db):
    make_decision(
        "20 000 001",
        summary="The Council delayed.",
        sections=[{"heading": "Final decision", "paragraphs": ["Delays, delaying; a delay."]}],
    )
    html = page(client, "/decisions/20-000-001/?q=delay")
    assert '<p>The Council <mark id="match-1" tabindex="-1">delayed</mark>.</p>' in html
    assert (
        '<p><mark id="match-2" tabindex="-1">Delays</mark>, '
        '<mark id="match-3" tabindex="-1">delaying</mark>; '
        'a <mark id="match-4" tabindex="-1">delay</mark>.</p>'
    ) in html
    assert "4 matches for “delay”" in html


def test_the_words_of_a_phrase_make_one_match(client, db):
    make_decision("20 000 001", summary="He applied for a blue badge.")
    html = page(client, '/decisions/20-000-001/?q="blue+badge"')
    assert '<mark id="match-1" tabindex="-1">blue badge</mark>' in html
    assert "1 match for “&quot;blue badge&quot;”" in html


def test_next_and_previous_links_step_through_matches_without_javascript(client, db):
    make_decision("20 000 001", summary="Delay, delay and delay.")
    html = page(client, "/decisions/20-000-001/?q=delay")
    assert '<a href="?q=delay&amp;match=1#match-1" rel="next"' in html
    assert '<a href="?q=delay&amp;match=3#match-3" rel="prev"' in html

    html = page(client, "/decisions/20-000-001/?q=delay&match=2")
    assert ": match 2 of 3" in html
    assert '<a href="?q=delay&amp;match=3#match-3" rel="next"' in html
    assert '<a href="?q=delay&amp;match=1#match-1" rel="prev"' in html

    html = page(client, "/decisions/20-000-001/?q=delay&match=3")
    assert '<a href="?q=delay&amp;match=1#match-1" rel="next"' in html  # round to the first


def test_a_search_without_a_match_says_so_and_marks_nothing(client, sample_decisions):
    html = page(client, f"{NORFOLK}?q=parking")
    assert "No matches for “parking” in this decision." in html
    assert "<mark" not in html
    assert 'rel="next"' not in html


def test_highlighting_escapes_the_text_and_its_markers(client, db):
    make_decision(
        "20 000 001",
        summary="<script>alert('delay')</script> a delay \ue000not a mark\ue001",
        sections=[{"heading": "<i>Key</i> facts", "paragraphs": ["<b>delay</b>"]}],
    )
    html = page(client, "/decisions/20-000-001/?q=delay")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;" in html
    assert 'a <mark id="match-1" tabindex="-1">delay</mark> not a mark</p>' in html
    assert '<p>&lt;b&gt;<mark id="match-2" tabindex="-1">delay</mark>&lt;/b&gt;</p>' in html
    assert "<h2>&lt;i&gt;Key&lt;/i&gt; facts</h2>" in html


def test_decision_text_is_escaped_without_a_search(client, db):
    make_decision(
        "20 000 001",
        summary="<script>alert(1)</script>",
        sections=[{"heading": "Facts", "paragraphs": ["<img src=x onerror=alert(1)>"]}],
        legislation=["<script>law</script>"],
    )
    html = page(client, "/decisions/20-000-001/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;script&gt;law&lt;/script&gt;</li>" in html
    assert "<img" not in html


@pytest.mark.parametrize("other_form", ["19011560", "19-011560"])
def test_a_redirect_to_the_canonical_url_keeps_the_search(client, sample_decisions, other_form):
    response = client.get(f"/decisions/{other_form}/?q=distress+payment")
    assert response.status_code == 301
    assert response["Location"] == "/decisions/19-011-560/?q=distress+payment"


# --- the page as a whole --------------------------------------------------------------------


def test_the_page_links_its_stylesheets_and_script(client, sample_decisions):
    html = page(client, NORFOLK)
    assert '<link rel="stylesheet" href="/static/css/decision.css">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<link rel="canonical" href="http://testserver/decisions/19-011-560/">' in html
    assert '<script src="/static/js/decision.js" defer></script>' in html


def test_the_page_shows_similar_decisions(client, db):
    housing = Category.objects.create(name="Housing", slug="housing")
    allocations = Category.objects.create(name="Allocations", slug="allocations", parent=housing)
    make_decision("20 000 001", category=allocations, summary="Housing register banding delay.")
    make_decision("20 000 002", category=allocations, summary="Banding on the housing register.")
    html = page(client, "/decisions/20-000-001/")
    assert '<h2 id="similar-title">Similar decisions</h2>' in html
    assert '<a href="/decisions/20-000-002/">Unknown organisation' in html


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
            page(client, url)
        return len(context.captured_queries)

    assert queries("/decisions/20-000-001/") == queries("/decisions/20-000-007/")
    assert queries("/decisions/20-000-001/?q=delay") == queries("/decisions/20-000-007/?q=delay")
    assert queries("/decisions/20-000-007/?q=delay") == queries("/decisions/20-000-007/") + 1


def test_a_withdrawn_decision_is_gone(client, db):
    make_decision(
        "20 000 001", withdrawn_at=timezone.now(), withdrawal_reason="Published in error."
    )
    response = client.get("/decisions/20-000-001/?q=delay")
    assert response.status_code == 410

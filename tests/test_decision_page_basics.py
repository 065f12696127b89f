"""One decision's page at its simplest: summary, sections, remedies, links, escaping, and
the redirects and 404s of its address."""

from __future__ import annotations

import pytest

from tests.helpers import get_html, make_decision

# --- one decision ---------------------------------------------------------------------------


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

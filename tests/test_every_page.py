"""What every public page has: landmarks, a skip link, the attribution, a title that
says where you are; an empty archive and the error page."""

from __future__ import annotations

from django.template.loader import render_to_string

from tests.support.helpers import get_html

# --- every page -----------------------------------------------------------------------------


def test_pages_have_landmarks_a_skip_link_and_the_attribution(client, sample_decisions):
    for url in ("/", "/decisions/19-011-560/"):
        html = get_html(client, url)
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html and "<header" in html and "<footer" in html
        assert (
            "Decision statements © Local Government and Social Care Ombudsman, "
            "re-used under its terms." in html
        )


def test_page_titles_say_where_you_are(client, sample_decisions):
    assert "<title>All decisions – " in get_html(client, "/")
    assert "<title>Filtered decisions – " in get_html(client, "/?outcome=upheld")
    assert "<title>19 011 560: Norfolk County Council – " in get_html(
        client, "/decisions/19-011-560/"
    )


def test_an_empty_archive_says_so(client, db):
    assert "the archive is empty" in get_html(client, "/")


def test_the_error_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "<h1>Something went wrong</h1>" in html
    assert "re-used under its terms" in html

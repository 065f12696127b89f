"""The Atom feed of any search (/feed.atom?<the list page's parameters>), read with a
real feed parser."""

from __future__ import annotations

import feedparser
import pytest
from django.test import override_settings

from decisions.models import Decision
from tests.support.helpers import get_html


def parsed_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def links(feed) -> dict[str, str]:
    return {link.rel: link.href for link in feed.feed.links}


def test_the_feed_honours_the_filters_newest_first(client, sample_decisions):
    feed = parsed_feed(client, "/feed.atom?outcome=upheld&category=housing")
    expected = Decision.objects.filter(outcome="upheld", category__parent__slug="housing")
    assert len(feed.entries) == expected.count() >= 2
    references = [entry.title.rsplit("(", 1)[1].rstrip(")") for entry in feed.entries]
    assert references == list(expected.newest_first().values_list("reference", flat=True))
    for entry in feed.entries:
        terms = {tag.term for tag in entry.tags}
        assert {"Housing", "Upheld"} <= terms


def test_an_entry_has_its_title_link_dates_summary_and_content_hash(client, sample_decisions):
    feed = parsed_feed(client, "/feed.atom?organisation=norfolk-county-council")
    entry = next(e for e in feed.entries if e.title == "Norfolk County Council (19 011 560)")
    decision = Decision.objects.get(reference="19 011 560")
    assert entry.link == "http://testserver/decisions/19-011-560/"
    assert entry.id == entry.link  # an entry's id never changes; its hash and date do
    assert entry.published.startswith("2020-03-31")
    assert entry.updated_parsed[:6] == decision.updated_at.utctimetuple()[:6]
    assert entry.summary.startswith("Mrs X complained about the Council’s failure")
    assert {tag.term for tag in entry.tags} == {
        "Children's care services",
        "Child protection",
        "Upheld",
    }
    assert entry.archive_contenthash == decision.content_hash


def test_an_unnamed_organisation_is_said_in_the_title(client, sample_decisions):
    with override_settings(FEED_ENTRIES=100):
        feed = parsed_feed(client, "/feed.atom")
    entry = next(e for e in feed.entries if e.link.endswith("/decisions/16-003-210/"))
    assert entry.title == "Decision 16 003 210 (organisation not named)"


def test_the_feed_carries_the_ombudsmans_terms(client, sample_decisions):
    feed = parsed_feed(client, "/feed.atom")
    assert feed.feed.rights.startswith(
        "Decision statements © Local Government and Social Care Ombudsman, re-used under its terms."
    )


def test_the_feed_is_newest_first_whatever_the_page_was_sorted_by(client, sample_decisions):
    oldest = parsed_feed(client, "/feed.atom?outcome=not_upheld&sort=oldest")
    newest = parsed_feed(client, "/feed.atom?outcome=not_upheld")
    assert [e.id for e in oldest.entries] == [e.id for e in newest.entries]
    dates = [e.published for e in newest.entries if "published" in e]
    assert dates == sorted(dates, reverse=True)


@override_settings(FEED_ENTRIES=20)
def test_the_feed_pages_back_with_first_next_and_previous_links(client, sample_decisions):
    first = parsed_feed(client, "/feed.atom")
    assert len(first.entries) == 20
    assert links(first)["next"] == "http://testserver/feed.atom?sort=newest&page=2"
    assert "previous" not in links(first)
    second = parsed_feed(client, "/feed.atom?page=2")
    assert links(second)["previous"] == "http://testserver/feed.atom?sort=newest"
    assert links(second)["first"] == "http://testserver/feed.atom?sort=newest"
    third = parsed_feed(client, "/feed.atom?page=3")
    assert len(third.entries) == 16 and "next" not in links(third)
    ids = [e.id for feed in (first, second, third) for e in feed.entries]
    assert len(set(ids)) == 56
    expected = Decision.objects.newest_first().values_list("reference", flat=True)
    assert [i.rsplit("/", 2)[1] for i in ids] == [r.replace(" ", "-") for r in expected]


@pytest.mark.parametrize("number", ["0", "-1", "two", "4", "99999999"])
def test_a_bad_page_number_is_a_404(client, sample_decisions, number):
    with override_settings(FEED_ENTRIES=20):
        assert client.get(f"/feed.atom?page={number}").status_code == 404


def test_an_invalid_search_has_no_feed(client, sample_decisions):
    assert client.get("/feed.atom?outcome=sideways").status_code == 404


def test_a_search_with_no_results_still_has_a_feed_to_follow(client, sample_decisions):
    feed = parsed_feed(client, "/feed.atom?q=zzzzqqqq")
    assert feed.entries == []
    html = get_html(client, "/?q=zzzzqqqq")
    # "Follow this search" opens the page offering email alerts and the feed (issue 26).
    assert 'href="/follow/?q=zzzzqqqq">Follow this search</a>' in html
    assert 'value="http://testserver/feed.atom?q=zzzzqqqq"' in get_html(
        client, "/follow/?q=zzzzqqqq"
    )


def test_withdrawn_decisions_are_not_in_the_feed(client, sample_decisions):
    Decision.objects.filter(reference="19 011 560").update(
        withdrawn_at="2026-01-01T00:00Z", withdrawal_reason="Personal data"
    )
    feed = parsed_feed(client, "/feed.atom?organisation=norfolk-county-council")
    assert "http://testserver/decisions/19-011-560/" not in {e.link for e in feed.entries}


def test_every_list_page_announces_its_feed_and_explains_it(client, sample_decisions):
    html = get_html(client, "/?outcome=upheld&page=2&sort=oldest")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Atom feed of this search" '
        'href="/feed.atom?outcome=upheld">'
    ) in html
    assert '<a href="/follow/?outcome=upheld">Follow this search</a>' in html
    follow = get_html(client, "/follow/?outcome=upheld")
    assert "A feed is a web address that a feed reader" in follow
    assert 'value="http://testserver/feed.atom?outcome=upheld"' in follow

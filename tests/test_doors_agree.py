"""The doors out agree: for the same search, sorted newest first, the list page, the
JSON API, the CSV and JSON lines downloads and the Atom feed hold the same decisions in
the same order, since every one reads through the one DecisionSearch."""

from __future__ import annotations

import csv
import io
import json
import re

import feedparser
import pytest
from django.test import override_settings

SEARCHES = [
    "",
    "outcome=upheld",
    "category=housing",
    "q=assessment",
    "q=council+-parking&outcome=closed_after_initial_enquiries",
    "organisation=norfolk-county-council",
    "has_remedy=true&amount=200",
    "date_from=2020-01-01&date_to=2024-12-31",
    "category=adult-care-services&outcome=upheld",
    "q=zzzzqqqq",
]


def slug(reference: str) -> str:
    return reference.replace(" ", "-")


def from_the_page(client, query: str) -> list[str]:
    html = client.get(f"/?{query}&per_page=100").content.decode()
    rows = re.search(r'<ol class="decision-list">(.*?)</ol>', html, re.S)
    found = re.findall(r'href="/decisions/([0-9-]+)/', rows.group(1)) if rows else []
    return list(dict.fromkeys(found))


def from_the_csv(client, query: str) -> list[str]:
    text = b"".join(client.get(f"/download.csv?{query}").streaming_content).decode()
    return [slug(row["reference"]) for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]


def from_the_json_lines(client, query: str) -> list[str]:
    text = b"".join(client.get(f"/download.jsonl?{query}").streaming_content).decode()
    return [slug(json.loads(line)["reference"]) for line in text.splitlines()]


def from_the_feed(client, query: str) -> list[str]:
    feed = feedparser.parse(client.get(f"/feed.atom?{query}").content)
    return [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in feed.entries]


def from_the_api(client, query: str) -> list[str]:
    """Every page of /api/v1/decisions/, following pagination.next (a cursor in date
    order, a page number in relevance order)."""
    found, url = [], f"/api/v1/decisions/?{query}&per_page=20"
    while url:
        body = client.get(url).json()
        found += [slug(result["reference"]) for result in body["results"]]
        url = body["pagination"]["next"]
    return found


@override_settings(FEED_ENTRIES=100, DOWNLOAD_RATE_LIMIT=1000)
@pytest.mark.parametrize("search", SEARCHES)
def test_every_door_finds_the_same_decisions_in_the_same_order(client, sample_decisions, search):
    query = f"{search}&sort=newest" if search else "sort=newest"
    on_the_page = from_the_page(client, query)
    assert from_the_csv(client, query) == on_the_page
    assert from_the_json_lines(client, query) == on_the_page
    assert from_the_feed(client, query) == on_the_page
    assert from_the_api(client, query) == on_the_page


def test_the_searches_compared_are_not_all_alike(client, sample_decisions):
    """The agreement above means something only if the searches find different things."""
    found = {search: tuple(from_the_page(client, f"{search}&sort=newest")) for search in SEARCHES}
    assert len(set(found.values())) == len(SEARCHES)
    assert found["q=zzzzqqqq"] == ()
    assert len(found[""]) == 56


@override_settings(DOWNLOAD_RATE_LIMIT=1000)
def test_the_doors_agree_in_relevance_order_with_tied_scores_across_segments(client, db, settings):
    """Forty decisions with the same text score the same: the tie is broken by the list's
    order on every door, written in several commits of the index (several segments) and
    after a rebuild into one, which changes where each document lies."""
    import datetime

    from decisions.search import syncing
    from tests.support.helpers import make_decision

    for batch in range(4):
        for n in range(10):
            make_decision(
                f"2{batch} 000 {n:03}",
                summary="The council delayed the home adaptation.",
                decision_date=datetime.date(2024, 1 + n % 3, 1),
            )
        syncing.catch_up()  # a commit, and a segment, a batch
    query = "q=home+adaptation&sort=relevance"
    before = from_the_page(client, query)
    assert len(before) == 40
    newest = from_the_page(client, "q=home+adaptation&sort=newest")
    assert before == newest  # equal scores: the list's own order
    assert from_the_csv(client, query) == before
    assert from_the_json_lines(client, query) == before
    assert from_the_api(client, query) == before
    syncing.rebuild()  # one segment now: the documents lie elsewhere
    settings.SEARCH_INDEX_CATCH_UP_ON_READ = False
    assert from_the_page(client, query) == before
    assert from_the_api(client, query) == before
    assert from_the_csv(client, query) == before

"""Characters that look like something else: digits that are not ASCII in a page
number, and control characters XML 1.0 cannot carry, in a feed's search or a decision."""

from __future__ import annotations

import re

import feedparser
import pytest

from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord
from decisions.models import Decision, Organisation
from tests.conftest import FIXTURES
from tests.support.helpers import get_html, make_decision

SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # 19 011 560, Norfolk

# Superscript two: str.isdigit() says yes, int() says no.
SUPERSCRIPT_TWO = "%C2%B2"


@pytest.mark.parametrize("name", ["page", "per_page"])
def test_the_list_page_says_a_superscript_digit_is_not_a_number(client, sample_decisions, name):
    html = get_html(client, f"/?{name}={SUPERSCRIPT_TWO}")
    assert "showing" in html
    assert "Showing 1–" in html


def test_the_list_page_says_which_page_number_it_did_not_understand(client, sample_decisions):
    assert "“²” is not a page number: showing page 1." in get_html(
        client, f"/?page={SUPERSCRIPT_TWO}"
    )


def test_a_page_number_of_thousands_of_digits_is_not_a_number_either(client, sample_decisions):
    # int() refuses more than 4,300 digits (sys.set_int_max_str_digits).
    assert "is not a page number: showing page 1." in get_html(client, "/?page=" + "9" * 5000)


@pytest.mark.parametrize("name", ["page", "per_page"])
def test_the_api_answers_400_for_a_superscript_digit(client, sample_decisions, name):
    query = f"q=council&sort=relevance&{name}={SUPERSCRIPT_TWO}"
    response = client.get(f"/api/v1/decisions/?{query}")
    assert response.status_code == 400
    assert name in response.json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/statistics/?page={d}",
        "/statistics/?per_page={d}",
        "/statistics/download.csv?page={d}&table=years",
        "/download.csv?page={d}",
        "/download.jsonl?per_page={d}",
        "/decisions/19-011-560/?q=council&page={d}",
        "/decisions/19-011-560/?q=council&per_page={d}&match={d}",
        "/organisations/norfolk-county-council/?page={d}",
    ],
)
def test_every_door_answers_a_superscript_digit(client, sample_decisions, url):
    response = client.get(url.format(d=SUPERSCRIPT_TWO))
    assert response.status_code == 200


def test_the_feed_answers_404_for_a_superscript_page_and_200_for_per_page(client, sample_decisions):
    assert client.get(f"/feed.atom?page={SUPERSCRIPT_TWO}").status_code == 404
    assert client.get(f"/feed.atom?per_page={SUPERSCRIPT_TWO}").status_code == 200


def test_a_feed_of_a_search_with_a_control_character_is_well_formed(client, sample_decisions):
    response = client.get("/feed.atom?q=council%01")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert "council" in feed.feed.title and "\x01" not in feed.feed.title


def test_a_feed_holding_a_decision_stored_with_control_characters_is_well_formed(client, db):
    # As a decision imported before the import removed them is stored.
    make_decision(
        "24-000-001",
        organisation=Organisation.objects.create(name="Bell\x07 Council", slug="bell"),
        summary="The council\x01 delayed\x1fa\ufffe review.",
    )
    response = client.get("/feed.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "Bell Council (24-000-001)"
    assert "The council delayed a review." in entry.summary


def test_the_import_removes_control_characters_and_keeps_the_words_apart(client, db):
    text = SEED_UPHELD.read_text(encoding="utf-8")
    text = text.replace("Norfolk County Council", "Norfolk\x01 County\x0bCouncil")
    run = run_import([SourceRecord("controls.txt", text)])
    assert (run.created, run.failed) == (1, 0)
    decision = Decision.objects.get()
    assert decision.organisation.name == "Norfolk County Council"
    assert not re.search("[\x01-\x08\x0b\x0c\x0e-\x1f]", decision.body_text + decision.summary)
    assert not any("character" in w for w in decision.parse_warnings)  # nothing was lost
    feed = feedparser.parse(client.get("/feed.atom").content)
    assert not feed.bozo and feed.entries[0].title.startswith("Norfolk County Council")


def test_the_harvester_reads_a_superscript_retry_after_as_no_delay_given():
    from decisions.harvesting.client import retry_after

    assert retry_after("²") is None
    assert retry_after("2") == 2.0


def test_a_database_url_with_a_superscript_port_is_refused_with_a_reason():
    from config.database_url import BadDatabaseURL, database_from_url

    with pytest.raises(BadDatabaseURL, match="invalid port"):
        database_from_url("postgres://u@localhost:%C2%B2/archive")

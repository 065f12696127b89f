"""The search box understands what caseworkers type: case references, organisation names
(spelt right or not), phrases and long Boolean queries. On the bundled real decisions,
through the list page and the one search object."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from decisions.models import Decision, Organisation
from decisions.search.query import DecisionSearch
from tests.support.helpers import make_decision, results_heading, searched


def list_page_html(client, query: str) -> str:
    """The list page of the search `query` (the parameters as in its address)."""
    response = client.get("/", QueryDict(query))
    assert response.status_code == 200
    return response.content.decode()


def rows_shown(html: str) -> list[str]:
    """The references of the decisions listed as results (not the leads above them)."""
    results = html.split('class="decision-list">')[-1]
    return [
        slug.replace("-", " ")
        for slug in re.findall(
            r'class="decision__title">\s*<a href="/decisions/([0-9a-z-]+)/', results
        )
    ]


# --- case references ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "19 011 560",
        "19-011-560",
        "19011560",
        " 19 011 560 ",
        "19/011/560",
        "19.011.560",
        "ref: 19 011 560",
        "Our ref: 19/011/560",
        "reference 19.011.560",
        '"19 011 560"',
    ],
)
def test_a_reference_alone_goes_straight_to_its_decision(client, sample_decisions, typed):
    response = client.get("/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/decisions/19-011-560/"


def test_a_joint_decision_reference_goes_to_that_decision(client, db):
    make_decision("17 002 402", summary="The first of a joint decision.")
    make_decision("17 002 402b", summary="The second of a joint decision.")
    response = client.get("/", {"q": "17 002 402b"})
    assert response["Location"] == "/decisions/17-002-402b/"


def test_a_reference_among_other_words_leads_the_word_matches(client, sample_decisions):
    html = list_page_html(client, "q=19+011+560+school+transport")
    lead = re.search(r'<div class="search-lead">.*?</div>', html, re.S)
    assert lead and "Decision with the reference you typed" in lead.group(0)
    assert "/decisions/19-011-560/" in lead.group(0)
    # The results are what the words match, counted as the API and feeds count them.
    expected = len(searched("school transport"))
    assert expected
    assert f"{expected} decision" in results_heading(html)
    assert len(rows_shown(html)) == min(expected, 20)


def test_an_unknown_reference_says_nothing_was_found(client, sample_decisions):
    html = list_page_html(client, "q=19+011+561")
    assert "No decisions found" in results_heading(html)


def test_the_search_object_finds_a_reference_as_its_only_match(sample_decisions):
    search = DecisionSearch.from_params(QueryDict("q=19011560"))
    assert search.total.value == 1 and search.total.exact
    assert search.the_one_referenced().reference == "19 011 560"
    assert [d.reference for d in search.window(0, 10)] == ["19 011 560"]


# --- organisation names ---------------------------------------------------------------------


def published_about(name: str) -> int:
    return Decision.objects.published().filter(organisation__name=name).count()


def test_a_name_in_the_search_box_offers_that_organisations_decisions(client, sample_decisions):
    html = list_page_html(client, "q=leicester+OR+care")
    count = published_about("Leicester City Council")
    assert count
    link = re.search(r'<a href="\?([^"]*)">Decisions about Leicester City Council \((\d+)\)', html)
    assert link, html
    assert int(link.group(2)) == count
    assert link.group(1) == "organisation=leicester-city-council"
    # The results stay the word matches.
    expected = len(searched("leicester OR care"))
    assert expected > count
    assert f"of {expected} decisions" in results_heading(html)


@pytest.mark.parametrize("typed", ["Leicster", "Lester", "leicester", "Leicester City Council"])
def test_a_misspelt_name_is_understood_as_norfok_is(client, sample_decisions, typed):
    html = list_page_html(client, f"q={typed}")
    assert "Leicester City Council" in html
    norfok = list_page_html(client, "q=Norfok")
    assert "Norfolk County Council" in norfok


def test_words_that_match_nothing_but_a_name_show_that_organisations_decisions(
    client, sample_decisions
):
    assert not searched("leicster")
    html = list_page_html(client, "q=Leicster")
    assert (
        "No decisions contain “Leicster”: showing the decisions about Leicester City Council"
        in (html)
    )
    shown = rows_shown(html)
    expected = Decision.objects.published().filter(organisation__name="Leicester City Council")
    assert sorted(shown) == sorted(d.reference for d in expected)


def test_a_name_with_other_words_searches_that_organisations_decisions_for_them(
    client, sample_decisions
):
    organisation = Organisation.objects.get(name="Norfolk County Council")
    words = "assessment"
    expected = searched(words, organisation=organisation.slug)
    assert expected
    assert not searched(f"norfok {words}")
    html = list_page_html(client, f"q=norfok+{words}")
    assert "showing the decisions about Norfolk County Council that match “assessment”" in html
    assert sorted(rows_shown(html)) == sorted(d.reference for d in expected)


# A realistic spread of English councils, for what caseworkers type that must not be
# taken for a name: "mother" is not Rother, "parking" not Barking, "home" not Hove.
COUNCILS = [
    "Rother District Council",
    "London Borough of Barking and Dagenham",
    "Brighton and Hove City Council",
    "Hart District Council",
    "Dover District Council",
    "City of York Council",
    "Hull City Council",
    "Fylde Borough Council",
    "London Borough of Brent",
    "Kent County Council",
    "Winchester City Council",
    "Manchester City Council",
    "Leicestershire County Council",
    "Worcester City Council",
    "Solihull Metropolitan Borough Council",
    "Hastings Borough Council",
    "Plymouth City Council",
    "Basildon Borough Council",
    "Bath and North East Somerset Council",
    "Wyre Forest District Council",
    "Carlisle City Council",
    "Swale Borough Council",
    "Epping Forest District Council",
    "High Peak Borough Council",
    "New Forest District Council",
    "East Devon District Council",
    "London Borough of Sutton",
    "Sunrise Care Ltd",
]
CASEWORKER_WORDS = (
    "care assessment",
    "council fault",
    '"social worker"',
    "bailiff",
    "mother",
    "other",
    "parking",
    "home care",
    "housing",
    "homeless",
    "school transport",
    "education health and care plan",
    "delay",
    "apology",
    "planning",
    "noise nuisance",
    "council tax",
    "benefit",
    "disabled facilities grant",
    "adult social care",
    "safeguarding",
    "complaint handling",
    "cover",
    "hard",
    "work",
    "children",
    "special educational needs",
    "waste collection",
    "highways",
    "residential care",
    "direct payments",
    "blue badge",
    "injustice",
    "remedy",
    "payment",
    "fees",
    "debt",
    "rent",
)


@pytest.mark.parametrize("words", CASEWORKER_WORDS)
def test_the_words_caseworkers_search_for_name_no_organisation(db, words):
    for name in COUNCILS:
        Organisation.objects.create(name=name, slug=re.sub(r"[^a-z]+", "-", name.lower()))
    assert [m.organisation.name for m in Organisation.objects.with_words_of(words)] == []


def test_north_norfolk_is_offered_before_norfolk(db):
    for name in ("Norfolk County Council", "North Norfolk District Council"):
        Organisation.objects.create(name=name, slug=re.sub(r"[^a-z]+", "-", name.lower()))
    found = [m.organisation.name for m in Organisation.objects.with_words_of("north norfolk")]
    assert found == ["North Norfolk District Council", "Norfolk County Council"]


def test_a_partial_organisation_name_searches_every_match_and_says_how_many(
    client, sample_decisions, settings
):
    councils = Organisation.objects.filter(name__icontains="council")
    assert councils.count() > 20  # more than the page lists as links
    html = list_page_html(client, "organisation=council")
    assert f"{councils.count()} organisations match “council”: showing decisions about any" in (
        html
    )
    assert f"and {councils.count() - 20} more: type more of the name to narrow" in html
    expected = Decision.objects.published().filter(organisation__in=councils).count()
    assert f"of {expected} decisions" in results_heading(html)


# --- how many words may be typed (a phrase's quotes: tests/test_search.py, phrases) ---------


def test_a_long_boolean_query_is_accepted(client, sample_decisions, settings):
    # As many phrases as SEARCH_MAX_TERMS allows, each long: a query built elsewhere.
    phrases = [f'"home to school transport appeal {n}"' for n in range(32)]
    assert len(phrases) == settings.SEARCH_MAX_TERMS
    words = " OR ".join(phrases)
    assert len(words) > 1_000
    html = list_page_html(client, f"q={words}")
    assert "Search words can be at most" not in html
    assert "A search can have at most" not in html
    assert "Some of the filters need changing" not in html


def test_a_search_of_too_many_terms_says_how_to_narrow_it(client, sample_decisions):
    words = " ".join(f"care{n}" for n in range(30)) + ' "a phrase" -excluded OR either'
    html = list_page_html(client, f"q={words}")
    assert "A search can have at most 32 words or “phrases”; this one has 33." in html
    assert "use the filters" in html
    assert "briefly unavailable" not in html


def test_an_overlong_query_gets_the_sites_own_message(client, sample_decisions):
    html = list_page_html(client, "q=" + "care+" * 500)
    assert "Search words can be at most 2,000 characters" in html
    assert "Ensure this value has at most" not in html


def test_a_count_of_one_reads_one_decision(client, sample_decisions):
    html = list_page_html(client, "q=bailiff")
    counts = re.findall(r'\((\d+)<span class="visually-hidden"> (decisions?)', html)
    assert ("1", "decision") in counts
    assert all((n == "1") == (word == "decision") for n, word in counts), counts


def test_the_downloads_and_feed_of_a_name_search_are_of_the_decisions_shown(
    client, sample_decisions
):
    html = list_page_html(client, "q=Leicster")
    links = re.findall(r'href="/(download\.csv|download\.jsonl|feed\.atom)\?([^"]*)"', html)
    assert {kind for kind, _ in links} == {"download.csv", "download.jsonl", "feed.atom"}
    for _, query in links:
        assert "organisation=leicester-city-council" in query.replace("&amp;", "&"), query
        assert "q=Leicster" not in query

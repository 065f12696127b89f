"""Full-text search: what the words find, in which order, phrases wherever they show,
snippets, and organisation look-up.

Mostly on small crafted corpora, made with the ORM so the expected order is known; a
few phrase cases read the list page over the bundled sample decisions. How the search
box reads references and organisation names is tests/test_search_box.py; the browser's
side of phrases is tests/browser/test_search_box.py.
"""

from __future__ import annotations

import datetime

import pytest

from decisions.models import Organisation
from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html, make_decision


def found(text: str) -> list[str]:
    """The references `text` finds, most relevant first (the list page's search)."""
    search = DecisionSearch.from_params({"q": text, "sort": "relevance"})
    assert search.valid, search.errors
    return [decision.reference for decision in search.window(0, 1000)]


def headlines(ids: list[int], text: str) -> dict[int, str]:
    """The snippets the list page shows for the decisions `ids` found by `text`."""
    rows = DecisionSearch.from_params({"q": text, "per_page": "100"}).page().rows
    return {row.decision.pk: row.snippet for row in rows if row.decision.pk in ids}


# --- ranking --------------------------------------------------------------------------------


def test_a_summary_match_ranks_above_a_newer_body_only_match(db):
    make_decision(
        "21 000 002",
        summary="Mrs X complained about the Council.",
        body_text="The education, health and care plan was late.",
        decision_date=datetime.date(2024, 1, 1),
    )
    make_decision(
        "21 000 001",
        summary="The Council delayed the education, health and care plan.",
        decision_date=datetime.date(2020, 1, 1),
    )
    assert found("care plan") == ["21 000 001", "21 000 002"]


def test_a_summary_match_ranks_above_a_newer_body_only_match_of_a_phrase(db):
    # The body-only match is newer, so only the rank can put the summary match first.
    make_decision(
        "21 000 001",
        summary="The Council delayed the school transport appeal.",
        decision_date=datetime.date(2021, 1, 1),
    )
    make_decision(
        "21 000 002",
        summary="Mrs X complained about a council decision.",
        body_text="She had asked about school transport for her son.",
        decision_date=datetime.date(2024, 1, 1),
    )
    make_decision("21 000 003", summary="Nothing about that here.")
    assert found('"school transport"') == ["21 000 001", "21 000 002"]


def test_more_matches_rank_above_fewer(db):
    make_decision("21 000 011", summary="A delay. Then the Council caused more delay and delay.")
    make_decision(
        "21 000 012", summary="A delay in a review.", decision_date=datetime.date(2025, 1, 1)
    )
    assert found("delay") == ["21 000 011", "21 000 012"]


# --- words ----------------------------------------------------------------------------------


def test_stemming_finds_other_forms_of_a_word(db):
    make_decision("21 000 021", summary="The Council delayed the assessment.")
    assert found("delays") == ["21 000 021"]


def test_or_finds_either_word(db):
    make_decision("24 000 001", summary="Noise from a neighbour.")
    make_decision("24 000 002", summary="Bins not collected.")
    make_decision("24 000 003", summary="Planning permission.")
    assert sorted(found("noise OR bins")) == ["24 000 001", "24 000 002"]


def test_a_minus_sign_excludes_a_word(db):
    make_decision("23 000 001", summary="A parking fine and a bailiff's visit.")
    make_decision("23 000 002", summary="A parking fine was cancelled.")
    assert found("parking -bailiff") == ["23 000 002"]


@pytest.mark.parametrize("text", ["the and", "?!...", '"" - OR'])
def test_a_query_of_only_stop_words_or_punctuation_finds_nothing_and_is_recognised(db, text):
    make_decision("25 000 001", summary="The council and the care provider.")
    assert found(text) == []
    assert DecisionSearch.from_params({"q": text}).only_stop_words()


def test_a_search_of_only_stop_words_finds_nothing_and_a_real_word_is_not_one(db):
    make_decision("25 000 001", summary="The council and the care provider.")
    assert found("the and") == []
    assert DecisionSearch.from_params({"q": "the and"}).only_stop_words()
    assert not DecisionSearch.from_params({"q": "care"}).only_stop_words()


# --- phrases --------------------------------------------------------------------------------


def test_a_phrase_needs_its_words_together_but_words_do_not(db):
    make_decision("22 000 001", summary="A complaint about school transport.")
    make_decision("22 000 002", summary="Transport to the new school was refused.")
    assert found('"school transport"') == ["22 000 001"]
    assert sorted(found("school transport")) == ["22 000 001", "22 000 002"]


def test_a_phrase_search_finds_the_right_decision_with_a_highlighted_snippet(
    client, sample_decisions
):
    html = get_html(client, "/?q=%22blue+badge%22")
    assert "/decisions/19-019-868/" in html
    assert "1 decision<" in html
    assert "<mark>blue</mark> <mark>badge</mark>" in html
    assert "<title>Search: &quot;blue badge&quot; – " in html


def test_a_phrase_search_is_shown_in_one_pair_of_quotes(client, sample_decisions):
    html = get_html(client, "/?q=%22social+worker%22")
    assert "<h1>Decisions matching “social worker”</h1>" in html
    assert "“&quot;social worker&quot;”" not in html


def test_the_words_of_a_phrase_make_one_match(client, db):
    make_decision("20 000 001", summary="He applied for a blue badge.")
    html = get_html(client, '/decisions/20-000-001/?q="blue+badge"')
    assert '<mark id="match-1" tabindex="-1">blue badge</mark>' in html
    assert "1 match for “&quot;blue badge&quot;”" in html


# --- snippets -------------------------------------------------------------------------------


def test_a_summary_match_gives_the_summary_with_every_match_marked(db):
    decision = make_decision("26 000 001", summary="Delay in the housing allocation. Allocations.")
    [snippet] = headlines([decision.pk], "allocation").values()
    assert snippet == "Delay in the housing <mark>allocation</mark>. <mark>Allocations</mark>."


def test_a_body_only_match_gives_a_snippet_of_the_body(db):
    decision = make_decision(
        "26 000 002",
        summary="Mrs X complained about the Council.",
        body_text=" ".join(["Filler words here."] * 50) + " The bailiff visited twice.",
    )
    snippet = headlines([decision.pk], "bailiff")[decision.pk]
    assert "<mark>bailiff</mark> visited twice" in snippet
    assert "Mrs X" not in snippet


def test_snippets_are_cut_from_the_index_for_the_rows_asked_for_with_no_query(
    db, django_assert_num_queries
):
    rows = [make_decision(f"26 000 1{n:02}", summary="A parking fine.") for n in range(5)]
    search = DecisionSearch.from_params({"q": "parking", "sort": "newest"})
    hits = search.hits(0, 2)
    with django_assert_num_queries(0):
        snippets = search.snippets(hits)
    assert set(snippets) == {rows[4].pk, rows[3].pk}
    assert all("<mark>parking</mark>" in snippet for snippet in snippets.values())


# --- organisation names ---------------------------------------------------------------------


@pytest.fixture
def organisations(db) -> None:
    for name in (
        "Norfolk County Council",
        "Norwich City Council",
        "London Borough of Redbridge",
        "London Borough of Barnet",
        "Suffolk County Council",
    ):
        Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def organisations_like(text: str) -> list[Organisation]:
    return Organisation.objects.like(text)


def similar_organisations(text: str) -> list[Organisation]:
    return Organisation.objects.close_to(text)


def names(organisations: list[Organisation]) -> list[str]:
    return [organisation.name for organisation in organisations]


def test_a_misspelt_name_finds_the_organisation(organisations):
    assert names(organisations_like("Norfok")) == ["Norfolk County Council"]
    assert names(similar_organisations("Redbrige")) == ["London Borough of Redbridge"]


def test_any_part_of_a_name_finds_the_organisation_whatever_its_case(organisations):
    assert names(organisations_like("redbridge")) == ["London Borough of Redbridge"]
    assert names(organisations_like("london borough")) == [
        "London Borough of Barnet",
        "London Borough of Redbridge",
    ]


def test_a_common_word_alone_is_not_a_near_spelling_of_every_council(organisations):
    assert similar_organisations("no-such-council") == []
    assert organisations_like("xylophone") == []

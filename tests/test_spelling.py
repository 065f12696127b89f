"""Issue 27, point 2: a misspelt search word ("homelessnes", "bailif") offers the
archive's own word ("Did you mean homelessness?"), only when the corrected search finds
decisions, on crafted decisions whose words are known."""

from __future__ import annotations

import pytest

from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html, make_decision


@pytest.fixture
def decisions(db):
    make_decision(
        "22 000 001",
        summary="The Council delayed its homelessness decision and Mr X was left without help.",
        body_text="The homelessness officer did not reply. The housing register was wrong.",
        outcome="upheld",
    )
    make_decision(
        "22 000 002",
        summary="A bailiff visited Ms Y about council tax arrears.",
        body_text="The bailiff's visit caused distress. The enforcement agent charged fees.",
        outcome="not_upheld",
    )


def suggestions(**params: str) -> list[str]:
    return [suggestion.text for suggestion in DecisionSearch.from_params(params).suggested_words()]


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("homelessnes", "homelessness"),
        ("homlessness", "homelessness"),
        ("bailif", "bailiff"),
        ("bailif visit", "bailiff visit"),
        ("homelessnes register", "homelessness register"),
    ],
)
def test_a_misspelt_word_offers_the_archives_own_word(decisions, typed, meant):
    assert DecisionSearch.from_params({"q": typed}).total.value == 0
    assert suggestions(q=typed) == [meant]
    assert DecisionSearch.from_params({"q": meant}).total.value > 0


def test_a_search_that_finds_decisions_offers_no_word(decisions):
    assert suggestions(q="homelessness") == []


def test_a_word_is_offered_only_when_it_would_find_decisions_under_the_filters(decisions):
    # Bailiff is in a decision not upheld: with outcome=upheld it would find nothing.
    assert suggestions(q="bailif", outcome="upheld") == []
    assert suggestions(q="bailif", outcome="not_upheld") == ["bailiff"]


def test_nothing_close_offers_nothing(decisions):
    assert suggestions(q="xylophone") == []


def test_the_empty_results_page_links_to_the_word_and_keeps_the_filters(client, decisions):
    html = get_html(client, "/?q=bailif&outcome=not_upheld")
    assert "Did you mean" in html
    assert 'href="?q=bailiff&amp;outcome=not_upheld"' in html
    assert ">bailiff</a>" in html

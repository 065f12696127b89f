"""Issue 27, point 3: the field's acronyms searched both ways (decisions.search.acronyms),
one test per entry on crafted decisions: one writes the acronym only, one each expansion
only, and one neither."""

from __future__ import annotations

import pytest

from decisions.search.acronyms import ACRONYMS, Acronym
from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html, make_decision


def found(text: str) -> set[str]:
    search = DecisionSearch.from_params({"q": text})
    return {decision.reference for decision in search.window(0, 100)}


@pytest.mark.parametrize("entry", ACRONYMS, ids=lambda entry: entry.acronym)
def test_an_acronym_and_its_expansions_find_each_other(db, entry: Acronym):
    make_decision("23 000 001", summary=f"Mrs X complained about the {entry.acronym} process.")
    written = {}
    for number, expansion in enumerate(entry.expansions, start=2):
        reference = f"23 000 00{number}"
        make_decision(reference, body_text=f"The council delayed the {expansion} for months.")
        written[expansion] = reference
    make_decision("23 000 009", summary="Mr Y complained about a parking permit.")
    everything = {"23 000 001", *written.values()}
    assert found(entry.acronym) == everything
    for expansion in written:
        assert found(f'"{expansion}"') == everything, expansion


def test_an_acronym_that_is_also_a_word_is_one_only_in_capitals(db):
    make_decision("23 000 001", summary="The council did not send the letter.")
    make_decision(
        "23 000 002", summary="Support for special educational needs and disabilities was late."
    )
    assert found("send") == {"23 000 001"}
    assert found("SEND") == {"23 000 001", "23 000 002"}


def test_an_excluded_acronym_excludes_its_expansion_too(db):
    make_decision("23 000 001", summary="The council's delay with the EHCP.")
    make_decision(
        "23 000 002", summary="The council's delay with the education health and care plan."
    )
    make_decision("23 000 003", summary="The council's delay with the transport.")
    assert found("delay -EHCP") == {"23 000 003"}


def test_the_page_says_what_else_it_searched_for(client, db):
    make_decision("23 000 001", summary="The council's delay with the disabled facilities grant.")
    html = get_html(client, "/?q=DFG")
    assert "Also searching for “disabled facilities grant”." in html
    assert "23 000 001" in html
    html = get_html(client, "/?q=%22disabled+facilities+grant%22")
    assert "Also searching for DFG." in html

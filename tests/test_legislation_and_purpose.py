"""Issue 27, point 8: filtering by the legislation a decision cites and by what its
payments were for, with counts, on the list page and in the API, on crafted decisions
whose citations and payments are known."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from decisions.filters import DecisionFilter
from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html, make_decision

CARE_ACT = "Care Act 2014, section 42"
CHILDREN_ACT = "Children Act 1989"


def paid(*purposes: str) -> dict:
    payments = [{"amount": "100.00", "purpose": purpose} for purpose in purposes]
    return {"payments": payments}


@pytest.fixture
def decisions(db):
    return {
        "both": make_decision(
            "21 000 001",
            legislation=[CARE_ACT, CHILDREN_ACT],
            remedies=paid("distress", "time_and_trouble"),
            remedy_total=Decimal("200"),
        ),
        "care": make_decision(
            "21 000 002",
            legislation=[CARE_ACT],
            remedies=paid("refund"),
            remedy_total=Decimal("100"),
        ),
        "children": make_decision(
            "21 000 003",
            legislation=[CHILDREN_ACT],
            remedies=paid("distress"),
            remedy_total=Decimal("100"),
        ),
        "none": make_decision("21 000 004"),
    }


def found(**params: str) -> set[str]:
    search = DecisionSearch.from_params(params)
    assert search.valid, search.errors
    return {decision.reference for decision in search.window(0, 100)}


def test_the_legislation_filter_finds_the_decisions_citing_it_exactly(decisions):
    assert found(legislation=CARE_ACT) == {"21 000 001", "21 000 002"}
    assert found(legislation=CHILDREN_ACT) == {"21 000 001", "21 000 003"}


def test_legislation_no_decision_cites_is_an_error_saying_how_to_write_it(decisions):
    filterset = DecisionFilter(QueryDict("legislation=Care+Act+2015"))
    assert not filterset.is_valid()
    assert "No decision in the archive cites" in " ".join(filterset.errors["legislation"])


def test_legislation_written_another_way_is_read_as_cited_but_never_wider(decisions):
    make_decision("21 000 005", legislation=["Care Act 2014"])
    filterset = DecisionFilter(QueryDict("legislation=Care+Act+2014+section+42"))
    assert filterset.is_valid(), filterset.errors
    assert filterset.form.cleaned_data["legislation"] == CARE_ACT
    # The parser reads "s.42" as the Act alone: that is a wider search, so refused.
    assert not DecisionFilter(QueryDict("legislation=Care+Act+2014+s.42")).is_valid()


def test_the_purpose_filter_finds_the_decisions_with_a_payment_for_it(decisions):
    assert found(purpose="distress") == {"21 000 001", "21 000 003"}
    assert found(purpose="refund") == {"21 000 002"}
    assert found(purpose="time_and_trouble", legislation=CARE_ACT) == {"21 000 001"}
    assert found(purpose="lost_care") == set()


def test_a_purpose_outside_the_vocabulary_is_refused(decisions):
    filterset = DecisionFilter(QueryDict("purpose=sympathy"))
    assert not filterset.is_valid()
    assert "Choose a purpose of payment from the list." in filterset.errors["purpose"]


def test_the_facets_count_each_legislation_and_purpose(decisions):
    facets = {facet.name: facet for facet in DecisionSearch.from_params({}).facets}
    legislation = {o.label: (o.count, o.changes) for o in facets["legislation"].options}
    assert legislation == {
        CARE_ACT: (2, {"legislation": CARE_ACT}),
        CHILDREN_ACT: (2, {"legislation": CHILDREN_ACT}),
    }
    purposes = {o.changes["purpose"]: o.count for o in facets["purpose"].options}
    assert purposes == {"distress": 2, "time_and_trouble": 1, "refund": 1}
    labels = [o.label for o in facets["purpose"].options]
    assert labels == [
        "Distress",
        "Time and trouble",
        "Refund of a charge",
    ]  # the vocabulary's order


def test_a_facet_counts_past_its_own_filter(decisions):
    search = DecisionSearch.from_params({"purpose": "refund"})
    facets = {facet.name: facet for facet in search.facets}
    purposes = {o.changes["purpose"]: (o.count, o.selected) for o in facets["purpose"].options}
    assert purposes["refund"] == (1, True) and purposes["distress"] == (2, False)
    legislation = {o.label: o.count for o in facets["legislation"].options}
    assert legislation == {CARE_ACT: 1}


def test_the_list_page_offers_both_filters_with_counts(client, decisions):
    html = get_html(client, "/")
    assert 'name="legislation"' in html and 'name="purpose"' in html
    assert "Distress (2" in html
    assert "?legislation=Care+Act+2014%2C+section+42" in html
    html = get_html(client, "/?legislation=Care+Act+2014%2C+section+42&purpose=refund")
    assert "21 000 002" in html and "21 000 001" not in html


def test_the_api_takes_both_filters_and_gives_their_facets(client, decisions):
    response = client.get(
        "/api/v1/decisions/", {"legislation": CHILDREN_ACT, "purpose": "distress"}
    )
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["total"] == 2
    names = {facet["name"] for facet in body["facets"]}
    assert {"legislation", "purpose"} <= names
    response = client.get("/api/v1/decisions/", {"purpose": "sympathy"})
    assert response.status_code == 400
    assert "distress" in " ".join(response.json()["errors"]["purpose"])


def test_the_downloads_take_both_filters(client, decisions):
    response = client.get("/download.csv", {"purpose": "refund"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "21 000 002" in text and "21 000 003" not in text

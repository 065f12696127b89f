"""The JSON API (/api/v1/) over the bundled sample decisions: the same search as the
list page (totals, facets, order), its paging, a decision in full, conditional
requests, CORS, JSON errors naming the parameter, the throttle, the schema and the
documentation page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from decisions.filters import DecisionFilter
from decisions.models import Decision, RateCounter
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.search.query import DecisionSearch

SEARCHES = [
    {},
    {"q": "council"},
    {"q": "care assessment", "sort": "newest"},
    {"category": "adult-care-services"},
    {"outcome": "upheld", "has_remedy": "on"},
    {"organisation": "norfolk", "sort": "oldest"},
    {"q": '"social worker" -parking', "date_from": "1/1/2020"},
]


def get_json(client, url: str, params: dict | None = None, status: int = 200, **headers) -> dict:
    response = client.get(url, params or {}, headers=headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def references(results: list[dict]) -> list[str]:
    return [row["reference"] for row in results]


def facet_options(facets) -> list[tuple]:
    """The page's facets (decisions.search.facets.Facet) as the API spells them."""
    return [
        (
            facet.name,
            [
                (option.label, option.count, option.exact, option.selected, option.changes)
                for option in facet.options
            ],
        )
        for facet in facets
    ]


def api_facet_options(facets: list[dict]) -> list[tuple]:
    return [
        (
            facet["name"],
            [
                (o["label"], o["count"], o["exact"], o["selected"], o["parameters"])
                for o in facet["options"]
            ],
        )
        for facet in facets
    ]


# --- the same search as the page -------------------------------------------------------


@pytest.mark.parametrize("params", SEARCHES, ids=lambda params: repr(params))
def test_the_total_and_facets_are_the_list_pages(client, sample_decisions, params):
    search = DecisionSearch.from_params(params)
    body = get_json(client, "/api/v1/decisions/", params)
    assert body["total"] == search.total.value > 0
    assert body["total_exact"] is search.total.exact
    assert body["sort"] == search.sort
    assert api_facet_options(body["facets"]) == facet_options(search.facets)
    assert body["facets"], "every search here has facets"


@pytest.mark.parametrize("params", SEARCHES[:4], ids=lambda params: repr(params))
def test_the_first_page_is_the_list_pages_first_page(client, sample_decisions, params):
    """Relevance or date order, the API's first page is the page's, row for row."""
    search = DecisionSearch.from_params(params)
    page_rows = [row.decision.reference for row in search.page().rows]
    body = get_json(client, "/api/v1/decisions/", params)
    assert references(body["results"]) == page_rows


def test_the_list_page_agrees_on_which_decisions_and_in_what_order(client, sample_decisions):
    """The HTML list page, rendered, and the API, for one search sorted newest first."""
    params = {"q": "council", "sort": "newest", "per_page": "100"}
    html = client.get("/", params).content.decode()
    on_page = re.findall(r'href="/decisions/(\d\d-\d{3}-\d{3}[a-z]?)/', html)
    api = references(get_json(client, "/api/v1/decisions/", params)["results"])
    assert [reference.replace(" ", "-") for reference in api] == list(dict.fromkeys(on_page))


def test_facets_false_leaves_the_facets_out(client, sample_decisions):
    body = get_json(client, "/api/v1/decisions/", {"q": "council", "facets": "false"})
    assert body["facets"] == []
    assert body["total"] == DecisionSearch.from_params({"q": "council"}).total.value


def test_a_search_row_has_its_snippet_and_links(client, sample_decisions):
    body = get_json(client, "/api/v1/decisions/", {"q": "council"})
    row = body["results"][0]
    assert "<mark>" in row["snippet"].lower()
    assert row["url"] == f"http://testserver/api/v1/decisions/{row['reference'].replace(' ', '-')}/"
    assert row["permalink"].startswith("http://testserver/decisions/")


# --- paging ------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_the_cursor_walks_every_match_exactly_once_in_date_order(client, sample_decisions, sort):
    params = {"q": "council", "sort": sort, "per_page": "20"}
    expected = [d.reference for d in DecisionSearch.from_params(params).window(0, 10_000)]
    seen, url, pages = (
        [],
        "/api/v1/decisions/?" + "&".join(f"{k}={v}" for k, v in params.items()),
        0,
    )
    while url:
        body = get_json(client, url)
        assert body["pagination"]["kind"] == "cursor"
        assert body["pagination"]["capped"] is False
        seen += references(body["results"])
        url, pages = body["pagination"]["next"], pages + 1
    assert seen == expected
    assert len(seen) == len(set(seen)) == 53
    assert pages == 3
    dates = [Decision.objects.get(reference=reference).decision_date for reference in seen]
    dated = [date for date in dates if date is not None]
    assert dated == sorted(dated, reverse=sort == "newest")
    assert dates == dated + [None] * (len(dates) - len(dated))  # undated last either way


def test_a_next_link_keeps_the_search(client, sample_decisions):
    body = get_json(
        client, "/api/v1/decisions/", {"category": "adult-care-services", "per_page": 20}
    )
    assert body["total"] == 12
    assert body["pagination"]["next"] is None  # one page
    body = get_json(client, "/api/v1/decisions/", {"outcome": "upheld", "per_page": 20})
    query = parse_qs(urlsplit(body["pagination"]["next"]).query)
    assert query["outcome"] == ["upheld"] and query["per_page"] == ["20"] and query["cursor"]


def test_relevance_pages_rank_every_match_and_reach_every_page(client, sample_decisions):
    body = get_json(client, "/api/v1/decisions/", {"q": "council", "per_page": "20"})
    pagination = body["pagination"]
    total = body["total"]
    assert total > 40 and body["total_exact"] is True
    assert pagination["kind"] == "page"
    # The fields clients read stay: nothing is capped now (docs/api-changelog.md).
    assert (pagination["reachable"], pagination["capped"]) == (total, False)
    assert pagination["pages"] == -(-total // 20) or pagination["pages"] == total // 20
    seen = []
    url: str | None = "/api/v1/decisions/?q=council&per_page=20"
    while url:
        page_body = get_json(client, url)
        seen += references(page_body["results"])
        url = page_body["pagination"]["next"]
    assert len(seen) == len(set(seen)) == total


def test_the_largest_payment_first_pages_by_number_as_the_page_does(client, sample_decisions):
    params = {"sort": "largest", "has_remedy": "on"}
    search = DecisionSearch.from_params(params)
    body = get_json(client, "/api/v1/decisions/", params)
    assert body["sort"] == "largest" and body["pagination"]["kind"] == "page"
    assert references(body["results"]) == [row.decision.reference for row in search.page().rows]
    totals = [float(row["remedy_total"]) for row in body["results"]]
    assert totals == sorted(totals, reverse=True) and totals[0] > 0


# --- one decision ----------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["19 011 560", "19-011-560", "19011560"])
def test_a_decision_in_full_under_any_spelling_of_its_reference(client, sample_decisions, spelling):
    decision = Decision.objects.get(reference="19 011 560")
    body = get_json(client, f"/api/v1/decisions/{spelling}/")
    found = body["decision"]
    assert found["reference"] == "19 011 560"
    assert found["organisation"] == {
        "name": "Norfolk County Council",
        "slug": "norfolk-county-council",
    }
    assert found["decision_date"] == "2020-03-31"
    assert found["outcome"] == decision.outcome
    assert found["summary"] == decision.summary
    assert found["sections"] == decision.sections and found["sections"]
    assert found["remedies"] == decision.remedies
    assert found["remedy_total"] == f"{decision.remedy_total:.2f}"
    assert found["source_url"] == decision.url
    assert found["content_hash"] == decision.content_hash and len(found["content_hash"]) == 64
    assert found["created_at"] and found["updated_at"]
    assert found["permalink"] == "http://testserver/decisions/19-011-560/"
    assert body["attribution"].startswith("Decision statements © Local Government")


def test_an_unknown_or_malformed_reference_is_a_json_404(client, sample_decisions):
    body = get_json(client, "/api/v1/decisions/99-999-999/", status=404)
    assert body["message"] == "No decision with that reference is in the archive."
    body = get_json(client, "/api/v1/decisions/not-a-reference/", status=404)
    assert "not an LGSCO case reference" in body["message"]


def test_a_withdrawn_decision_is_gone_and_in_no_list(client, sample_decisions):
    Decision.objects.filter(reference="19 011 560").update(
        withdrawn_at=timezone.now(), withdrawal_reason="Published in error."
    )
    body = get_json(client, "/api/v1/decisions/19-011-560/", status=410)
    assert "withdrawn" in body["message"]
    listed = get_json(client, "/api/v1/decisions/", {"organisation": "Norfolk County Council"})
    assert "19 011 560" not in references(listed["results"])
    assert get_json(client, "/api/v1/decisions/", {"per_page": 100})["total"] == 55


# --- the organisations and categories -----------------------------------------------------


def test_organisations_have_their_published_counts(client, sample_decisions):
    body = get_json(client, "/api/v1/organisations/")
    counts = {row["slug"]: row["count"] for row in body["results"]}
    norfolk = Decision.objects.filter(organisation__slug="norfolk-county-council").count()
    assert counts["norfolk-county-council"] == norfolk > 0
    assert sum(counts.values()) == Decision.objects.exclude(organisation=None).count()
    first = body["results"][0]
    listed = get_json(client, first["decisions"])
    assert listed["total"] == first["count"]


def test_categories_are_a_tree_whose_counts_the_list_agrees_with(client, sample_decisions):
    body = get_json(client, "/api/v1/categories/")
    adult = next(row for row in body["results"] if row["slug"] == "adult-care-services")
    assert adult["count"] == 12 == sum(sub["count"] for sub in adult["subcategories"])
    for sub in adult["subcategories"]:
        assert get_json(client, sub["decisions"])["total"] == sub["count"]


# --- conditional requests, CORS and the terms ----------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/decisions/?q=council", "/api/v1/decisions/19-011-560/", "/api/v1/categories/"]
)
def test_a_conditional_request_is_answered_304(client, sample_decisions, url):
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and modified
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = client.get(url, headers={"if-modified-since": modified})
    assert since.status_code == 304
    stale = client.get(url, headers={"if-none-match": 'W/"something-else"'})
    assert stale.status_code == 200


def test_a_change_to_the_archive_changes_the_validators(client, sample_decisions):
    url = "/api/v1/decisions/19-011-560/"
    first = client.get(url)
    decision = Decision.objects.get(reference="19 011 560")
    decision.summary += " Corrected."
    decision.save()
    after = client.get(url, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200
    assert after.json()["decision"]["summary"].endswith("Corrected.")
    listed = client.get("/api/v1/decisions/")
    assert listed["Last-Modified"] == http_date(decision.updated_at.timestamp())


def test_every_response_allows_any_origin_and_carries_the_terms(client, sample_decisions):
    for url, status in (
        ("/api/", 200),
        ("/api/v1/decisions/?q=council", 200),
        ("/api/v1/decisions/?date_from=nonsense", 400),
        ("/api/v1/decisions/99-999-999/", 404),
        ("/api/v1/organisations/", 200),
        ("/api/v1/schema/", 200),
    ):
        response = client.get(url, headers={"origin": "https://example.org"})
        assert response.status_code == status, url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert 'rel="license"' in response["Link"], url
        if response["Content-Type"] == "application/json":
            assert "Local Government and Social Care Ombudsman" in response.json()["licence"]
    preflight = client.options("/api/v1/decisions/", headers={"origin": "https://example.org"})
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_the_index_lists_the_versions_and_their_endpoints(client, db):
    body = get_json(client, "/api/")
    endpoints = body["versions"]["v1"]["endpoints"]
    assert endpoints["decisions"] == "http://testserver/api/v1/decisions/"
    assert endpoints["decision"] == "http://testserver/api/v1/decisions/{reference}/"
    assert set(endpoints) >= {"organisations", "categories", "schema", "docs"}


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, name, message",
    [
        ({"date_from": "31/2/2020"}, "date_from", "date"),
        ({"date_from": "2021-01-01", "date_to": "2020-01-01"}, "date_to", "end date"),
        ({"sort": "alphabetical"}, "sort", "Choose sort from relevance, newest, oldest, largest."),
        ({"sort": "relevance"}, "sort", "needs search words"),
        ({"cursor": "yesterday"}, "cursor", "not a cursor"),
        ({"cursor": "2020-01-01_99999999999999999999"}, "cursor", "not a cursor"),
        ({"q": "council", "cursor": "2020-01-01_5"}, "cursor", "other sorts page by number"),
        ({"page": "2"}, "page", "pages by cursor, not by number"),
        ({"sort": "largest", "cursor": "2020-01-01_5"}, "cursor", "other sorts page by number"),
        ({"q": "council", "page": "0"}, "page", "page number"),
        ({"per_page": "7"}, "per_page", "Choose per_page from 20, 50, 100."),
        ({"outcome": "maybe"}, "outcome", "Choose an outcome from the list."),
        ({"category": "no-such"}, "category", "Choose a category from the list."),
        ({"organisation": "Xylophone Borough"}, "organisation", "no such organisation"),
        ({"amount": "lots"}, "amount", "Enter an amount in pounds"),
        ({"q": "x" * 2001}, "q", "at most 2,000 characters"),
        ({"q": " ".join(["council"] * 33)}, "q", "at most 32 words or “phrases”"),
        ({"facets": "perhaps"}, "facets", "true or false"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(client, sample_decisions, params, name, message):
    body = get_json(client, "/api/v1/decisions/", params, status=400)
    assert list(body["errors"]) == [name]
    assert message.lower() in " ".join(body["errors"][name]).lower()
    assert name in body["message"]
    assert body["status"] == 400


def test_a_nul_in_a_parameter_is_a_json_400_naming_it(client, db):
    body = get_json(client, "/api/v1/decisions/?q=care%00home", status=400)
    assert list(body["errors"]) == ["q"]
    assert "NUL" in body["errors"]["q"][0]


# --- throttling --------------------------------------------------------------------------------


@override_settings(API_THROTTLE_RATE="3/min")
def test_past_the_rate_a_client_gets_429_with_retry_after(client, db):
    for _ in range(3):
        assert client.get("/api/v1/categories/").status_code == 200
    response = client.get("/api/v1/organisations/")  # every endpoint counts together
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["message"]
    other = client.get("/api/v1/categories/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # per client address
    counted = RateCounter.objects.get(scope="api", key="127.0.0.1")
    assert counted.hits == 4, "counted in PostgreSQL, the 429 too"


# --- the schema and the documentation -----------------------------------------------------------


def openapi(client) -> dict:
    response = client.get("/api/v1/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3_and_documents_every_filter(client, db):
    from drf_spectacular.validation import validate_schema

    schema = openapi(client)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/decisions/"]["get"]
    documented = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(DecisionFilter.base_filters) <= set(documented)
    assert {"sort", "per_page", "page", "cursor", "facets"} <= set(documented)
    assert set(documented["outcome"]["schema"]["enum"]) == {key for key, _ in OUTCOME_FAMILIES}
    assert "quotes" in documented["q"]["description"]
    assert set(operation["responses"]) == {"200", "400", "404", "429"}  # 404: a page past the last
    assert set(schema["paths"]) == {
        "/api/v1/decisions/",
        "/api/v1/decisions/{reference}/",
        "/api/v1/organisations/",
        "/api/v1/categories/",
    }


def test_the_docs_page_loads_swagger_ui_from_static_inside_the_csp(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in html and " style=" not in html
    assert '<a href="/api/v1/schema/">OpenAPI 3 schema</a>' in html
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("js/api-docs.js") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_the_site_footer_links_the_api_docs(client, sample_decisions):
    html = client.get("/").content.decode()
    assert '<a href="/api/v1/docs/">API</a>' in html


def test_the_api_modules_import_first_in_a_fresh_process():
    """REST framework imports the throttle class (DEFAULT_THROTTLE_CLASSES) while its own
    views module is loading: the API must import whatever is imported before it."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = "import django; django.setup(); import decisions.api.views, decisions.api.throttling"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


# --- the guide: the README's "JSON API" text, as a page a visitor can read -----------------


def test_the_api_guide_is_a_page_of_the_site_linked_from_the_docs(client, db):
    docs = client.get("/api/v1/docs/").content.decode()
    assert '<a href="/api/v1/guide/">Using the JSON API</a>' in docs
    assert "README" not in docs  # nothing a visitor cannot open
    response = client.get("/api/v1/guide/")
    assert response.status_code == 200
    guide = response.content.decode()
    assert "<h1>Using the JSON API</h1>" in guide
    # The examples use the site's own address.
    assert "curl http://testserver/api/v1/decisions/19011560/" in guide
    for topic in ("pagination.next", "total_exact", "If-None-Match", "Retry-After", "410 Gone"):
        assert topic in guide
    assert '<a href="/api/v1/schema/">OpenAPI 3 schema</a>' in guide


def test_the_readme_links_to_the_guide_page():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## JSON API\n")[1].split("\n## ")[0]
    assert "`/api/v1/guide/`" in section and "templates/api/guide.html" in section


def test_a_request_without_a_client_address_is_throttled_as_one_client_not_a_500(client, db):
    # A WSGI server need not set REMOTE_ADDR (schemathesis's transport does not).
    assert client.get("/api/v1/categories/", REMOTE_ADDR=None).status_code == 200


# --- issue 27, point 12: the end of the pages, unknown parameters, categories by name -------


def test_a_page_past_the_end_is_a_404_giving_the_last_pages_number(client, sample_decisions):
    """A loop that asks for pages until one is empty must end: past the last page is a
    404, not the last page again, and the body says which page is the last."""
    first = get_json(client, "/api/v1/decisions/", {"q": "council", "per_page": "20"})
    last = first["pagination"]["pages"]
    assert last >= 2
    body = get_json(
        client, "/api/v1/decisions/", {"q": "council", "per_page": "20", "page": last + 1}, 404
    )
    assert body["status"] == 404
    assert body["last_page"] == last
    assert str(last) in body["message"]
    assert get_json(client, "/api/v1/decisions/", {"q": "council", "page": last})["results"]


def test_an_unknown_parameter_is_a_400_naming_it_and_listing_the_valid_ones(
    client, sample_decisions
):
    body = get_json(client, "/api/v1/decisions/", {"outcomes": "upheld"}, status=400)
    assert list(body["errors"]) == ["outcomes"]
    message = " ".join(body["errors"]["outcomes"])
    assert "outcomes" in body["message"]
    for valid in ("outcome", "category", "q", "sort", "page", "cursor", "facets"):
        assert re.search(rf"\b{valid}\b", message), valid


def test_a_bad_category_names_the_valid_ones_and_links_to_the_category_list(
    client, sample_decisions
):
    body = get_json(client, "/api/v1/decisions/", {"category": "Educatoin"}, status=400)
    message = " ".join(body["errors"]["category"])
    assert "http://testserver/api/v1/categories/" in message
    assert "adult-care-services" in message


def test_a_bad_outcome_lists_the_valid_outcomes(client, sample_decisions):
    body = get_json(client, "/api/v1/decisions/", {"outcome": "maybe"}, status=400)
    message = " ".join(body["errors"]["outcome"])
    assert all(key in message for key, _ in OUTCOME_FAMILIES)


@pytest.mark.parametrize("typed", ["Adult care services", "adult care services"])
def test_a_category_is_accepted_by_its_name_as_well_as_its_slug(client, sample_decisions, typed):
    by_slug = get_json(client, "/api/v1/decisions/", {"category": "adult-care-services"})
    by_name = get_json(client, "/api/v1/decisions/", {"category": typed})
    assert by_name["total"] == by_slug["total"] > 0
    assert references(by_name["results"]) == references(by_slug["results"])
    # The FilterSet accepts it, so the list page does too.
    assert DecisionFilter({"category": typed}).is_valid()


def test_the_api_says_what_else_it_searched_for(client, db):
    """Issue 27, point 3: the acronyms' note, as the page says it."""
    body = get_json(client, "/api/v1/decisions/", {"q": "EHCP"})
    assert "Also searching for “education health and care plan”, “EHC plan”." in body["notes"]


def test_the_list_page_shows_a_category_given_by_name_as_chosen(client, sample_decisions):
    """So that sending the form again keeps it (the select holds slugs)."""
    html = client.get("/?category=Adult+care+services").content.decode()
    assert '<option value="adult-care-services" selected>' in html

"""Downloads of any search: /download.csv and /download.jsonl take the list page's
parameters and stream every match, in the page's order."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import override_settings

from decisions.models import Decision
from tests.support.helpers import get_html, make_decision


def csv_rows(client, url: str) -> tuple[list[str], list[dict[str, str]], str]:
    """The header, the rows and the raw text of a CSV download, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    raw = b"".join(response.streaming_content).decode("utf-8")
    reader = csv.reader(io.StringIO(raw.removeprefix("\ufeff")))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader], raw


def jsonl_lines(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = b"".join(response.streaming_content).decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_the_csv_holds_the_filtered_decisions_with_the_columns_a_person_expects(
    client, sample_decisions
):
    header, rows, _ = csv_rows(client, "/download.csv?organisation=norfolk-county-council")
    assert header[:10] == [
        "reference",
        "organisation",
        "category",
        "subcategory",
        "outcome",
        "outcome_wording",
        "decision_date",
        "summary",
        "remedy_total",
        "payments",
    ]
    assert {"needs_review", "permalink", "source_url", "licence"} <= set(header)
    expected = Decision.objects.filter(organisation__slug="norfolk-county-council").count()
    assert len(rows) == expected >= 2
    norfolk = next(row for row in rows if row["reference"] == "19 011 560")
    assert norfolk["organisation"] == "Norfolk County Council"
    assert norfolk["category"] == "Children's care services"
    assert norfolk["subcategory"] == "Child protection"
    assert norfolk["outcome"] == "upheld"
    assert norfolk["decision_date"] == "2020-03-31"
    assert norfolk["remedy_total"] == "250.00"
    assert norfolk["payments"] == "£50 for time and trouble; £200 for distress"
    assert norfolk["permalink"] == "http://testserver/decisions/19-011-560/"
    assert norfolk["source_url"] == ""  # imported from a text file: no address
    for row in rows:
        assert row["source_url"] == Decision.objects.get(reference=row["reference"]).url
    assert norfolk["licence"].startswith("Decision statements © Local Government and Social")
    _, upheld, _ = csv_rows(client, "/download.csv?outcome=upheld&category=housing")
    assert upheld[0]["source_url"].startswith("https://www.lgo.org.uk/decisions/housing/")


def test_the_csv_is_utf8_with_a_byte_order_mark_for_excel(client, sample_decisions):
    response = client.get("/download.csv?outcome=upheld")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfreference,")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="lgsco-decisions-')
    assert "£".encode() in body


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, db):
    make_decision("20 000 001", summary='=HYPERLINK("http://evil.example","click")')
    make_decision("20 000 002", summary="+1 more", outcome_wording="@SUM(A1)")
    make_decision("20 000 003", summary="-2", outcome_wording="\tTabbed")
    make_decision("20 000 004", summary="A plain summary - with a dash")
    _, rows, _ = csv_rows(client, "/download.csv")
    by_reference = {row["reference"]: row for row in rows}
    assert by_reference["20 000 001"]["summary"] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_reference["20 000 002"]["summary"] == "'+1 more"
    assert by_reference["20 000 002"]["outcome_wording"] == "'@SUM(A1)"
    assert by_reference["20 000 003"]["summary"] == "'-2"
    assert by_reference["20 000 003"]["outcome_wording"] == "'\tTabbed"
    assert by_reference["20 000 004"]["summary"] == "A plain summary - with a dash"


def test_json_lines_keep_the_types_and_each_payment(client, sample_decisions):
    lines = jsonl_lines(client, "/download.jsonl?organisation=norfolk-county-council")
    line = next(line for line in lines if line["reference"] == "19 011 560")
    assert line["reference"] == "19 011 560"
    assert line["payments"] == [
        {"amount": "50.00", "purpose": "time_and_trouble"},
        {"amount": "200.00", "purpose": "distress"},
    ]
    assert line["needs_review"] is False
    assert line["permalink"] == "http://testserver/decisions/19-011-560/"


def test_an_unnamed_organisation_is_null_in_json_and_empty_in_csv(client, sample_decisions):
    line = next(
        line for line in jsonl_lines(client, "/download.jsonl") if line["reference"] == "16 003 210"
    )
    assert line["organisation"] is None
    _, rows, _ = csv_rows(client, "/download.csv")
    row = next(row for row in rows if row["reference"] == "16 003 210")
    assert row["organisation"] == ""


def test_the_download_follows_the_search_words_and_the_page_order(client, sample_decisions):
    _, rows, _ = csv_rows(client, "/download.csv?q=assessment&sort=oldest")
    dates = [row["decision_date"] for row in rows]
    dated = [date for date in dates if date]
    # Oldest first, and undated decisions last, as on the page.
    assert len(dated) > 2 and dates == sorted(dated) + [""] * (len(dates) - len(dated))
    assert len(rows) == len(jsonl_lines(client, "/download.jsonl?q=assessment&sort=oldest"))


def test_withdrawn_decisions_are_never_downloaded(client, sample_decisions):
    Decision.objects.filter(reference="19 011 560").update(
        withdrawn_at="2026-01-01T00:00Z", withdrawal_reason="Personal data"
    )
    _, rows, _ = csv_rows(client, "/download.csv")
    assert "19 011 560" not in {row["reference"] for row in rows}
    assert len(rows) == 55


@override_settings(DOWNLOAD_MAX_ROWS=5)
def test_a_capped_download_says_where_it_stopped(client, sample_decisions):
    _, rows, raw = csv_rows(client, "/download.csv")
    assert len(rows) == 6
    assert rows[-1]["reference"].startswith("This download stopped at 5 of 56 matching decisions")
    lines = jsonl_lines(client, "/download.jsonl")
    assert len(lines) == 6
    assert lines[-1]["stopped"] is True
    assert lines[-1]["written"] == 5
    assert lines[-1]["matching"] == "56"
    html = get_html(client, "/?outcome=upheld")
    assert "up to 5 a download" in html


def test_an_uncapped_download_has_no_notice(client, sample_decisions):
    lines = jsonl_lines(client, "/download.jsonl?outcome=not_upheld")
    assert len(lines) == Decision.objects.filter(outcome="not_upheld").count()
    assert all("stopped" not in line for line in lines)


def test_an_invalid_search_downloads_nothing_and_says_why(client, sample_decisions):
    response = client.get("/download.csv?outcome=sideways")
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("Nothing was downloaded")
    assert "outcome:" in text
    response = client.get("/download.jsonl?outcome=sideways&category=nowhere")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"outcome", "category"}


@override_settings(DOWNLOAD_RATE_LIMIT=2, DOWNLOAD_RATE_WINDOW_SECONDS=60)
def test_downloads_are_rate_limited_per_address(client, sample_decisions, settings):
    # Windows are fixed (counted from the epoch): one this long has no end within a test
    # run, so the test cannot straddle two.
    settings.DOWNLOAD_RATE_WINDOW_SECONDS = 10**9
    assert client.get("/download.csv").status_code == 200
    assert client.get("/download.jsonl").status_code == 200
    refused = client.get("/download.csv")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 10**9
    # Another address has its own allowance.
    assert client.get("/download.csv", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_download_names_the_terms_in_a_link_header(client, sample_decisions):
    response = client.get("/download.jsonl?outcome=upheld")
    assert response["Link"] == '<http://testserver/about/>; rel="license"'


def test_a_download_reads_the_decisions_in_a_few_queries_not_one_a_row(
    client, sample_decisions, django_assert_max_num_queries
):
    # And three for its slot (decisions.limits.take_slot): two locks taken, one release.
    with django_assert_max_num_queries(9):
        lines = jsonl_lines(client, "/download.jsonl")
    assert len(lines) == 56


def test_every_list_page_links_its_downloads_with_the_same_parameters(client, sample_decisions):
    html = get_html(client, "/?outcome=upheld&category=housing&page=2&per_page=10")
    assert 'href="/download.csv?outcome=upheld&amp;category=housing"' in html
    assert 'href="/download.jsonl?outcome=upheld&amp;category=housing"' in html
    assert "Download these results" in html


@pytest.mark.parametrize("url", ["/?outcome=sideways", "/?q=zzzzqqqq"])
def test_a_page_with_nothing_to_download_offers_no_download(client, sample_decisions, url):
    html = get_html(client, url)
    assert "/download.csv" not in html


def test_a_download_without_a_client_address_counts_as_one_client_not_a_500(client, db):
    assert client.get("/download.csv", REMOTE_ADDR=None).status_code == 200

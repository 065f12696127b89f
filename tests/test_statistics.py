"""Statistics for any search (issue 16): each figure checked against a direct count of
the decisions in the database, on the real sample decisions plus 400 synthetic ones
imported through the real pipeline (bench.corpus.generate: councils with enough
decisions for rates, payments with purposes). The direct counts read the decisions'
own fields in Python, never the SQL the statistics run."""

from __future__ import annotations

import csv
import io
import re
import statistics as stats_lib
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction

from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord
from decisions.models import Decision, Organisation
from decisions.search.engine import tokens
from decisions.search.query import DecisionSearch
from decisions.statistics.comparison import kind_of
from decisions.statistics.figures import statistics_of
from decisions.views.statistics import TABLE_NAMES as TABLES
from tests.conftest import import_samples
from tests.support.table_snapshot import copy_in, copy_out

GENERATED = 400


def generated_records(count: int, seed: int = 16) -> list[SourceRecord]:
    from bench.corpus.generate import generate

    return [
        SourceRecord(f"generated {number}", record["text"], url=record["url"])
        for number, record in enumerate(generate(count, seed))
    ]


@pytest.fixture(scope="module")
def archive_rows(django_db_setup, django_db_blocker):
    """The samples and the generated decisions as the pipeline writes them (its
    summary included), imported once per module in a transaction rolled back."""

    class RollBack(Exception):
        pass

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                import_samples()
                run = run_import(generated_records(GENERATED))
                assert run.failed == 0, run.failures
                rows = copy_out()
                raise RollBack
        except RollBack:
            pass
    return rows


@pytest.fixture
def archive(db, archive_rows):
    copy_in(archive_rows)
    assert Decision.objects.count() > GENERATED


def published(**filters):
    return list(Decision.objects.published().filter(**filters).select_related("category"))


def year_of(decision) -> int | None:
    return decision.decision_date.year if decision.decision_date else None


def expected_payments(decisions) -> list[Decimal]:
    return [
        Decimal(payment["amount"])
        for decision in decisions
        for payment in (decision.remedies or {}).get("payments", [])
    ]


def quartiles(amounts: list[Decimal]) -> tuple[Decimal, ...]:
    """PostgreSQL's percentile_cont: linear between the closest ranks ("inclusive")."""
    if len(amounts) == 1:
        return (amounts[0],) * 3
    found = stats_lib.quantiles([float(a) for a in amounts], n=4, method="inclusive")
    return tuple(Decimal(value).quantize(Decimal("0.01")) for value in found)


def statistics_for(params: dict[str, str]):
    search = DecisionSearch.from_params(params)
    assert search.valid, search.errors
    return statistics_of(search)


# Each a search whose decisions the test selects directly, with the route it must take.
SEARCHES = {
    "everything": ({}, lambda d: True, "filters"),
    "an outcome": ({"outcome": "upheld"}, lambda d: d.outcome == "upheld", "filters"),
    "a payment": ({"has_remedy": "on"}, lambda d: d.remedy_total > 0, "filters"),
    "at least £500": ({"amount": "500"}, lambda d: d.remedy_total >= 500, "filters"),
    "an apology": (
        {"remedy": "apology"},
        lambda d: (d.remedies or {}).get("apology") is True,
        "filters",
    ),
    # Edge days at both ends: part of March 2020, part of November 2023.
    "dates by day": (
        {"date_from": "2020-03-15", "date_to": "2023-11-20"},
        lambda d: (
            d.decision_date is not None
            and "2020-03-15" <= d.decision_date.isoformat() <= "2023-11-20"
        ),
        "filters",
    ),
    "within one month": (
        {"date_from": "2022-06-03", "date_to": "2022-06-27"},
        lambda d: (
            d.decision_date is not None
            and "2022-06-03" <= d.decision_date.isoformat() <= "2022-06-27"
        ),
        "filters",
    ),
    "from a day on": (
        {"date_from": "2021-07-09"},
        lambda d: d.decision_date is not None and d.decision_date.isoformat() >= "2021-07-09",
        "filters",
    ),
    "search words": ({"q": "care"}, None, "matches"),
}


def selected(name: str) -> list[Decision]:
    params, keep, _ = SEARCHES[name]
    if keep is None:  # a decision whose words, stemmed as the index does, hold the word
        wanted = {word for _, word in tokens(params["q"])}
        return [d for d in published() if wanted <= words_of_decision(d)]
    return [d for d in published() if keep(d)]


def words_of_decision(decision: Decision) -> set[str]:
    category = decision.category
    names = [
        decision.organisation.name if decision.organisation else "",
        category.parent.name if category and category.parent else "",
        category.name if category else "",
    ]
    text = " ".join([*names, decision.summary, decision.body_text])
    return {word for _, word in tokens(text)}


@pytest.mark.parametrize("name", list(SEARCHES))
def test_each_figure_is_the_direct_count(archive, name):
    params, _, route = SEARCHES[name]
    decisions = selected(name)
    assert decisions, "a search that selects nothing tests nothing"
    found = statistics_for(params)
    assert found.exact and found.route == route
    assert found.decisions == len(decisions)
    # By year, with the outcome mix and the uphold rate.
    by_year = defaultdict(Counter)
    for decision in decisions:
        by_year[year_of(decision)][decision.outcome] += 1
    assert {row.year: row.tally.outcomes for row in found.years} == {
        year: {outcome: n for outcome, n in counts.items()} for year, counts in by_year.items()
    }
    for row in found.years:
        counts = by_year[row.year]
        assert row.tally.rate.upheld == counts["upheld"]
        assert row.tally.rate.findings == counts["upheld"] + counts["not_upheld"]
    # Remedies.
    upheld = [d for d in decisions if d.outcome == "upheld"]
    assert found.upheld_paid_share.findings == len(upheld)
    assert found.upheld_paid_share.upheld == sum(1 for d in upheld if d.remedy_total > 0)
    amounts = sorted(expected_payments(decisions))
    if amounts:
        assert found.payments.number == len(amounts)
        assert found.payments.total == sum(amounts)
        assert found.payments.largest == max(amounts)
        assert found.payments.quartiles == quartiles(amounts)
    else:
        assert found.payments is None
    for flag in found.flags:
        assert flag.decisions == sum(
            1 for d in decisions if (d.remedies or {}).get(flag.key) is True
        )
        assert flag.upheld == sum(1 for d in upheld if (d.remedies or {}).get(flag.key) is True)


def test_payments_by_purpose_are_the_direct_count(archive):
    found = statistics_for({})
    by_purpose = defaultdict(list)
    for decision in published():
        for payment in decision.remedies.get("payments", []):
            by_purpose[payment["purpose"]].append(Decimal(payment["amount"]))
    assert len(by_purpose) > 2
    assert {row.purpose: (row.amounts.number, row.amounts.total) for row in found.purposes} == {
        purpose: (len(amounts), sum(amounts)) for purpose, amounts in by_purpose.items()
    }
    assert {row.purpose: row.amounts.median for row in found.purposes} == {
        purpose: quartiles(sorted(amounts))[1] for purpose, amounts in by_purpose.items()
    }


def test_rates_by_category_and_subcategory_are_the_direct_count(archive):
    found = statistics_for({})
    direct = defaultdict(Counter)
    for decision in published():
        if decision.category is None:
            continue
        parent = decision.category.parent or decision.category
        direct[parent.name][decision.outcome] += 1
        if decision.category.parent is not None:
            direct[(parent.name, decision.category.name)][decision.outcome] += 1
    for row in found.categories:
        if not row.slug:
            continue
        assert row.tally.outcomes == dict(direct[row.name])
        for sub in row.subcategories:
            assert sub.tally.outcomes == dict(direct[(row.name, sub.name)])


def test_a_category_and_subcategory_filter_counts_their_decisions(archive):
    decision = next(d for d in published() if d.category and d.category.parent)
    parent, sub = decision.category.parent, decision.category
    found = statistics_for({"category": parent.slug, "subcategory": sub.slug})
    expected = [d for d in published() if d.category_id == sub.pk]
    assert found.route == "filters"
    assert found.decisions == len(expected)
    assert [row.name for row in found.categories] == [parent.name]


def test_the_league_table_counts_each_organisation(archive, client):
    html = client.get("/statistics/?league_sort=name&league_order=asc").content.decode()
    table = html.split('id="organisations-table"')[1].split("</table>")[0]
    rows = re.findall(
        r'<th scope="row"><a href="/organisations/([^/]+)/">[^<]+</a></th>'
        r'<td class="number">([\d,]+)</td><td class="number">([\d,]+)</td>',
        table,
    )
    direct = Counter(
        d.organisation.slug for d in Decision.objects.published().exclude(organisation=None)
    )
    upheld = Counter(
        d.organisation.slug
        for d in Decision.objects.published().filter(outcome="upheld").exclude(organisation=None)
    )
    assert {slug: (int(n.replace(",", "")), int(u)) for slug, n, u in rows} == {
        slug: (n, upheld[slug]) for slug, n in direct.items()
    }
    names = [Organisation.objects.get(slug=slug).name.lower() for slug, _, _ in rows]
    assert names == sorted(names)
    assert 'aria-sort="ascending"' in table


def test_the_league_table_sorts_by_rate_with_too_few_findings_last(archive, client, settings):
    settings.STATISTICS_MIN_N = 3
    html = client.get("/statistics/?league_sort=rate").content.decode()
    table = html.split('id="organisations-table"')[1].split("</table>")[0]
    rates = re.findall(r'<td class="number">([\d]+%|–)</td><td class="number">(\d+)</td>', table)
    shown = [int(rate[:-1]) for rate, _ in rates if rate != "–"]
    assert len(shown) >= 3 and shown == sorted(shown, reverse=True)
    first_hidden = next(i for i, (rate, _) in enumerate(rates) if rate == "–")
    assert all(rate == "–" for rate, _ in rates[first_hidden:])
    assert all(int(n) < 3 for rate, n in rates if rate == "–")
    assert all(int(n) >= 3 for rate, n in rates if rate != "–")
    # The heading's link now reverses the order.
    assert "league_sort=rate&amp;league_order=asc#organisations" in table


def test_a_rate_of_fewer_than_the_minimum_is_not_shown(archive, client, settings):
    settings.STATISTICS_MIN_N = 10_000
    html = client.get("/statistics/").content.decode()
    assert not re.search(
        r'<td class="number">\d+%</td>', html.split('id="years-table"')[1].split("</table>")[0]
    )


def test_an_import_is_counted_at_once(archive):
    before = statistics_for({}).decisions
    run = run_import(generated_records(5, seed=99))
    assert run.created == 5
    assert statistics_for({}).decisions == before + 5


def test_an_admin_edit_does_no_work_that_grows_with_the_archive(
    archive, client, django_user_model, django_assert_max_num_queries
):
    """Nothing is rebuilt in the admin's request: saving a decision runs a fixed number
    of statements, however many decisions there are (no summary; the index follows
    through the change log)."""
    admin = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(admin)
    decision = Decision.objects.published().first()
    page = client.get(f"/admin/decisions/decision/{decision.pk}/change/")
    assert page.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM decisions_decision")
        assert cursor.fetchone()[0] > 400
    with django_assert_max_num_queries(40) as captured:
        client.post(f"/admin/decisions/decision/{decision.pk}/change/", {})
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "decisions_statistics" not in statements


def test_a_withdrawal_in_the_admin_leaves_the_statistics(
    archive, client, django_user_model, django_capture_on_commit_callbacks
):
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    decision = Decision.objects.published().filter(outcome="upheld").first()
    before = statistics_for({"outcome": "upheld"}).decisions
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/decisions/decision/",
            {
                "action": "withdraw",
                "_selected_action": [decision.pk],
                "apply": "1",
                "reason": "Published in error",
            },
        )
    assert response.status_code == 302
    assert statistics_for({"outcome": "upheld"}).decisions == before - 1


def test_a_text_search_is_counted_exactly_from_every_match(archive, client):
    found = statistics_for({"q": "council"})
    assert found.exact and found.route == "matches"
    search = DecisionSearch.from_params({"q": "council"})
    assert found.decisions == search.total.value
    by_hand = sum(
        1
        for decision in Decision.objects.published()
        if "council" in f"{decision.summary} {decision.body_text}".lower()
    )
    assert found.decisions >= by_hand * 0.9  # stemming finds "councils" too
    html = client.get("/statistics/?q=council").content.decode()
    assert "estimated" not in html


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(response) -> list[list[str]]:
    """The rows of a statistics CSV, its comment lines (# ...) left out."""
    return csv_rows_of(csv_text(response))


def csv_rows_of(text: str) -> list[list[str]]:
    rows = csv.reader(io.StringIO(text))
    return [row for row in rows if not (row and row[0].startswith("#"))]


def test_each_table_downloads_as_csv_with_the_pages_numbers(archive, client):
    response = client.get("/statistics/download.csv?outcome=upheld&table=years")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "lgsco-statistics-years.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Year", "Decisions", "Upheld"]
    direct = Counter(year_of(d) for d in published(outcome="upheld"))
    body = [row for row in rows[1:] if row[1:]]
    body = [row for row in body if row[1]]
    assert {row[0]: int(row[1]) for row in body} == {
        (str(year) if year else "Date not known"): n for year, n in direct.items()
    }
    for table in ("outcomes", "categories", "payments", "purposes", "remedies", "organisations"):
        response = client.get(f"/statistics/download.csv?table={table}")
        # The header and at least one row (the comment line is not a row).
        assert response.status_code == 200 and len(csv_rows(response)) >= 2, table


def test_the_page_links_each_tables_csv_with_the_same_parameters(archive, client):
    html = client.get("/statistics/?outcome=upheld&category=education").content.decode()
    for table in ("years", "organisations", "purposes"):
        assert (
            f'href="/statistics/download.csv?outcome=upheld&amp;category=education&amp;table={table}"'
            in html
        )


@pytest.mark.parametrize(
    "query, message",
    [
        ("date_from=the+31st", "date"),
        ("organisation=no-such-body-anywhere", "There is no such organisation in the archive."),
        ("outcome=sideways", "Choose an outcome from the list."),
        ("amount=lots", "Enter an amount in pounds, for example 500."),
        (
            "date_from=2024-01-01&date_to=2020-01-01",
            "The end date must not be before the start date.",
        ),
    ],
)
def test_bad_parameters_say_what_is_wrong(archive, client, query, message):
    response = client.get(f"/statistics/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No statistics shown: change the filters" in html
    assert message in html
    download = client.get(f"/statistics/download.csv?{query}&table=years")
    assert download.status_code == 400
    assert b"Nothing was downloaded: the search is not valid." in download.content


def test_a_bad_league_sort_or_table_is_named(archive, client):
    html = client.get("/statistics/?league_sort=cheapest&league_order=sideways").content.decode()
    assert "The league table sorts by organisation, decisions" in html
    assert 'aria-sort="descending"' in html
    response = client.get("/statistics/download.csv?table=everything")
    assert response.status_code == 400
    assert b"table='everything' is not a table of the statistics" in response.content


def test_a_typed_date_redirects_to_its_iso_form(archive, client):
    response = client.get("/statistics/?date_from=31/3/2020")
    assert response.status_code == 302
    assert response["Location"] == "/statistics/?date_from=2020-03-31"


def test_every_list_page_and_the_header_link_to_statistics(archive, client):
    html = client.get("/?outcome=upheld&page=2&sort=oldest").content.decode()
    assert '<a href="/statistics/?outcome=upheld">Statistics for these results</a>' in html
    assert '<a href="/statistics/">Statistics</a>' in client.get("/about/").content.decode()


def test_the_page_says_what_the_figures_are(archive, client):
    html = client.get("/statistics/").content.decode()
    assert "among the statements published in this archive" in html
    assert "including those whose statements were never published" in html


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Norfolk County Council", "county councils"),
        ("London Borough of Redbridge", "London boroughs"),
        ("Wigan Metropolitan Borough Council", "metropolitan borough councils"),
        ("Babergh District Council", "district councils"),
        ("Leicester City Council", "city councils"),
        ("Milton Keynes Council", None),
        ("Kent and Medway NHS", None),
    ],
)
def test_the_kind_of_body_is_read_only_where_the_name_says_it(name, kind):
    assert kind_of(name) == kind


def test_the_organisation_page_shows_its_trend_and_the_median_organisation(
    archive, client, settings
):
    settings.STATISTICS_MIN_N = 2
    counts = Counter(d.organisation_id for d in published(outcome__in=["upheld", "not_upheld"]))
    organisation = Organisation.objects.filter(
        name__endswith="County Council", pk__in=[pk for pk, n in counts.items() if n >= 2]
    ).first()
    assert organisation is not None
    html = client.get(f"/organisations/{organisation.slug}/").content.decode()
    trend = html.split('id="years-table"')[1].split("</table>")[0]
    own = Counter(year_of(d) for d in published(organisation=organisation))
    for year, n in own.items():
        assert re.search(
            rf'<th scope="row">{year or "Date not known"}</th><td class="number">{n}</td>', trend
        )
    # The median organisation's uphold rate, over those with at least 2 findings.
    rates = []
    for pk, findings in counts.items():
        if pk is None or findings < 2:
            continue
        upheld = len(published(organisation_id=pk, outcome="upheld"))
        rates.append(upheld / findings)
    median = f"{round(100 * stats_lib.median(rates))}%"
    compared = html.split('id="compared-table"')[1].split("</table>")[0]
    assert "Median of county councils" in compared
    row = compared.split("Uphold rate")[1].split("</tr>")[0]
    assert re.findall(r'<td class="number">([^<]+)</td>', row)[2] == median


def test_an_organisation_whose_name_says_no_kind_is_not_compared_with_one(archive, client):
    organisation = Organisation.objects.get(name="Milton Keynes Council")
    html = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "Its name does not say what kind of body it is" in html
    assert "Median of" not in html


# --- searches at the edges, on the sample decisions -----------------------------------------


@pytest.mark.parametrize("query", ["q=zzzzqq", "q=the"])
def test_a_search_that_matches_nothing_says_so_on_the_page_and_in_each_csv(
    sample_decisions, client, query
):
    html = client.get(f"/statistics/?{query}").content.decode()
    assert "No decisions found" in html
    for table in TABLES:
        response = client.get(f"/statistics/download.csv?{query}&table={table}")
        assert response.status_code == 200, table
        text = csv_text(response)
        assert "published in this archive" in text.splitlines()[0], table
        header, *body = csv_rows_of(text)
        # No rows, or (payments) one that counts none.
        zero = ("", "0", "0.00")
        assert all(cell in zero for row in body for cell in row[1:]), (table, body)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2020-01-01"},
        {"date_to": "2019-12-31"},
        {"date_from": "2020-01-01", "date_to": "2020-12-31"},
        {"date_from": "2021-02-01", "date_to": "2021-02-28"},
    ],
)
def test_dates_on_month_and_year_boundaries_count_the_decisions_between(
    sample_decisions, client, params
):
    expected = published(
        decision_date__gte=params.get("date_from", "1900-01-01"),
        decision_date__lte=params.get("date_to", "2100-01-01"),
    )
    assert statistics_for(params).decisions == len(expected)
    query = "&".join(f"{name}={value}" for name, value in params.items())
    response = client.get(f"/statistics/?{query}")
    assert response.status_code == 200
    response = client.get(f"/statistics/download.csv?{query}&table=years")
    assert response.status_code == 200
    by_year = {row[0]: int(row[1]) for row in csv_rows(response)[1:] if row[1]}
    assert sum(by_year.values()) == len(expected)


def test_a_date_typed_as_people_write_it_redirects_to_statistics_that_answer(
    sample_decisions, client
):
    response = client.get("/statistics/?date_from=1/1/2020")
    assert response.status_code == 302
    assert response["Location"] == "/statistics/?date_from=2020-01-01"
    assert client.get(response["Location"]).status_code == 200


def test_a_csv_of_no_such_table_is_a_400_that_names_the_tables(sample_decisions, client):
    response = client.get("/statistics/download.csv?date_from=2020-01-01&table=nope")
    assert response.status_code == 400
    assert b"Choose one of: years, outcomes" in response.content


def test_median_payment_is_per_payment_on_the_page_and_in_every_csv_header(archive, client):
    """Issue 27, point 6: one label, one meaning. The league table's and the payment
    tables' "Median payment" is the median of the payments, said in their notes; no
    table calls a per-payment median anything else, or a per-decision one by that name."""
    from decisions.statistics.labels import MEDIAN_PAYMENT, MEDIAN_PAYMENT_NOTE

    html = client.get("/statistics/").content.decode()
    for table in ("organisations", "payments", "purposes"):
        # The note before the table, after the one before it.
        block = html.split(f'id="{table}-table"')[0].rsplit("</table>", 1)[-1]
        assert MEDIAN_PAYMENT_NOTE in block, table
        header = csv_rows(client.get(f"/statistics/download.csv?table={table}"))[0]
        header = [cell for cell in header if not cell.startswith("#")]
        assert MEDIAN_PAYMENT in header, (table, header)
        assert "Median" not in header, (table, header)
        assert "Median paid per decision" not in header, (table, header)
    assert f">{MEDIAN_PAYMENT}" in html.split('id="organisations-table"')[1]


MONEY_COLUMNS = {"Total", "Lower quartile", "Median payment", "Upper quartile", "Largest"}
MONEY_COLUMNS |= {"Payments total"}


@pytest.mark.parametrize("table", TABLES)
def test_a_statistics_csv_has_its_note_in_a_first_comment_line_and_only_data_rows(
    archive, client, table
):
    """Issue 27, point 11: the scope note was a last row, read as data by any program.
    Now the first line is a comment (pandas' comment="#", R's comment.char), and every
    row below the header has the header's number of cells."""
    lines = csv_text(client.get(f"/statistics/download.csv?table={table}")).splitlines()
    assert lines[0].startswith("# ")
    assert "among the decision statements published in this archive" in lines[0].lower()
    assert not any(line.startswith("#") for line in lines[1:])
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    header, body = rows[0], rows[1:]
    assert body and all(len(row) == len(header) for row in body)
    assert list(csv.reader([lines[0]])) == [[lines[0]]]  # one cell: no comma to split at


@pytest.mark.parametrize("table", ("payments", "purposes", "organisations"))
def test_a_statistics_csv_writes_every_amount_with_two_decimals(archive, client, table):
    """Issue 27, point 11: 3500.00 beside 0 read as two kinds of number."""
    rows = csv_rows(client.get(f"/statistics/download.csv?table={table}"))
    header, body = rows[0], rows[1:]
    columns = [index for index, name in enumerate(header) if name in MONEY_COLUMNS]
    assert columns, header
    amounts = [row[index] for row in body for index in columns if row[index]]
    assert amounts
    assert all(re.fullmatch(r"\d+\.\d\d", amount) for amount in amounts), amounts
    if table == "organisations":
        assert "0.00" in amounts  # an organisation without payments: its total

"""One organisation's page: its decisions, outcome mix, payments and categories."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions.models import Category, Decision, Organisation
from tests.support.helpers import get_html, make_decision

NORFOLK = "/organisations/norfolk-county-council/"


def outcome_rows(html: str) -> dict[str, tuple[int, str]]:
    """{label: (count, share)} from the outcome table."""
    rows = re.findall(
        r'<th scope="row">(?:<a [^>]+>)?([^<]+)(?:</a>)?</th>\s*'
        r'<td class="number">(\d+)</td>\s*<td class="number">(\d+%)</td>',
        html,
    )
    return {label: (int(count), share) for label, count, share in rows}


def test_the_outcome_mix_counts_equal_the_database_counts(client, sample_decisions):
    organisation = Organisation.objects.annotate(n=Count("decisions")).order_by("-n").first()
    expected = {
        row["outcome"]: row["n"]
        for row in Decision.objects.filter(organisation=organisation)
        .order_by()
        .values("outcome")
        .annotate(n=Count("id"))
    }
    html = get_html(client, f"/organisations/{organisation.slug}/")
    shown = outcome_rows(html)
    labels = dict(Decision._meta.get_field("outcome").choices) | {"": "Not recorded"}
    assert {label: count for label, (count, _) in shown.items()} == {
        labels[outcome]: n for outcome, n in expected.items()
    }
    assert f"<h1>{organisation.name}</h1>" in html


def test_the_outcome_mix_shows_shares_and_links_to_the_filtered_list(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    for number, outcome in enumerate(["upheld", "upheld", "upheld", "not_upheld"], start=1):
        make_decision(f"20 000 00{number}", organisation=testshire, outcome=outcome)
    html = get_html(client, "/organisations/testshire/")
    assert outcome_rows(html) == {"Upheld": (3, "75%"), "Not upheld": (1, "25%")}
    assert 'href="/?organisation=testshire&amp;outcome=upheld">Upheld</a>' in html
    assert '<a href="/?organisation=testshire">Search and filter them' in html


def test_the_remedy_totals_count_total_median_and_largest_payment(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    for number, amount in enumerate(["0", "100", "250", "300", "1000.50"], start=1):
        make_decision(f"20 000 00{number}", organisation=testshire, remedy_total=Decimal(amount))
    make_decision("20 000 009", remedy_total=Decimal("99999"))  # another organisation's
    html = get_html(client, "/organisations/testshire/")
    assert "<dt>Decisions with a payment</dt><dd>4 of 5</dd>" in html
    assert "<dt>Total paid or agreed</dt><dd>£1,650.50</dd>" in html
    assert "<dt>Median paid per decision</dt><dd>£275</dd>" in html
    assert "<dt>Largest payment</dt><dd>£1,000.50</dd>" in html


def test_an_organisation_without_payments_says_so(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    make_decision("20 000 001", organisation=testshire)
    assert "None of its decisions in this archive records a payment." in get_html(
        client, "/organisations/testshire/"
    )


def test_the_categories_complained_about_most_come_first(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    housing = Category.objects.create(name="Housing", slug="housing")
    planning = Category.objects.create(name="Planning", slug="planning")
    subcategories = [
        Category.objects.create(name="Allocations", slug="allocations", parent=housing),
        Category.objects.create(name="Homelessness", slug="homelessness", parent=housing),
        Category.objects.create(name="Enforcement", slug="enforcement", parent=planning),
    ]
    for number, category in enumerate(subcategories, start=1):
        make_decision(f"20 000 00{number}", organisation=testshire, category=category)
    html = get_html(client, "/organisations/testshire/")
    assert re.findall(r'category=([a-z-]+)">[^<]+</a>: (\d+) decision', html) == [
        ("housing", "2"),
        ("planning", "1"),
    ]


def test_the_decisions_are_newest_first_paged_with_short_last_pages_folded_in(client, db, settings):
    settings.DECISIONS_PER_PAGE = 5
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    for day in range(1, 9):  # with the undated one, 9 decisions: 5 + 4
        make_decision(f"20 000 00{day}", organisation=testshire, decision_date=date(2024, 1, day))
    make_decision("20 000 010", organisation=testshire)  # undated: last
    html = get_html(client, "/organisations/testshire/")
    shown = re.findall(r"\((20 000 0\d\d)\)</span></a>", html)
    assert shown[:2] == ["20 000 008", "20 000 007"]
    assert len(shown) == 5 and 'rel="next"' in html
    html = get_html(client, "/organisations/testshire/?page=2")
    assert re.findall(r"\((20 000 0\d\d)\)</span></a>", html)[-1] == "20 000 010"

    make_decision("20 000 011", organisation=testshire, decision_date=date(2020, 1, 1))
    settings.DECISIONS_PER_PAGE = 8  # 10 = 8 + 2: the 2 are folded into the first page
    html = get_html(client, "/organisations/testshire/")
    assert len(re.findall(r"\((20 000 0\d\d)\)</span></a>", html)) == 10
    assert 'rel="next"' not in html


def test_the_number_of_queries_does_not_grow_with_the_decisions(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    housing = Category.objects.create(name="Housing", slug="housing")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            get_html(client, "/organisations/testshire/")
        return len(context.captured_queries)

    make_decision("20 000 001", organisation=testshire, category=housing)
    # The first request after a change also fills the caches of the archive's figures
    # (the statistics' counts of every organisation, the archive's size): the second is
    # the page's own.
    queries()
    before = queries()
    for number in range(2, 9):
        make_decision(
            f"20 000 00{number}", organisation=testshire, category=housing, outcome="upheld"
        )
    queries()
    assert queries() == before


def test_an_unknown_organisation_gives_a_404(client, db):
    response = client.get("/organisations/no-such-council/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_the_organisation_name_is_escaped(client, db):
    Organisation.objects.create(name="<script>Evil</script> Council", slug="evil")
    html = get_html(client, "/organisations/evil/")
    assert "<h1>&lt;script&gt;Evil&lt;/script&gt; Council</h1>" in html
    assert "<script>Evil" not in html


def test_the_decision_page_links_to_its_organisation_page(client, sample_decisions):
    html = get_html(client, "/decisions/19-011-560/")
    assert f'<a href="{NORFOLK}">About Norfolk County Council: outcomes' in html
    assert "<h1>Norfolk County Council</h1>" in get_html(client, NORFOLK)


def test_withdrawn_decisions_are_neither_listed_nor_counted(client, db):
    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    make_decision("20 000 001", organisation=testshire, outcome="upheld")
    make_decision(
        "20 000 002",
        organisation=testshire,
        outcome="not_upheld",
        remedy_total=Decimal("500"),
        withdrawn_at=timezone.now(),
        withdrawal_reason="Published in error.",
    )
    html = get_html(client, "/organisations/testshire/")
    assert outcome_rows(html) == {"Upheld": (1, "100%")}
    assert "20 000 002" not in html
    assert "None of its decisions in this archive records a payment." in html


def test_the_organisation_pages_median_is_per_decision_and_labelled_and_explained_so(client, db):
    """Issue 27, point 6: "Median payment" means per payment everywhere (the comparison
    table, the statistics); the organisation's own figure is per decision, so it is named
    "Median paid per decision" and a note says what each means."""
    from decisions.statistics.labels import MEDIAN_PAYMENT_NOTE, MEDIAN_PER_DECISION_NOTE

    testshire = Organisation.objects.create(name="Testshire Council", slug="testshire")
    make_decision("20 000 001", organisation=testshire, remedy_total=Decimal("300"))
    html = get_html(client, "/organisations/testshire/")
    remedies = html.split('id="money-title"')[1].split("</section>")[0]
    assert "<dt>Median paid per decision</dt>" in remedies
    assert "Median payment" not in remedies
    assert MEDIAN_PER_DECISION_NOTE in remedies
    assert MEDIAN_PAYMENT_NOTE in html.split('id="compared-title"')[1]

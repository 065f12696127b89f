"""Finding what remedy similar cases got: filters by kind of remedy and by the size of a
payment, the largest payments first, each choice with its count, on the real samples."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from decisions.models import Decision
from tests.support.helpers import get_html, results_heading, searched


def references(html: str) -> list[str]:
    results = html.split('class="decision-list">')[-1]
    return [
        slug.replace("-", " ")
        for slug in re.findall(
            r'class="decision__title">\s*<a href="/decisions/([0-9a-z-]+)/', results
        )
    ]


def published():
    return Decision.objects.published()


@pytest.mark.parametrize(
    "kind", ["apology", "service_improvement", "reassessment", "staff_training", "payment"]
)
def test_each_kind_of_remedy_finds_the_decisions_that_agreed_it(client, sample_decisions, kind):
    if kind == "payment":
        expected = published().filter(remedy_total__gt=0)
    else:
        expected = [d for d in published() if d.remedies.get(kind)]
    html = get_html(client, f"/?remedy={kind}&per_page=100")
    assert sorted(references(html)) == sorted(d.reference for d in expected)


def test_the_remedy_choices_show_their_counts(client, sample_decisions):
    html = get_html(client, "/?q=council")
    matches = searched("council")
    apologies = sum(1 for d in matches if d.remedies.get("apology"))
    assert apologies
    assert re.search(rf'<option value="apology">An apology \({apologies}\)</option>', html), html


def test_a_payment_of_at_most_an_amount_leaves_out_decisions_without_one(client, sample_decisions):
    expected = published().filter(remedy_total__gt=0, remedy_total__lte=Decimal(500))
    assert expected.exists() and published().filter(remedy_total=0).exists()
    html = get_html(client, "/?amount_max=500&per_page=100")
    assert sorted(references(html)) == sorted(d.reference for d in expected)
    assert "Amount at most (£): £500" in html


def test_the_largest_payments_come_first(client, sample_decisions):
    html = get_html(client, "/?has_remedy=on&sort=largest&per_page=100")
    shown = references(html)
    totals = {d.reference: d.remedy_total for d in published().filter(remedy_total__gt=0)}
    assert len(shown) == len(totals)
    assert [totals[r] for r in shown] == sorted(totals.values(), reverse=True)


def test_a_most_below_the_least_says_so(client, sample_decisions):
    html = get_html(client, "/?amount=500&amount_max=100")
    assert "The most must not be less than the least." in html
    assert "No decisions shown" in results_heading(html)


def test_the_planner_knows_how_common_each_kind_of_remedy_is(sample_decisions):
    """Extended statistics (migration 0018): without them PostgreSQL guessed 0.5% of
    decisions for every kind, and with a search chose to scan and rank the whole table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE decisions_decision")
    total = Decision.objects.count()
    for kind in ("apology", "service_improvement"):
        actual = Decision.objects.filter(**{f"remedies__{kind}": True}).count()
        assert actual, kind
        plan = Decision.objects.filter(**{f"remedies__{kind}": True}).explain(format="json")
        estimated = json.loads(plan)[0]["Plan"]["Plan Rows"]
        assert abs(estimated - actual) <= max(2, actual / 2), (kind, estimated, actual, total)

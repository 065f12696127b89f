"""Bounded counting (decisions.search.counting) on the bundled sample decisions: exact up to
the limit, estimated from the id-bucket sample beyond it, and labelled on the page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Count, F
from django.http import QueryDict

from decisions.filters import DecisionFilter
from decisions.models import Decision
from decisions.querysets import SAMPLE_BUCKETS
from decisions.search.counting import Counter, Tally, rounded, sample_cut_off, sampled
from decisions.search.query import DecisionSearch
from decisions.search.whole_archive import WholeArchive
from tests.helpers import results_heading

TODAY = datetime.date(2026, 6, 1)


def published():
    return Decision.objects.published()


def search_of(params: str, counter: Counter) -> DecisionSearch:
    search = DecisionSearch(DecisionFilter(QueryDict(params)), WholeArchive(TODAY), counter)
    assert search.valid, search.errors
    return search


def in_sample(cut_off: int) -> list[Decision]:
    """The sample, worked out in Python rather than by the query under test."""
    return [d for d in published() if d.pk % SAMPLE_BUCKETS < cut_off]


def test_an_estimate_is_shown_rounded_and_called_about():
    assert Tally(1234).shown == "1,234"
    assert Tally(41_234, exact=False).shown == "about 41,000"
    assert Tally(987_654, exact=False).shown == "about 990,000"
    assert Tally(57, exact=False).shown == "about 57"
    assert rounded(1_049) == 1_000 and rounded(1_050) == 1_000 and rounded(1_051) == 1_100


def test_the_sample_is_about_count_sample_rows_of_the_archive(settings):
    settings.COUNT_SAMPLE_ROWS = 20_000
    assert sample_cut_off(1_000_000) == 20  # 2% of the buckets
    assert sample_cut_off(100_000) == 200
    assert sample_cut_off(10_000) == SAMPLE_BUCKETS  # a small archive: all of it
    assert sample_cut_off(0) == SAMPLE_BUCKETS


def test_up_to_the_limit_a_count_is_exact(sample_decisions, settings):
    settings.EXACT_COUNT_LIMIT = 1_000
    tally = Counter(archive_size=56).count(published().filter(outcome="upheld"))
    assert tally == Tally(published().filter(outcome="upheld").count(), exact=True)
    assert tally.value > 5


def test_past_the_limit_a_count_is_estimated_from_the_sample(sample_decisions, settings):
    settings.EXACT_COUNT_LIMIT = 5
    archive = published().count()

    settings.COUNT_SAMPLE_ROWS = archive - 1  # 983 of the 1000 buckets, whatever the ids
    counter = Counter(archive_size=archive)
    assert counter.cut_off == sample_cut_off(archive) < SAMPLE_BUCKETS
    expected = round(len(in_sample(counter.cut_off)) * SAMPLE_BUCKETS / counter.cut_off)
    tally = counter.count(published())
    assert not tally.exact
    assert tally.value == max(expected, 6)


def test_an_archive_no_bigger_than_the_sample_is_counted_exactly(sample_decisions, settings):
    settings.EXACT_COUNT_LIMIT = 5
    settings.COUNT_SAMPLE_ROWS = 1_000_000  # every bucket: the sample is the archive
    counter = Counter(archive_size=published().count())
    tally = counter.count(published().filter(outcome="upheld"))
    assert tally == Tally(published().filter(outcome="upheld").count(), exact=True)
    # Known to be more than the limit: the sample would do, but it is the whole archive.
    rows, exact = counter.grouped(published(), ["outcome"], Tally(6, exact=False))
    assert exact and sum(row["count"] for row in rows) == published().count()


def test_grouped_counts_are_exact_when_few_and_scaled_from_the_sample_when_many(
    sample_decisions, settings
):
    decisions = published().exclude(outcome="")
    truth = {}
    for decision in decisions:
        truth[decision.outcome] = truth.get(decision.outcome, 0) + 1

    settings.EXACT_COUNT_LIMIT = 1_000
    rows, exact = Counter(archive_size=56).grouped(decisions, ["outcome"], None)
    assert exact and {row["outcome"]: row["count"] for row in rows} == truth

    settings.EXACT_COUNT_LIMIT = 5
    settings.COUNT_SAMPLE_ROWS = 55  # 983 of the 1000 buckets
    counter = Counter(archive_size=56)
    sampled_truth = {}
    for decision in in_sample(counter.cut_off):
        if decision.outcome:
            sampled_truth[decision.outcome] = sampled_truth.get(decision.outcome, 0) + 1
    rows, exact = counter.grouped(decisions, ["outcome"], None)
    assert not exact
    assert {row["outcome"]: row["count"] for row in rows} == {
        outcome: round(n * counter.scale) for outcome, n in sampled_truth.items()
    }


def test_the_sample_is_read_through_its_index(sample_decisions):
    """The sample's expression must be the index's, or a million rows are scanned."""
    # A facet's query over the sample: unordered, grouped.
    facet = sampled(published(), 20).order_by().values("outcome").annotate(n=Count("pk"))
    sql, params = facet.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE decisions_decision")
        # 56 rows fit in one page, where a scan is cheapest: make any index cheaper.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "decision_sample_bucket_idx" in plan, plan


def test_facets_say_when_their_counts_are_estimated(sample_decisions, settings):
    settings.EXACT_COUNT_LIMIT = 5
    settings.COUNT_SAMPLE_ROWS = 55  # 983 of the 1000 buckets, for 56 decisions
    counter = Counter(archive_size=56)
    search = search_of("q=council", counter)
    filterset, total = search.filterset, search.total
    assert not total.exact
    offered = {f.name: f for f in search.facets}
    outcome = offered["outcome"]
    assert outcome.estimated
    in_sample = [d for d in filterset.qs if d.pk % SAMPLE_BUCKETS < counter.cut_off]
    for option in outcome.options:
        family = next(d.outcome for d in in_sample if d.get_outcome_display() == option.label)
        sampled_count = sum(1 for d in in_sample if d.outcome == family)
        assert option.count == round(sampled_count * counter.scale)
        assert option.shown.startswith("about ")


@pytest.mark.parametrize(
    ("limit", "estimated"),
    [(10_000, False), (5, True)],
)
def test_the_list_page_labels_an_estimated_count(
    client, sample_decisions, settings, limit, estimated
):
    settings.EXACT_COUNT_LIMIT = limit
    settings.COUNT_SAMPLE_ROWS = 55  # 983 of the 1000 buckets: at least 39 decisions
    with connection.cursor() as cursor:
        # The page sizes the sample by PostgreSQL's own row estimate: make it this table's.
        cursor.execute("ANALYZE decisions_decision")
    html = client.get("/?q=council").content.decode()
    count = published().search("council").count()
    heading = results_heading(html)
    if estimated:
        assert re.search(r"of about \d+ decisions", heading), heading
        assert "is estimated from a sample of the archive" in html
        assert "Counts marked “about” are estimated" in html
        assert "(about " in html
    else:
        assert f"of {count} decisions" in heading
        assert "estimated" not in html


def test_the_unfiltered_page_counts_exactly_whatever_the_limit(client, sample_decisions, settings):
    settings.EXACT_COUNT_LIMIT = 5
    html = client.get("/").content.decode()
    assert f"of {published().count()} decisions" in html
    assert "about" not in re.search(r'<aside class="facets".*?</aside>', html, re.S).group(0)


def test_relevance_order_past_the_rank_limit_ranks_the_newest_matches(
    client, sample_decisions, settings
):
    settings.RANK_LIMIT = 3
    matches = published().search("council")
    assert matches.count() > 3
    newest = list(matches.order_by(F("decision_date").desc(nulls_last=True), "-id")[:3])
    html = client.get("/?q=council").content.decode()
    shown = re.findall(r'href="/decisions/([0-9a-z-]+)/\?q=council"', html)
    assert sorted(shown) == sorted(d.slug for d in newest)
    # In relevance order among them.
    assert shown == [d.slug for d in matches.filter(pk__in=[d.pk for d in newest])]
    assert "ranks the newest 3 of the" in html
    # Newest first is not bounded: every match can be paged through.
    html = client.get("/?q=council&sort=newest").content.decode()
    assert "ranks the newest" not in html
    assert f"of {matches.count()} decisions" in html


def test_a_search_is_looked_up_once_for_every_sampled_facet(
    sample_decisions, settings, django_assert_max_num_queries
):
    settings.EXACT_COUNT_LIMIT = 5
    settings.COUNT_SAMPLE_ROWS = 55  # 983 of the 1000 buckets
    counter = Counter(archive_size=56)
    search = search_of("q=council&outcome=upheld", counter)
    with django_assert_max_num_queries(1 + 1 + 6):  # the sample's matches, the total, facets
        total = search.total
        counted = search.facet_counts
    # The outcome facet leaves out its own filter: every outcome among the sample's matches.
    matches = [d for d in published().search("council") if d.pk % SAMPLE_BUCKETS < counter.cut_off]
    expected = {}
    for decision in matches:
        if decision.outcome:
            expected[decision.outcome] = expected.get(decision.outcome, 0) + 1
    assert not counted["outcome"].exact
    assert {row["outcome"]: row["count"] for row in counted["outcome"].rows} == {
        outcome: round(n * counter.scale) for outcome, n in expected.items()
    }
    upheld = sum(1 for d in matches if d.outcome == "upheld")
    if total.exact:  # the sample said few: counted whole
        assert total.value == published().search("council").filter(outcome="upheld").count()
    else:
        assert total.value == round(upheld * counter.scale)

"""Estimated counts stay honest: on an archive large enough to estimate, a broad search's
total and facet counts are within the error the sample's size allows of the exact
figures, and the page labels them "about".

The sample adapts to how common the words are (facets.SearchSample): it stops after
COUNT_SAMPLE_MATCHES matches, so its error is about 1/sqrt(COUNT_SAMPLE_MATCHES). The
tests accept three times that (a 1-in-370 miss for a normal error; the data is seeded,
so a test that passes always passes).
"""

from __future__ import annotations

import math
import random

import pytest
from django.db import connection
from django.http import QueryDict

from decisions.models import Decision
from decisions.querysets import SAMPLE_BUCKETS
from decisions.search.facets import FACETS, count_one
from decisions.search.query import DecisionSearch
from tests.helpers import results_heading

DECISIONS = 4_000
WORDS = {"alpha": 0.6, "beta": 0.25, "gamma": 0.04}  # each word's share of decisions
OUTCOMES = ("upheld", "not_upheld", "closed")


@pytest.fixture
def archive(db, settings):
    """4,000 decisions whose words and outcomes have known shares, inserted in one go
    (the stored search vector is computed by PostgreSQL, as on import)."""
    settings.EXACT_COUNT_LIMIT = 100
    settings.COUNT_SAMPLE_ROWS = DECISIONS // 2  # half the buckets
    settings.COUNT_SAMPLE_MATCHES = 400
    chance = random.Random(14)
    rows = []
    for number in range(DECISIONS):
        words = [word for word, share in WORDS.items() if chance.random() < share]
        rows.append(
            Decision(
                reference=f"24 {number // 1000:03} {number % 1000:03}",
                summary="The complaint " + " ".join(words),
                body_text="The Council considered the complaint.",
                outcome=OUTCOMES[chance.randrange(3)],
                content_hash=f"{number:064}",
                source="test",
            )
        )
    Decision.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE decisions_decision")


def allowed_error(matches: int) -> float:
    return 3 / math.sqrt(matches)


@pytest.mark.parametrize("word", ["alpha", "beta"])
def test_a_broad_searchs_estimate_is_within_the_samples_error(archive, settings, word):
    search = DecisionSearch.from_params(QueryDict(f"q={word}"))
    exact = Decision.objects.published().search(word).count()
    assert exact > settings.EXACT_COUNT_LIMIT
    assert not search.total.exact
    error = abs(search.total.value - exact) / exact
    assert error <= allowed_error(settings.COUNT_SAMPLE_MATCHES), (search.total, exact)


def test_a_common_word_reads_only_as_many_decisions_as_it_needs(archive, settings):
    """The adaptive sample: a word in 60% of decisions fills COUNT_SAMPLE_MATCHES in
    far fewer buckets than the full cut-off, a rare one reads the whole cut-off."""
    common = DecisionSearch.from_params(QueryDict("q=alpha"))
    ids, cut_off = common._sample.matches()
    assert cut_off < common.counter.cut_off / 2
    assert settings.COUNT_SAMPLE_MATCHES * 0.8 <= len(ids) <= settings.COUNT_SAMPLE_MATCHES
    rare = DecisionSearch.from_params(QueryDict("q=gamma"))
    rare_ids, rare_cut_off = rare._sample.matches()
    assert rare_cut_off == rare.counter.cut_off
    in_sample = Decision.objects.search("gamma").values_list("pk", flat=True)
    assert sorted(rare_ids) == sorted(pk for pk in in_sample if pk % SAMPLE_BUCKETS < rare_cut_off)


def test_estimated_facet_counts_are_within_the_samples_error(archive, settings):
    search = DecisionSearch.from_params(QueryDict("q=alpha"))
    outcome = next(facet for facet in search.facets if facet.name == "outcome")
    assert outcome.estimated
    for option in outcome.options:
        [family] = option.changes.values()
        exact = Decision.objects.published().search("alpha").filter(outcome=family).count()
        # Each outcome is about a third of the matches, so about a third of the sample.
        sampled = settings.COUNT_SAMPLE_MATCHES / 3
        assert abs(option.count - exact) / exact <= allowed_error(round(sampled)), (option, exact)


@pytest.mark.parametrize("params", ["q=alpha", "q=beta&outcome=upheld", "q=gamma"])
def test_facets_counted_together_are_what_each_facets_own_query_counts(archive, params):
    """One pass over the sampled matches (facets.count_together) gives each facet the
    counts its own GROUP BY over the same sample gives."""
    search = DecisionSearch.from_params(QueryDict(params))
    together = search.facet_counts
    chosen = search.filterset.form.cleaned_data
    for facet in FACETS:
        if not facet.offered(chosen) or any(chosen.get(n) for n in facet.leaves_out):
            continue
        sample = search._sample.base()
        assert sample is not None
        alone = count_one(
            facet,
            search.counter,
            search.filterset.queryset_without(),
            search.total,
            sample,
            search.today,
        )
        assert together[facet.name].exact == alone.exact
        if isinstance(alone.rows, dict):
            assert together[facet.name].rows == alone.rows, facet.name
        else:
            key = sorted
            assert key(map(sorted_items, together[facet.name].rows)) == key(
                map(sorted_items, alone.rows)
            ), facet.name


def sorted_items(row: dict) -> list:
    return sorted(row.items())


def test_a_broad_filters_sample_adapts_and_its_estimates_are_within_its_error(archive, settings):
    """Filters alone are sampled like a search (facets.SearchSample.own): buckets in
    order until COUNT_SAMPLE_MATCHES decisions, so a filter on a third of the archive
    reads far fewer than the whole sample, and its total and facets rest on about
    COUNT_SAMPLE_MATCHES decisions."""
    search = DecisionSearch.from_params(QueryDict("outcome=upheld"))
    exact = Decision.objects.published().filter(outcome="upheld").count()
    assert not search.total.exact
    sample = search._sample.own()
    assert sample is not None and sample.known is not None
    assert sample.known <= settings.COUNT_SAMPLE_MATCHES
    assert sample.cut_off < search.counter.cut_off
    assert abs(search.total.value - exact) / exact <= allowed_error(sample.known)
    # The outcome facet leaves its own filter out (the fixed sample): its upheld option
    # estimates the same decisions.
    outcome = next(f for f in search.facets if f.name == "outcome")
    [upheld] = [o for o in outcome.options if o.changes == {"outcome": "upheld"}]
    assert abs(upheld.count - exact) / exact <= allowed_error(sample.known)


def test_the_page_says_an_estimate_is_one(client, archive):
    html = client.get("/?q=alpha").content.decode()
    assert "of about " in results_heading(html)
    assert "is estimated from a sample of the archive" in html

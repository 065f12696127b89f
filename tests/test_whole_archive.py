"""The archive's generation and the whole-archive figures cached under it: every kind of
write moves it on, so the unfiltered page never shows counts older than the data."""

from __future__ import annotations

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Category, Decision, Organisation
from decisions.search import whole_archive
from decisions.search.whole_archive import SLOW_SECONDS, WholeArchive, generation
from tests.conftest import FIXTURES
from tests.support.helpers import get_html, results_heading


@pytest.fixture
def never_stale(monkeypatch):
    """Figures are recounted on every new generation however long they took: on a busy
    machine a page may take over SLOW_SECONDS, and then a recount would wait (see
    test_a_costly_figure_outlives_a_few_generations_and_a_cheap_one_none)."""
    monkeypatch.setattr(whole_archive, "SLOW_SECONDS", 3600)


def test_every_kind_of_write_moves_the_generation_on(sample_decisions):
    seen = [generation()]

    def moved() -> bool:
        seen.append(generation())
        return seen[-1] > seen[-2]

    decision = Decision.objects.order_by("pk").first()
    decision.summary += " Corrected."
    decision.save()
    assert moved()
    Decision.objects.filter(pk=decision.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="x"
    )
    assert moved()
    Organisation.objects.filter(pk=decision.organisation_id).update(name="Renamed Council")
    assert moved()
    Category.objects.filter(pk=decision.category_id).update(name="Renamed")
    assert moved()
    Decision.objects.filter(pk=decision.pk).delete()
    assert moved()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE decisions_decision SET needs_review = true WHERE id < 0")
    assert moved()  # a statement that changed no row still counts: cheap and safe


def test_the_unfiltered_page_counts_a_new_import_at_once(
    client, sample_decisions, never_stale, tmp_path
):
    before = Decision.objects.published().count()
    assert f"of {before} decisions" in results_heading(get_html(client, "/"))
    seed = (FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt").read_text(encoding="utf-8")
    (tmp_path / "new.txt").write_text(seed.replace("19 011 560", "19 011 999"), encoding="utf-8")
    run = run_import(iter_sources([tmp_path / "new.txt"]))
    added = Decision.objects.published().count() - before
    assert run.created == added > 0
    assert f"of {before + added} decisions" in results_heading(get_html(client, "/"))


def test_a_withdrawal_leaves_the_unfiltered_counts_at_once(client, sample_decisions, never_stale):
    html = client.get("/").content.decode()
    total = Decision.objects.published().count()
    assert f"of {total} decisions" in results_heading(html)
    Decision.objects.filter(pk=Decision.objects.order_by("pk").first().pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Taken down at the council's request"
    )
    assert f"of {total - 1} decisions" in results_heading(get_html(client, "/"))


def test_the_front_page_is_counted_by_the_index_not_cached(client, sample_decisions):
    """The front page's total and facets come from the search index each time (no
    cached copy to go stale): only the organisation names are cached per generation."""
    client.get("/")  # the test's index built, and the names cached

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries("/") == queries("/")
    assert queries("/?outcome=upheld") == queries("/?outcome=upheld")


def test_the_organisation_list_offers_only_bodies_with_a_public_decision(
    client, sample_decisions, never_stale
):
    decision = Decision.objects.exclude(organisation=None).order_by("pk").first()
    name = escape(decision.organisation.name)
    datalist = re.compile(r'<datalist id="organisation-names">(.*?)</datalist>', re.S)
    assert f'value="{name}"' in datalist.search(client.get("/").content.decode()).group(1)
    Decision.objects.filter(organisation=decision.organisation).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Withdrawn"
    )
    assert f'value="{name}"' not in datalist.search(client.get("/").content.decode()).group(1)


def test_a_costly_figure_outlives_a_few_generations_and_a_cheap_one_none(sample_decisions):
    computed = []

    def slow() -> int:
        time.sleep(SLOW_SECONDS + 0.05)
        computed.append("slow")
        return len(computed)

    def cheap() -> int:
        computed.append("cheap")
        return len(computed)

    assert WholeArchive().cached("slow", slow) == 1
    assert WholeArchive().cached("cheap", cheap) == 2
    Decision.objects.filter(pk=Decision.objects.order_by("pk").first().pk).update(
        needs_review=True
    )  # a new generation, as each batch of an import makes
    assert WholeArchive().cached("slow", slow) == 1  # kept: recounting cost over 0.25 s
    assert WholeArchive().cached("cheap", cheap) == 3  # counted again at once
    assert computed == ["slow", "cheap", "cheap"]

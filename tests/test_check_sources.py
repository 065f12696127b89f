"""`check_sources` against the replay site: stored decisions' pages checked oldest first,
within a budget; removals noted; incomplete copies completed from the full page."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from werkzeug import Response

from decisions.harvesting.checking import check_sources
from decisions.importing.pipeline import run_import
from decisions.importing.sources import SourceRecord, iter_sources
from decisions.models import Decision, HarvestRun, SourcePage
from tests.conftest import FIXTURES
from tests.support.harvest_fixtures import options_for
from tests.support.replay_site import ReplayDecision

pytestmark = pytest.mark.django_db

SEED_PATH = "/decisions/children-s-care-services/child-protection/25-010-721"
SEED_URL = "https://www.lgo.org.uk" + SEED_PATH


def check(site, budget=100, older_than_days=7, **changes):
    return check_sources(
        options_for(site, **changes), older_than_days=older_than_days, budget=budget
    )


@pytest.fixture
def truncated_seed(site):
    """The archive holds the first 2,000 characters of a statement, as scraped; the
    source serves the whole page."""
    text = (FIXTURES / "seeds" / "001_4607d231c94eb0e8.txt").read_text(encoding="utf-8")
    run = run_import([SourceRecord("scraped.jsonl:1", text[:2000], url=SEED_URL)])
    assert run.created == 1
    site.decisions.clear()
    site.add(
        ReplayDecision(
            SEED_PATH,
            "25 010 721",
            "Norfolk County Council",
            date(2025, 12, 15),
            (FIXTURES / "html" / "seed_001.html").read_text(encoding="utf-8"),
        )
    )
    decision = Decision.objects.get(reference="25 010 721")
    assert decision.truncated
    return decision


def test_it_completes_an_incomplete_copy_from_the_full_page(site, truncated_seed):
    run = check(site)

    assert [e.path for e in site.log] == ["/robots.txt", SEED_PATH]
    assert (run.kind, run.status) == (HarvestRun.Kind.CHECK, HarvestRun.Status.FINISHED)
    assert (run.pages_fetched, run.updated) == (1, 1)
    decision = Decision.objects.get(pk=truncated_seed.pk)
    assert not decision.truncated
    assert len(decision.body_text) > len(truncated_seed.body_text)
    full = decision.captures.get(sha256=decision.source_hash)
    assert full.url == site.base_url + SEED_PATH and full.headers["etag"]
    page = SourcePage.objects.get(decision=decision)
    assert page.last_checked_at == page.last_seen_at and page.gone_since is None


def test_a_page_unchanged_since_it_was_fetched_costs_a_304(site, truncated_seed):
    check(site)
    site.log.clear()

    again = check(site, older_than_days=0)

    assert [e.path for e in site.log] == ["/robots.txt", SEED_PATH]
    assert site.log[1].headers["If-None-Match"] == site.decisions[SEED_PATH].etag
    assert (again.not_modified, again.pages_fetched, again.updated) == (1, 0, 0)


def test_a_410_marks_the_decision_no_longer_published_and_its_page_says_so(
    client, site, truncated_seed
):
    site.fault(SEED_PATH, Response("Gone", status=410))

    run = check(site)

    assert run.removed_at_source == 1
    page = SourcePage.objects.get(decision=truncated_seed)
    assert page.gone_reason == "HTTP 410" and page.gone_since is not None
    html = client.get(truncated_seed.get_absolute_url()).content.decode()
    since = timezone.localtime(page.gone_since)
    kept = timezone.localtime(truncated_seed.created_at)
    assert (
        f'No longer published by the Ombudsman since <time datetime="{since:%Y-%m-%d}">'
        f'{since.day} {since:%B %Y}</time>; kept here since <time datetime="{kept:%Y-%m-%d}">'
    ) in html
    # ... and a decision known gone is not asked for again.
    site.log.clear()
    check(site, older_than_days=0)
    assert [e.path for e in site.log] == ["/robots.txt"]


def test_it_checks_the_oldest_checked_first_within_its_budget(site):
    run_import(iter_sources([FIXTURES / "lgo_pages.jsonl"]))
    stored = list(Decision.objects.exclude(url="").order_by("id"))
    never = stored.pop(5)
    # Each of the others checked some days ago: the later the id, the longer ago.
    for days, decision in enumerate(stored, start=10):
        SourcePage.objects.create(
            decision=decision,
            url=decision.url,
            last_checked_at=timezone.now() - timedelta(days=days),
        )

    run = check(site, budget=4)

    assert run.requests == len(site.log) == 4  # robots.txt and three pages
    assert [e.path for e in site.log[1:]] == [
        urlsplit(d.url).path for d in (never, stored[-1], stored[-2])
    ]
    assert (run.status, run.error) == (
        HarvestRun.Status.FINISHED,
        "the budget of 4 requests is spent",
    )


def test_it_leaves_decisions_checked_recently_alone(site, truncated_seed):
    check(site)
    site.log.clear()

    check(site, older_than_days=7)

    assert [e.path for e in site.log] == ["/robots.txt"]


def test_the_command_reports_what_it_did(site, truncated_seed, settings, capsys):
    settings.HARVEST_DELAY_SECONDS = 0.0

    call_command("check_sources", "--base-url", site.base_url, "--budget", "10")

    out = capsys.readouterr().out
    assert "2 requests: 1 pages fetched, 0 not modified (304)" in out
    assert "1 updated" in out

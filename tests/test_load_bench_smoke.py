"""The load benchmark, run for two seconds against this test's database.

Timings belong in bench/, not here: this only checks that the benchmark really starts
gunicorn, that its clients get the list page rendered with rows over HTTP, and that it
stops the server again.
"""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


# transaction=True: the sample decisions are committed, so gunicorn's workers, in other
# processes with their own connections, see them.
@pytest.mark.django_db(transaction=True)
def test_the_load_benchmark_serves_the_list_page_through_gunicorn(sample_decisions):
    from django.db import connection

    from decisions.models import Decision

    command = [sys.executable, "-m", "bench.load_bench", "--json"]
    command += ["--database", connection.settings_dict["NAME"], "--urls", "/,/?q=council"]
    command += ["--clients", "2", "--seconds", "2", "--warmup", "0", "--workers", "1"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout)
    figures = result["results"]
    assert figures["requests"] > 0
    assert figures["errors"] == 0
    assert figures["statuses"] == {"200": figures["requests"]}
    assert result["decisions"] == Decision.objects.published().count()
    per_page = min(20, result["decisions"])
    assert figures["urls"]["/"]["rows"] == per_page
    assert figures["urls"]["/?q=council"]["rows"] > 0
    assert (result["config"]["workers"], result["config"]["clients"]) == (1, 2)


def test_the_load_benchmark_refuses_a_missing_database():
    command = [sys.executable, "-m", "bench.load_bench", "--database", "no_such_database_here"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert finished.returncode != 0
    assert "no_such_database_here" in finished.stderr


@pytest.mark.django_db(transaction=True)
def test_the_mix_requests_distinct_list_urls_once_each_half_of_them_searches(sample_decisions):
    from django.db import connection

    command = [sys.executable, "-m", "bench.load_bench", "--json", "--mix", "60"]
    command += ["--database", connection.settings_dict["NAME"]]
    # No warm-up: it would spend the 60 addresses, each requested once, before measuring.
    command += ["--clients", "2", "--seconds", "20", "--warmup", "0", "--workers", "1"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert finished.returncode == 0, finished.stdout + finished.stderr[-2000:]
    figures = json.loads(finished.stdout)["results"]
    assert figures["errors"] == 0
    # No URL twice, warm-up included; 60 URLs end a 20-second run early.
    assert figures["repeated_urls"] == 0
    assert figures["ended_early"]
    assert figures["warmup_urls"] + figures["requests"] == 60
    kinds = figures["kinds"]
    assert set(kinds) == {"browse", "search"}
    assert abs(kinds["browse"]["requests"] - kinds["search"]["requests"]) <= figures["warmup_urls"]


def test_the_mix_draws_its_searches_from_the_decisions_words(sample_decisions):
    from urllib.parse import parse_qs, urlsplit

    from bench.load_mix import mixed_urls
    from decisions.models import Decision

    mixed = mixed_urls(200, seed=3)
    assert len({url for _, url in mixed}) == 200
    assert [kind for kind, _ in mixed].count("search") == 100
    text = " ".join(
        f"{summary} {body}".lower()
        for summary, body in Decision.objects.values_list("summary", "body_text")
    )
    searched = [parse_qs(urlsplit(url).query)["q"][0] for kind, url in mixed if kind == "search"]
    for words in searched:
        for word in words.strip('"').split():
            assert word in text, words
    assert mixed_urls(200, seed=3) == mixed  # the same URLs for the same seed

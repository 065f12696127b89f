"""The benchmark's corpus generator, run small: deterministic, unique, parseable, importable.

Timings belong in bench/, not here: these tests only check that the benchmark measures
the real pipeline on pages the real parser reads.
"""

from itertools import islice

import pytest

from bench.generate_corpus import generate, write
from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Decision
from decisions.parsing import parse_decision
from decisions.parsing.references import canonical_reference

COUNT, SEED = 200, 11


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, str]]:
    return list(generate(COUNT, SEED))


def url_reference(url: str) -> str:
    return canonical_reference(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])


def test_the_same_seed_gives_the_same_corpus(corpus):
    assert list(generate(COUNT, SEED)) == corpus
    assert list(generate(COUNT, SEED + 1)) != corpus


def test_a_smaller_count_is_a_prefix_of_a_larger_one(corpus):
    assert list(generate(50, SEED)) == corpus[:50]


def test_references_are_unique(corpus):
    references = [url_reference(record["url"]) for record in corpus]
    assert len(set(references)) == COUNT


def test_every_record_parses_to_the_reference_in_its_url(corpus):
    for record in corpus:
        parsed = parse_decision(record["text"], url=record["url"])
        assert parsed.reference == url_reference(record["url"]), record["url"]


def test_the_corpus_has_the_shapes_met_in_the_wild(corpus):
    texts = [record["text"] for record in corpus]
    assert any(text.startswith("Privacy settings") for text in texts)  # cookie banner
    assert any("\nCategory : " not in text for text in texts)  # URL-only header
    assert any("Back to top" in text for text in texts)
    assert any("\n- " in text for text in texts)
    assert any("£" in text and "has agreed to apologise" in text for text in texts)


def test_importing_the_corpus_creates_one_row_per_record(db, tmp_path):
    # Written to a file and read back as `manage.py import_decisions corpus.jsonl` does.
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write(COUNT, SEED, out)
    run = run_import(iter_sources([path]))
    assert (run.created, run.failed) == (COUNT, 0), run.failures
    assert Decision.objects.count() == COUNT


def test_generation_streams(corpus):
    # A generator, not a list: the benchmark's memory does not grow with --count.
    records = generate(10**6, SEED)
    assert next(islice(records, 0, None)) == corpus[0]


def test_the_query_benchmark_requests_every_scenario_from_the_data(db, client, tmp_path):
    # The query benchmark's own functions, on 50 decisions: every page answers 200, each
    # scenario is timed and its queries counted and explained. No timing is asserted.
    from bench.query_bench import SCENARIOS, measure, pick_parameters, scenarios

    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write(50, SEED, out)
    run_import(iter_sources([path]))
    found = scenarios(pick_parameters(per_page=20))
    results = measure(client, found, requests=2, warmup=0, explain_top=1)
    assert [result.scenario.name for result in results] == list(SCENARIOS)
    for result in results:
        assert len(result.timings_ms) == 2 and result.queries > 0
        assert "Execution Time" in result.explains[0][2]
    # Datasette runs in its own virtualenv, absent here; its side of the table is given.
    from bench.query_bench import side_by_side

    theirs = {"datasette": "0.65.5", "decisions": 50}
    theirs |= {
        name: {"p95": 2 * results[index].percentile(95)} for index, name in enumerate(SCENARIOS[:4])
    }
    table = side_by_side(results, theirs).splitlines()
    assert len(table) == 2 + 4  # a heading, the column names, scenarios 1-4 only
    assert all(line.endswith(" 0.50") for line in table[2:])

"""The import benchmark on real text, run tiny: the corpus of the real statements kept
as fixtures (bench/real_corpus.py) imports whole, and `import_bench --real-text` runs
end to end. Timings belong in bench/, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench import real_corpus
from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Decision
from tests.conftest import ROOT, child_process_env


def test_a_real_text_corpus_is_the_real_pages_each_under_a_reference_of_its_own(db, tmp_path):
    statements = real_corpus.real_statements()
    assert len(statements) >= 50  # tests/fixtures/lgo_pages.jsonl and its seeds at least
    path = tmp_path / "real.jsonl"
    count = len(statements) + 10  # every page once, a few twice
    with path.open("w", encoding="utf-8") as out:
        real_corpus.write(count, out)
    run = run_import(iter_sources([path]))
    assert (run.created, run.failed) == (count, 0), run.failures
    assert len(set(Decision.objects.values_list("reference", flat=True))) == count
    # Real text, not generated: the first record is the first real page but its reference.
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == statements[0].text.replace(statements[0].reference, "16 000 001")


def test_the_import_benchmark_runs_on_real_text_at_a_tiny_size(db, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "--real-text", "--count", "20"]
        + ["--database", f"bench_smoke_{os.getpid()}"],
        cwd=ROOT,
        env=child_process_env() | {"BENCH_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    corpus = tmp_path / f"real-corpus-20-v{real_corpus.VERSION}.jsonl"
    assert f"corpus            {corpus}" in result.stdout
    assert "decisions         20 created, 0 failed" in result.stdout
    assert "database size" in result.stdout

"""Import throughput: the real pipeline, a corpus, a fresh database.

    python -m bench import --count 100000            # generates bench/data/corpus-100000-seed1-v3.jsonl once
    python -m bench import --corpus some.jsonl --keep   # an existing file; keep the database
    python -m bench import --count 20 --real-text    # the real statements kept as fixtures
    python -m bench import --count 10000 --profile /tmp/import.prof
    python -m bench import --count 10000 --machine-limit   # what PostgreSQL alone allows

Creates `--database` (archive_bench) afresh on the project's server, migrates it and
imports the corpus exactly as `manage.py import_decisions FILE.jsonl` does,
`run_import(iter_sources([FILE]))`. A second pass parses every record and writes
nothing, to split the cost between parsing and the database. Prints decisions/s end to
end and parse only, peak RSS (the process, its parsing worker, and their PSS together),
the CPU a decision took (this process and its PostgreSQL backend), the database's size
and the load average. The database is dropped at the end unless --keep.

--machine-limit then measures what an import cannot go faster than on this machine: the
rows the pipeline wrote, read back as COPY text in batches of 500 and written again by
1 and then 2 connections at once (a transaction a batch, as the pipeline's), with and
without the captures: nothing left for the client to compute.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.scenarios import machine_limit
from bench.scenarios.corpus import cached_corpus

PROGRESS_EVERY = 10_000
PSS_EVERY = 250  # records between two samples of the PSS of the process and its worker


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=100_000, help="Decisions to generate.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="An existing .jsonl corpus to import.")
    parser.add_argument("--real-text", action="store_true", help="Real statements' text.")
    parser.add_argument("--database", default="archive_bench", help="Created, then dropped.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--profile", type=Path, help="Write cProfile stats of the import here.")
    parser.add_argument("--machine-limit", action="store_true", help="Then the COPY limit.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")


class Progress:
    """Called with each record's result: a progress line now and then, and the peak PSS of
    this process and its parsing worker together, sampled."""

    def __init__(self, every: int = PROGRESS_EVERY, pss_every: int = PSS_EVERY) -> None:
        self.every, self.pss_every = every, pss_every
        self.seen, self.peak_pss_mb = 0, 0.0
        self.started = time.perf_counter()

    def __call__(self, result: Any) -> None:
        self.seen += 1
        if self.seen % self.pss_every == 0:
            self.peak_pss_mb = max(self.peak_pss_mb, common.pss_with_children_mb())
        if self.seen % self.every == 0:
            rate = self.seen / (time.perf_counter() - self.started)
            print(
                f"  {self.seen:,} records, {rate:,.0f}/s, peak RSS {common.peak_rss_mb():.0f} MB,"
                f" load {common.load_average()}",
                file=sys.stderr,
            )


def import_file(corpus: Path, progress: Progress, profile: Path | None = None) -> tuple[Any, dict]:
    """Import `corpus` as `manage.py import_decisions FILE` does; the run, and the seconds
    and CPU it took (this process with its worker, and its PostgreSQL backend, which
    wrote every batch: on a shared machine, what the import itself cost)."""
    from django.conf import settings

    from decisions.importing.pipeline import run_import
    from decisions.importing.sources import ImportLimits, iter_sources

    backend = common.backend_pid()
    backend_before, own_before = common.process_cpu_seconds(backend), common.own_cpu_seconds()
    started = time.perf_counter()
    profiler = cProfile.Profile()
    if profile:
        profiler.enable()
    limits = ImportLimits.from_settings(settings)
    run = run_import(iter_sources([corpus], limits), sources=[str(corpus)], on_result=progress)
    if profile:
        profiler.disable()
        profiler.dump_stats(profile)
    return run, {
        "seconds": time.perf_counter() - started,
        "process_cpu": common.own_cpu_seconds() - own_before,
        "backend_cpu": common.process_cpu_seconds(backend) - backend_before,
    }


def parse_only(corpus: Path) -> tuple[int, float]:
    """(records, seconds): every record read and parsed, nothing written."""
    from decisions.importing.pipeline import parse_record
    from decisions.importing.sources import iter_sources

    started = time.perf_counter()
    records = 0
    for item in iter_sources([corpus]):
        parse_record(item)  # a failure is the record's result, never an exception
        records += 1
    return records, time.perf_counter() - started


def database_sizes() -> dict[str, int]:
    database, table, change_log = common.sql_rows(
        "SELECT pg_database_size(current_database()),"
        " pg_total_relation_size('decisions_decision'),"
        " pg_total_relation_size('decisions_searchchange')"
    )[0]
    return {"database": database, "decisions_table": table, "search_change_log": change_log}


def run(args: argparse.Namespace) -> int:
    corpus = args.corpus or cached_corpus(args.count, args.seed, args.real_text)
    server = common.use_database(args.database, fresh=True)
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        load_before = common.load_average()
        progress = Progress()
        imported, cost = import_file(corpus, progress, args.profile)
        rss_import = common.peak_rss_mb()
        parsed, parse_seconds = parse_only(corpus)
        results = {
            "corpus": str(corpus),
            "corpus_mb": corpus.stat().st_size / 2**20,
            "decisions": imported.created,
            "failed": imported.failed,
            "import_seconds": cost["seconds"],
            "import_per_second": (imported.created + imported.failed) / cost["seconds"],
            "parse_seconds": parse_seconds,
            "parse_per_second": parsed / parse_seconds,
            "peak_rss_import_mb": rss_import,
            "peak_rss_mb": common.peak_rss_mb(),
            "peak_rss_worker_mb": common.children_peak_rss_mb(),
            "peak_pss_mb": progress.peak_pss_mb,
            "cpu": cost,
            "sizes": database_sizes(),
            "machine": common.machine(),
            "load_before": load_before,
            "load_after": common.load_average(),
        }
        if imported.failures:
            print(f"first failures: {imported.failures[:3]}", file=sys.stderr)
        print(json.dumps(results, indent=2) if args.json else report(results))
        if args.machine_limit:
            connections.close_all()
            machine_limit.measure({**server, "NAME": args.database}, imported.created)
    finally:
        connections.close_all()
        if not args.keep:
            common.drop_database(server, args.database)
    if args.profile:
        stats = pstats.Stats(str(args.profile), stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(25)
    return 0


def cpu_line(cpu: dict[str, float], decisions: int) -> str:
    """The CPU a decision took, and the rate two idle cores would allow at that cost."""
    process, backend = (
        1000 * cpu[key] / max(decisions, 1) for key in ("process_cpu", "backend_cpu")
    )
    cores = os.cpu_count() or 1
    return (
        f"CPU a decision    {process:.2f} ms import process (with its parsing worker), "
        f"{backend:.2f} ms PostgreSQL backend: at most "
        f"{cores * 1000 / max(process + backend, 0.001):,.0f}/s on {cores} idle cores"
    )


def report(r: dict[str, Any]) -> str:
    mb = 2**20
    return "\n".join(
        [
            f"corpus            {r['corpus']} ({r['corpus_mb']:.0f} MB)",
            f"decisions         {r['decisions']:,} created, {r['failed']:,} failed",
            f"import            {r['import_seconds']:.1f}s, "
            f"{r['import_per_second']:,.0f} decisions/s end to end (parse + write)",
            f"parse only        {r['parse_seconds']:.1f}s, {r['parse_per_second']:,.0f} decisions/s",
            f"write (derived)   {r['import_seconds'] - r['parse_seconds']:.1f}s "
            "(import time minus parse-only time)",
            f"peak RSS          {r['peak_rss_import_mb']:.0f} MB after the import, "
            f"{r['peak_rss_mb']:.0f} MB at the end; the parsing worker "
            f"{r['peak_rss_worker_mb']:.0f} MB; PSS of both together, "
            f"sampled every {PSS_EVERY} records: at most {r['peak_pss_mb']:.0f} MB",
            cpu_line(r["cpu"], r["decisions"]),
            f"database size     {r['sizes']['database'] / mb:,.0f} MB "
            f"(decisions table {r['sizes']['decisions_table'] / mb:,.0f} MB, "
            f"search change log {r['sizes']['search_change_log'] / mb:,.0f} MB)",
            f"machine           {r['machine']}",
            f"load average      {r['load_before']} before, {r['load_after']} after",
        ]
    )

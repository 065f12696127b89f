"""Soak: many clients for a long time on pages, searches, API calls and downloads, over
HTTP against gunicorn, watching errors, latency and the workers' memory.

    python -m bench soak --clients 50 --minutes 10
    python -m bench soak --database archive_bench_1m --workers 4 --threads 4

gunicorn is started as production starts it (bench/common.py), with WEB_MAX_REQUESTS=0 so
that no worker is replaced and a growing one would show. Each client thread, with its
own keep-alive connection, requests the mix in a shuffled order of its own. Every
`--report-seconds` (60) a line: requests, errors, p50/p95/p99 of that interval and each
worker's resident memory. At the end, the totals by kind and whether memory stayed
flat: the workers' total in the last interval within MEMORY_FLAT_PERCENT of the second
interval's (the first includes warming up: caches, connections, the first of each query
plan). Exits non-zero on any error or growth beyond that.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from bench import common
from bench.scenarios.load import Crowd

MEMORY_FLAT_PERCENT = 10
# The searches people type (issue 14) and filters; a download's search is narrow
# enough to be a file of hundreds of rows, not the whole archive.
SEARCHES = ["council tax", "care home fees", "school transport", "homeless", "parking fine"]
FILTERS = [{"category": "housing"}, {"category": "adult-care-services", "outcome": "upheld"}]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--report-seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, help="WEB_WORKERS (gunicorn.conf.py's).")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (gunicorn.conf.py's).")
    parser.add_argument("--json", action="store_true", help="The summary as JSON, last.")


def the_mix() -> list[tuple[str, str]]:
    """(kind, path) for every request of the mix, from decisions in the database."""
    from decisions.models import Decision, Organisation
    from decisions.parsing.references import reference_slug

    decisions = list(
        Decision.objects.published().order_by("?").values_list("reference", flat=True)[:40]
    )
    organisations = list(Organisation.objects.order_by("?").values_list("slug", flat=True)[:5])
    slugs = [reference_slug(reference) for reference in decisions]
    mix: list[tuple[str, str]] = [("page", "/"), ("page", "/?page=4"), ("page", "/categories/")]
    mix += [("page", f"/decisions/{slug}/") for slug in slugs[:20]]
    mix += [("page", f"/organisations/{slug}/") for slug in organisations if slug]
    for text in SEARCHES:
        mix.append(("search", "/?" + urlencode({"q": text})))
        mix.append(("search", "/?" + urlencode({"q": text, "sort": "relevance"})))
        mix.append(("api", "/api/v1/decisions/?" + urlencode({"q": text})))
    for chosen in FILTERS:
        mix.append(("search", "/?" + urlencode(chosen)))
        mix.append(("api", "/api/v1/decisions/?" + urlencode(chosen)))
    mix += [("api", f"/api/v1/decisions/{slug}/") for slug in slugs[20:30]]
    mix += [("api", "/api/v1/categories/")]
    narrow = {"q": "council tax", "category": "benefits-and-tax", "date_from": "2025-06-01"}
    mix.append(("download", "/download.csv?" + urlencode(narrow)))
    mix.append(("download", "/download.jsonl?" + urlencode({**narrow, "q": "parking fine"})))
    return mix


def interval(number: int, samples: list[tuple[int, float, int]], memory: list[int]) -> dict:
    errors = sum(1 for _, _, status in samples if status != 200)
    latency = common.percentiles([ms for _, ms, _ in samples])
    line = {
        "interval": number,
        "requests": len(samples),
        "errors": errors,
        "latency_ms": latency,
        "worker_memory_mb": memory,
        "load": common.load_average(),
    }
    print(
        f"{datetime.now(UTC):%H:%M:%S} #{number:<3d} requests {len(samples):6d}  errors {errors}"
        f"  p50 {latency.get('p50')}  p95 {latency.get('p95')}  p99 {latency.get('p99')} ms"
        f"  workers MB {sorted(memory)}  load {line['load']}",
        file=sys.stderr,
        flush=True,
    )
    return line


def soak(args: argparse.Namespace, server: common.Gunicorn, mix: list) -> dict[str, Any]:
    crowd = Crowd(server.port, [path for _, path in mix], args.clients, "shuffled")
    intervals: list[dict[str, Any]] = []
    everything: list[tuple[int, float, int]] = []
    crowd.start()
    try:
        ends = time.monotonic() + args.minutes * 60
        while (now := time.monotonic()) < ends:
            time.sleep(min(args.report_seconds, ends - now))
            samples = crowd.take()
            everything += samples
            intervals.append(interval(len(intervals) + 1, samples, server.worker_memory_mb()))
    finally:
        crowd.stop()
    everything += crowd.take()
    kinds = [kind for kind, _ in mix]
    totals = [sum(line["worker_memory_mb"]) for line in intervals]
    baseline = totals[1] if len(totals) > 2 else (totals[0] if totals else 0)
    growth = round(100 * (totals[-1] - baseline) / baseline, 1) if baseline else None
    return {
        "requests": len(everything),
        "errors": sum(1 for _, _, status in everything if status != 200),
        "failures": dict(crowd.failures),
        "first_failure": crowd.first_failure,
        "latency_ms": common.percentiles([ms for _, ms, _ in everything]),
        "by_kind": {
            kind: common.percentiles([ms for w, ms, _ in everything if kinds[w] == kind])
            | {"requests": sum(1 for w, _, _ in everything if kinds[w] == kind)}
            for kind in sorted(set(kinds))
        },
        "intervals": intervals,
        "worker_memory_total_mb": totals,
        "memory_growth_percent": growth,
        "memory_flat": growth is not None and growth <= MEMORY_FLAT_PERCENT,
    }


def run(args: argparse.Namespace) -> int:
    common.use_database(args.database)
    from django.core.management import call_command
    from django.db import connection

    # The shared cache's table, in a database built before it existed.
    call_command("createcachetable", verbosity=0)
    common.catch_up_index()
    mix = the_mix()
    decisions, machine = common.published_decisions(), common.machine()
    web = common.web_settings(args.workers, args.threads, WEB_MAX_REQUESTS="0")
    try:
        with common.serving(**web) as server:
            connection.close()  # gunicorn's are the only connections during the run
            server.start()
            result = soak(args, server, mix) | {"gunicorn": server.describe()}
    except (RuntimeError, KeyboardInterrupt) as error:
        print(f"soak: stopped: {error!r}", file=sys.stderr)
        return 2
    result |= {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "-m", "bench", *args.argv]),
        "database": args.database,
        "decisions": decisions,
        "revision": common.git_revision(),
        "clients": args.clients,
        "minutes": args.minutes,
        "machine": machine,
        "load_after": common.load_average(),
    }
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0 if result["errors"] == 0 and result["requests"] and result["memory_flat"] else 1


def report(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    lines = [
        f"{result['date']}  {result['command']}  (code {result['revision']})",
        f"{result['clients']} clients for {result['minutes']:g} min; {result['decisions']:,}"
        f" published decisions in {result['database']}; {result['machine']} (before);"
        f" load average {result['load_after']} after",
        result["gunicorn"],
        f"requests {result['requests']}  errors {result['errors']} {result['failures'] or ''}"
        f"  p50 {latency.get('p50')}  p95 {latency.get('p95')}  p99 {latency.get('p99')}"
        f"  max {latency.get('max')} ms",
    ]
    for kind, figures in result["by_kind"].items():
        lines.append(
            f"  {kind:9s} {figures['requests']:6d} requests  p50 {figures.get('p50')}"
            f"  p95 {figures.get('p95')}  p99 {figures.get('p99')} ms"
        )
    lines.append(
        f"workers' memory (MB, total per interval) {result['worker_memory_total_mb']}:"
        f" {result['memory_growth_percent']}% from the second interval to the last,"
        f" {'flat' if result['memory_flat'] else 'NOT flat'} (within {MEMORY_FLAT_PERCENT}%)"
    )
    if result["first_failure"]:
        lines.append(f"first failure: {result['first_failure']}")
    return "\n".join(lines)

"""Soak: many clients for a long time on a mix of pages, searches, API calls and
downloads, against gunicorn on loopback, watching errors, latency and memory.

    python -m bench.soak_bench [--database archive_bench] [--clients 50] [--minutes 10]
                               [--report-seconds 60] [--json]

gunicorn is started as in production, from the repository's `gunicorn.conf.py` (its
workers and threads from WEB_WORKERS and WEB_THREADS; WEB_MAX_REQUESTS=0 so that no
worker is replaced and a growing one would show), DEBUG off, the static files collected
into a temporary folder, the shared caches in PostgreSQL (config/shared_state.py). All
clients come from 127.0.0.1, so the per-address API throttle and download limit, meant
for many addresses, are raised for the run; every other setting is the default.

Each client thread, with its own keep-alive connection, requests the mix in a shuffled
order of its own. Every `--report-seconds` (a minute) one line: requests, errors, p50,
p95 and p99 of that interval, and the resident memory of each gunicorn worker. At the
end, the totals and whether memory stayed flat: the workers' total in the last interval
within MEMORY_FLAT_PERCENT of the second interval's (the first includes warming up:
caches, connections, the first of each query plan). Exits non-zero on any error or
growth beyond that.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from bench.load_bench import (
    HOST,
    ROOT,
    STATIC_ROOT_VARIABLE,
    collect_static,
    database_facts,
    database_url,
    free_port,
    git_revision,
    load_average,
    percentiles,
    setup_django,
    stop_gunicorn,
    wait_until_answering,
)

MEMORY_FLAT_PERCENT = 10
# The searches people type (issue 14) and filters; a download's search is narrow
# enough to be a file of hundreds of rows, not the whole archive.
SEARCHES = ["council tax", "care home fees", "school transport", "homeless", "parking fine"]
FILTERS = [{"category": "housing"}, {"category": "adult-care-services", "outcome": "upheld"}]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--report-seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="WEB_WORKERS for gunicorn.")
    parser.add_argument("--threads", type=int, default=4, help="WEB_THREADS for gunicorn.")
    parser.add_argument("--json", action="store_true", help="The summary as JSON, last.")
    args = parser.parse_args(argv)
    if min(args.clients, args.workers, args.threads) < 1 or args.minutes <= 0:
        parser.error("--clients, --workers, --threads and --minutes must be positive")
    if args.report_seconds <= 0:
        parser.error("--report-seconds must be positive")
    return args


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


class Clients:
    """The client threads and what they record, read and emptied at each interval."""

    def __init__(self, port: int, mix: list[tuple[str, str]], count: int) -> None:
        self.port, self.mix, self.count = port, mix, count
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, int]] = []  # (kind, ms, status); 0: exception
        self.failures: Counter = Counter()
        self.first_failure = ""
        self.stop = threading.Event()

    def run(self, number: int) -> None:
        order = list(range(len(self.mix)))
        random.Random(number).shuffle(order)
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        index = 0
        while not self.stop.is_set():
            kind, path = self.mix[order[index % len(order)]]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                status, detail = 0, f"{path}: {error!r}"
            else:
                detail = f"{path}: HTTP {status}"
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.samples.append((kind, elapsed, status))
                if status != 200:
                    self.failures[status] += 1
                    self.first_failure = self.first_failure or detail
        connection.close()

    def take(self) -> list[tuple[str, float, int]]:
        with self.lock:
            taken, self.samples = self.samples, []
        return taken


def worker_memory(master_pid: int) -> dict[int, int]:
    """Resident memory (MB) of each gunicorn worker."""
    import psutil

    try:
        return {
            child.pid: round(child.memory_info().rss / 1024**2)
            for child in psutil.Process(master_pid).children()
        }
    except psutil.Error:
        return {}


def interval_line(number: int, samples: list, memory: dict[int, int]) -> dict[str, Any]:
    errors = sum(1 for _, _, status in samples if status != 200)
    latency = percentiles([ms for _, ms, _ in samples])
    kinds = Counter(kind for kind, _, _ in samples)
    line = {
        "interval": number,
        "requests": len(samples),
        "errors": errors,
        "latency_ms": latency,
        "by_kind": dict(sorted(kinds.items())),
        "worker_memory_mb": list(memory.values()),
        "load": load_average(),
    }
    print(
        f"{datetime.now(UTC):%H:%M:%S} #{number:<3d} requests {len(samples):6d}  errors {errors}"
        f"  p50 {latency.get('p50')}  p95 {latency.get('p95')}  p99 {latency.get('p99')} ms"
        f"  workers MB {sorted(memory.values())}  load {line['load']}",
        file=sys.stderr,
        flush=True,
    )
    return line


def start_server(port: int, url: str, static_root: str, args: argparse.Namespace, log: Any):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ALLOW_INSECURE_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CACHE_URL"}
    }
    environment |= {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        STATIC_ROOT_VARIABLE: static_root,
        "WEB_BIND": f"{HOST}:{port}",
        "WEB_WORKERS": str(args.workers),
        "WEB_THREADS": str(args.threads),
        "WEB_MAX_REQUESTS": "0",
        "WEB_LOG_LEVEL": "warning",
        "LOG_REQUESTS_LEVEL": "WARNING",
        # One client address for all: the per-address limits are for many addresses.
        "API_THROTTLE_RATE": "1000000/min",
        "DOWNLOAD_RATE_LIMIT": "1000000",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    command.append("bench.load_bench:wsgi_application()")
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=log, start_new_session=True
    )
    return server, command


def soak(args: argparse.Namespace, static_root: str, log: Any) -> dict[str, Any]:
    from django.core.management import call_command

    database = setup_django(args.database, static_root)
    # The shared cache's table (migration 0015), in a database built before it.
    call_command("createcachetable", verbosity=0)
    mix = the_mix()
    decisions, postgres = database_facts()
    collect_static()
    port = free_port()
    load_before = load_average()
    server, command = start_server(port, database_url(database), static_root, args, log)
    clients = Clients(port, mix, args.clients)
    intervals: list[dict[str, Any]] = []
    everything: list[tuple[str, float, int]] = []
    try:
        wait_until_answering(server, port, "/", limit=90)
        threads = [
            threading.Thread(target=clients.run, args=(n,), daemon=True)
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        ends = time.monotonic() + args.minutes * 60
        while (now := time.monotonic()) < ends:
            time.sleep(min(args.report_seconds, ends - now))
            samples = clients.take()
            everything += samples
            memory = worker_memory(server.pid)
            intervals.append(interval_line(len(intervals) + 1, samples, memory))
        clients.stop.set()
        for thread in threads:
            thread.join(timeout=150)
        everything += clients.take()
    finally:
        clients.stop.set()
        stop_gunicorn(server)
    return summary(args, intervals, everything, clients, decisions, postgres, load_before, command)


def summary(args, intervals, everything, clients, decisions, postgres, load_before, command):
    totals = [sum(line["worker_memory_mb"]) for line in intervals]
    baseline = totals[1] if len(totals) > 2 else (totals[0] if totals else 0)
    growth = round(100 * (totals[-1] - baseline) / baseline, 1) if baseline else None
    by_kind = {
        kind: percentiles([ms for k, ms, _ in everything if k == kind])
        | {"requests": sum(1 for k, _, _ in everything if k == kind)}
        for kind in sorted({k for k, _, _ in everything})
    }
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "-m", "bench.soak_bench", *args.argv]),
        "gunicorn": f"{shlex.join(command[3:])} (WEB_WORKERS={args.workers},"
        f" WEB_THREADS={args.threads}, WEB_MAX_REQUESTS=0)",
        "database": args.database,
        "decisions": decisions,
        "postgresql": postgres,
        "revision": git_revision(),
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "minutes": args.minutes,
        "load_before": load_before,
        "load_after": load_average(),
        "requests": len(everything),
        "errors": sum(1 for _, _, status in everything if status != 200),
        "failures": {str(status): count for status, count in clients.failures.items()},
        "first_failure": clients.first_failure,
        "latency_ms": percentiles([ms for _, ms, _ in everything]),
        "by_kind": by_kind,
        "intervals": intervals,
        "worker_memory_total_mb": totals,
        "memory_growth_percent": growth,
        "memory_flat": growth is not None and growth <= MEMORY_FLAT_PERCENT,
    }


def report(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    lines = [
        f"{result['date']}  {result['command']}  (code {result['revision']})",
        f"{result['clients']} clients for {result['minutes']:g} min; {result['decisions']:,}"
        f" published decisions in {result['database']}; PostgreSQL {result['postgresql']};"
        f" {result['cpus']} CPUs; load average {result['load_before']} before,"
        f" {result['load_after']} after",
        f"gunicorn {result['gunicorn']}",
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
        f" {'flat' if result['memory_flat'] else 'NOT flat'}"
        f" (within {MEMORY_FLAT_PERCENT}%)"
    )
    if result["first_failure"]:
        lines.append(f"first failure: {result['first_failure']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.argv = argv
    with (
        tempfile.TemporaryDirectory(prefix="soak-static-") as static_root,
        tempfile.TemporaryFile("w+") as log,
    ):
        try:
            result = soak(args, static_root, log)
        except (RuntimeError, KeyboardInterrupt) as error:
            log.seek(0)
            sys.stderr.write(log.read()[-4000:])
            print(f"soak_bench: stopped: {error!r}", file=sys.stderr)
            return 2
        log.seek(0)
        sys.stderr.write(log.read()[-4000:])
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0 if result["errors"] == 0 and result["requests"] and result["memory_flat"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Throughput: list pages under concurrent clients, over HTTP, against gunicorn.

    python -m bench load --clients 16 --seconds 30                   # the front page
    python -m bench load --urls '/?page=2,/?outcome=upheld'          # these in turn
    python -m bench load --clients 16 --mix 5000 --seconds 60 --warmup 0

gunicorn is started as production starts it (bench/common.py) on the database `python -m
bench import --keep` left. Once it answers, `--clients` threads, each with one keep-alive
connection, request the `--urls` in turn, or with --mix N, N distinct list URLs made from
the database, half browsing and half searches, each requested once, warm-up included, so
that no cache of whole pages can stand in for speed (bench/scenarios/distinct_urls.py).
A request's time is from sending it to having read the whole response: queueing in
gunicorn, the view and PostgreSQL. Prints requests/s, statuses, errors, p50/p95/p99,
rows rendered per URL (or per kind of the mix), the CPU taken by the clients and by
gunicorn, and the load average; exits non-zero if any request failed.

The clients share the machine's cores with gunicorn and PostgreSQL: the figures are a
floor for a server whose clients are elsewhere.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import resource
import shlex
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from bench import common

ROW = re.compile(rb'<li class="decision">')  # one per decision listed (decisions/_row.html)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client threads.")
    parser.add_argument("--seconds", type=float, default=30, help="Length of the measured run.")
    parser.add_argument("--warmup", type=float, default=5, help="Seconds of load not counted.")
    parser.add_argument("--workers", type=int, help="WEB_WORKERS (gunicorn.conf.py's).")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (gunicorn.conf.py's).")
    parser.add_argument("--urls", default="/", help="Comma-separated paths, in turn.")
    parser.add_argument(
        "--mix", type=int, nargs="?", const=5000, metavar="N", help="N (5,000) distinct URLs."
    )
    parser.add_argument("--seed", type=int, default=1, help="The --mix URLs' random seed.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")


class Crowd:
    """Client threads, each with its own keep-alive connection, requesting `urls` until
    stopped: in turn (each client from its own offset), each in a shuffled order of its
    own (`shuffled`), or each URL once across all of them (`once`). What they record is
    taken by the caller, a run or an interval at a time."""

    def __init__(self, port: int, urls: list[str], clients: int, order: str = "turn") -> None:
        self.port, self.urls, self.order = port, urls, order
        self.lock = threading.Lock()
        self.samples: list[tuple[int, float, int]] = []  # (url, ms, status); 0: an exception
        self.rows: dict[int, tuple[int, int]] = {}  # url -> (rows, bytes) of its first 200
        self.failures: Counter[str] = Counter()
        self.first_failure = ""
        self.connects = 0
        self.handed_out = 0  # `once`: the URLs given to a client so far
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(clients)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=150)

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)

    def take(self) -> list[tuple[int, float, int]]:
        with self.lock:
            taken, self.samples = self.samples, []
        return taken

    def next_url(self, client: int, count: int, shuffled: list[int]) -> int | None:
        if self.order == "once":
            with self.lock:
                if self.handed_out >= len(self.urls):
                    return None  # every URL requested: the run ends early, and says so
                self.handed_out += 1
                return self.handed_out - 1
        if self.order == "shuffled":
            return shuffled[count % len(shuffled)]
        return (client + count) % len(self.urls)

    def client(self, number: int) -> None:
        shuffled = list(range(len(self.urls)))
        random.Random(number).shuffle(shuffled)
        connection = http.client.HTTPConnection(common.HOST, self.port, timeout=120)
        count = 0
        while not self.stopping.is_set():
            which = self.next_url(number, count, shuffled)
            if which is None:
                break
            count += 1
            started = time.perf_counter()
            try:
                if connection.sock is None:
                    with self.lock:
                        self.connects += 1
                connection.request("GET", self.urls[which])
                response = connection.getresponse()
                body = response.read()
                status, detail = response.status, f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                body, status, detail = b"", 0, type(error).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.samples.append((which, elapsed, status))
                if status == 200 and which not in self.rows:
                    self.rows[which] = (len(ROW.findall(body)), len(body))
                if status != 200:
                    self.failures[detail] += 1
                    self.first_failure = self.first_failure or f"{self.urls[which]}: {detail}"
        connection.close()


def summarise(crowd: Crowd, samples: list, elapsed: float, kinds: list[str] | None) -> dict:
    statuses = Counter(str(status) for _, _, status in samples)
    timings_of: dict[int, list[float]] = {}
    for which, ms, _ in samples:
        timings_of.setdefault(which, []).append(ms)
    per_url: dict[str, dict[str, Any]] = {
        crowd.urls[which]: {
            "kind": kinds[which] if kinds else "",
            "requests": len(timings),
            "rows": crowd.rows.get(which, (None, None))[0],  # the same page for every client
            "bytes": crowd.rows.get(which, (None, None))[1],
            "latency_ms": common.percentiles(timings),
        }
        for which, timings in sorted(timings_of.items())
    }
    found: dict[str, Any] = {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1),
        "elapsed_seconds": round(elapsed, 2),
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(count for status, count in statuses.items() if status != "200"),
        "first_failure": crowd.first_failure,
        "latency_ms": common.percentiles([ms for _, ms, _ in samples]),
        "connections_opened": crowd.connects,
        "distinct_urls": len(per_url),
        "repeated_urls": sum(1 for each in per_url.values() if each["requests"] > 1),
        # A mix's thousands of URLs are summed up by kind, not listed.
        "urls": {} if kinds else per_url,
    }
    if kinds:
        found["kinds"] = {
            kind: {
                "requests": sum(e["requests"] for e in per_url.values() if e["kind"] == kind),
                "latency_ms": common.percentiles(
                    [ms for which, ms, _ in samples if kinds[which] == kind]
                ),
                "pages_without_rows": sum(
                    1 for e in per_url.values() if e["kind"] == kind and e["rows"] == 0
                ),
            }
            for kind in sorted(set(kinds))
        }
    return found


def clients_cpu_seconds() -> float:
    # This process is the clients (its main thread only waits).
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(server: common.Gunicorn, args: argparse.Namespace, kinds: list | None) -> dict:
    """Warm up, then the measured run, with what the machine did meanwhile."""
    import psutil

    crowd = Crowd(server.port, args.urls, args.clients, "once" if kinds else "turn")
    crowd.start()
    time.sleep(args.warmup)
    warmup_urls = len(crowd.take())
    clients_before, server_before = clients_cpu_seconds(), server.cpu_seconds()
    psutil.cpu_percent()  # starts the machine-wide count
    started = time.perf_counter()
    while crowd.running() and time.perf_counter() - started < args.seconds:
        time.sleep(0.05)
    ended_early = not crowd.running()
    crowd.stop()
    elapsed = time.perf_counter() - started
    figures = summarise(crowd, crowd.take(), elapsed, kinds)
    if kinds:
        figures |= {"warmup_urls": warmup_urls, "ended_early": ended_early}
    return {
        "results": figures,
        "cpu_busy_percent": round(psutil.cpu_percent()),
        # The rest of the busy time is PostgreSQL and any other work on the machine.
        "cpu": {
            "clients_seconds": round(clients_cpu_seconds() - clients_before, 2),
            "gunicorn_seconds": round(server.cpu_seconds() - server_before, 2),
        },
    }


def run(args: argparse.Namespace) -> int:
    args.urls = [url.strip() for url in args.urls.split(",") if url.strip()]
    common.use_database(args.database)
    common.catch_up_index()
    kinds = None
    if args.mix:
        from bench.scenarios.distinct_urls import mixed_urls

        mixed = mixed_urls(args.mix, args.seed)
        kinds, args.urls = [kind for kind, _ in mixed], [url for _, url in mixed]
    decisions, machine = common.published_decisions(), common.machine()
    date, load_before = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), common.load_average()
    web = common.web_settings(args.workers, args.threads)
    try:
        with common.serving(**web) as server:
            from django.db import connection

            connection.close()  # gunicorn's are the only connections during the run
            server.start("/" if args.mix else args.urls[0])
            measured = measure(server, args, kinds)
            described = server.describe()
    except (RuntimeError, KeyboardInterrupt) as error:
        print(f"load: stopped: {error!r}", file=sys.stderr)
        return 2
    result = {
        "date": date,
        "command": shlex.join(["python", "-m", "bench", *args.argv]),
        "gunicorn": described,
        "database": args.database,
        "decisions": decisions,
        "revision": common.git_revision(),
        "config": {"clients": args.clients, "seconds": args.seconds, "warmup": args.warmup}
        | {"mix": args.mix, "seed": args.seed},
        "machine": machine,
        "load_before": load_before,
        "load_after": common.load_average(),
        **measured,
    }
    print(json.dumps(result, indent=2) if args.json else report(result))
    figures = result["results"]
    return 1 if figures["errors"] or not figures["requests"] else 0


def report(result: dict[str, Any]) -> str:
    figures, config = result["results"], result["config"]
    latency = figures["latency_ms"]
    lines = [
        f"{result['date']}  {result['command']}  (code {result['revision']})",
        f"{result['gunicorn']}; {config['clients']} client threads, {config['seconds']:g}s"
        f" after {config['warmup']:g}s warm-up; {result['decisions']:,} published decisions in"
        f" {result['database']}",
        f"machine: {result['machine']} (before); load average {result['load_after']} after;"
        f" CPU busy {result['cpu_busy_percent']}% during the run",
        f"CPU seconds in the run: clients {result['cpu']['clients_seconds']},"
        f" gunicorn {result['cpu']['gunicorn_seconds']} (PostgreSQL and anything else: the rest)",
        "",
        f"requests/s {figures['requests_per_second']:.1f}   requests {figures['requests']}"
        f"   errors {figures['errors']}   statuses {figures['statuses']}"
        f"   connections {figures['connections_opened']}",
        f"latency ms  p50 {latency.get('p50')}  p95 {latency.get('p95')}"
        f"  p99 {latency.get('p99')}  max {latency.get('max')}",
    ]
    if figures["first_failure"]:
        lines.append(f"first failure: {figures['first_failure']}")
    if "kinds" in figures:
        lines.append(
            f"the mix: {config['mix']:,} distinct URLs made (seed {config['seed']}),"
            f" {figures['distinct_urls']:,} requested, {figures['repeated_urls']} more than once"
            + ("; the run ended early: every URL was requested" if figures["ended_early"] else "")
        )
        for kind, each in figures["kinds"].items():
            ms = each["latency_ms"]
            lines.append(
                f"{each['requests']:7d} requests  p50 {ms.get('p50')}  p95 {ms.get('p95')}"
                f"  ({each['pages_without_rows']} pages with no rows)  {kind}"
            )
    for url, each in figures["urls"].items():
        ms = each["latency_ms"]
        lines.append(
            f"{each['requests']:7d} requests  p50 {ms.get('p50')}  p95 {ms.get('p95')}"
            f"  rows {each['rows']}  bytes {each['bytes']}  {url}"
        )
    return "\n".join(lines)

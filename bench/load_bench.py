"""Throughput: the list page under concurrent clients, over HTTP, against gunicorn.

    python -m bench.load_bench [--database archive_bench] [--clients 16] [--seconds 30]
                               [--workers N] [--threads T] [--urls /,/?q=...] [--warmup 5]
                               [--json]

Starts gunicorn (`config.wsgi`, DEBUG off, a fresh SECRET_KEY, the static files collected
into a temporary folder as in production) bound to 127.0.0.1 on a free port and pointed
at the benchmark database through DATABASE_URL. Once it answers, `--clients` threads,
each with one keep-alive connection (http.client), request the `--urls` in turn: first
for `--warmup` seconds, not counted, then for `--seconds`. gunicorn's sync workers close
the connection after each response (only gthread, `--threads` above 1, keeps it open),
so with them a client reconnects for every request: "connections" in the report. A request's time is from
sending it to having read the whole response: queueing in gunicorn, the view and
PostgreSQL. Prints requests/s, responses by status, errors and p50/p95/p99; exits
non-zero if any request failed (an exception or a status other than 200).

Everything runs on one machine: the client threads share its cores with gunicorn and
PostgreSQL, and on the 2-core machine of bench/README.md they take a noticeable part of
the CPU (the report says how much). That is the honest set-up for this machine; the
figures are a floor for a server whose clients are elsewhere.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# The default, 2 gthread workers x 4 threads, is not gunicorn's advice of (2 x cores) + 1
# = 5 sync workers. On the 2-core machine, archive_bench (20,000 decisions), 16 clients,
# 20 s runs taken in turn while other work kept the load average at 4-9, requests/s were,
# median (range):
#                      code 66f4bfb, 7 rounds   code 47c1dc4, 3 rounds
#   sync 3                10.5 (4.6-13.2)          20.2 (19.6-22.1)
#   sync 5                 8.4 (6.3-12.0)          22.4 (19.3-22.4)
#   gthread 2 x 4         13.6 (5.8-14.9)          32.4 (30.4-38.7)
#   gthread 3 x 4         10.3 (4 rounds)          41.5 (29.5-43.3)
# gthread 2 x 4 led sync 3 in every round, by 13-90%, at a similar p95. A request
# alternates between Python (25-60 ms of gunicorn CPU, alike in every configuration) and
# waiting for PostgreSQL: a thread that waits lets another run, where a sync worker idles;
# threads also keep the connection open. Part of the lead is surely CPU taken from the
# other work on a busy machine (more runnable threads and PostgreSQL backends), which is
# why 3 x 4, with still more, is not the default. Re-measure on a quiet machine.
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
ROW = re.compile(rb'<li class="decision">')  # one per decision listed (decisions/_row.html)
STATIC_ROOT_VARIABLE = "LOAD_BENCH_STATIC_ROOT"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client threads.")
    parser.add_argument("--seconds", type=float, default=30, help="Length of the measured run.")
    parser.add_argument("--warmup", type=float, default=5, help="Seconds of load not counted.")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers.")
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="Threads a worker (>1: gthread)."
    )
    parser.add_argument(
        "--urls", default="/", help="Comma-separated paths, requested in turn by each client."
    )
    parser.add_argument(
        "--mix",
        type=int,
        nargs="?",
        const=5000,
        metavar="N",
        help="Instead of --urls: N (5,000) distinct list URLs made from the database, half "
        "browsing and filters, half searches (bench/load_mix.py), each requested once.",
    )
    parser.add_argument("--seed", type=int, default=1, help="The --mix URLs' random seed.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args(argv)
    if args.mix is not None and args.mix < 1:
        parser.error("--mix: a positive number of URLs")
    args.urls = [url.strip() for url in args.urls.split(",") if url.strip()]
    if not args.urls or not all(url.startswith("/") for url in args.urls):
        parser.error("--urls: paths starting with /, separated by commas")
    if min(args.clients, args.workers, args.threads) < 1 or args.seconds <= 0:
        parser.error("--clients, --workers, --threads and --seconds must be positive")
    return args


def wsgi_application() -> Any:
    """gunicorn's application: `config.wsgi`'s, reading the static files this run collected.

    Run as `gunicorn "bench.load_bench:wsgi_application()"` in each worker. The only
    difference from `gunicorn config.wsgi` is STATIC_ROOT, which settings do not read
    from the environment; the project's own `staticfiles/` is left alone."""
    if os.environ.get(STATIC_ROOT_VARIABLE):
        from django.conf import settings

        settings.STATIC_ROOT = os.environ[STATIC_ROOT_VARIABLE]  # before django.setup()
    from config.wsgi import application

    return application


# --- the database and the server --------------------------------------------------------


def setup_django(database: str, static_root: str) -> dict[str, Any]:
    """Django in this process, as gunicorn's will be, for the database URL and collectstatic."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"  # the manifest storage, as gunicorn will use
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")  # this process serves nothing
    import django
    from django.conf import settings

    from bench.query_bench import database_exists

    if not database_exists(database):
        raise SystemExit(
            f"database {database!r} not found: python -m bench.import_bench --count 20000 --keep"
        )
    settings.DATABASES["default"]["NAME"] = database
    settings.STATIC_ROOT = static_root
    # The database's own search index, brought up to date before gunicorn starts; its
    # workers find it through the environment they inherit (start_gunicorn).
    index = os.environ.get("SEARCH_INDEX_DIR") or str(ROOT / "bench" / "data" / f"index-{database}")
    os.environ["SEARCH_INDEX_DIR"] = index
    settings.SEARCH_INDEX_DIR = Path(index)
    django.setup()
    from decisions.search import syncing

    syncing.catch_up()
    return settings.DATABASES["default"]


def database_url(database: dict[str, Any]) -> str:
    """DATABASE_URL for config.settings.database_from_url; a socket folder goes in ?host=."""
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    host, query = database.get("HOST") or "", ""
    if host.startswith("/"):
        host, query = "", "?" + urlencode({"host": database["HOST"]})
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'])}{query}"


def database_facts() -> tuple[int, str]:
    """(published decisions, PostgreSQL version), then closes this process's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), current_setting('server_version') FROM decisions_decision"
            " WHERE withdrawn_at IS NULL"
        )
        decisions, version = cursor.fetchone()
    connection.close()  # gunicorn's are the only connections during the run
    return decisions, version


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def worker_class(threads: int) -> str:
    # gunicorn's sync worker has one thread; --threads above 1 needs gthread.
    return "gthread" if threads > 1 else "sync"


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.load_bench:wsgi_application()",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--worker-class={worker_class(threads)}",
        "--log-level=warning",
        "--graceful-timeout=10",
        # Its default control socket is one path per user: two runs at once would clash.
        "--no-control-socket",
    ]


def start_gunicorn(command: list[str], url: str, static_root: str, log: Any) -> subprocess.Popen:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ALLOW_INSECURE_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environment |= {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        STATIC_ROOT_VARIABLE: static_root,
    }
    # Its own session: Ctrl-C reaches this process only, which then stops gunicorn itself.
    return subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=log, start_new_session=True
    )


def wait_until_answering(server: subprocess.Popen, port: int, path: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        connection = http.client.HTTPConnection(HOST, port, timeout=limit)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}")
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer within {limit:.0f}s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    """SIGTERM: gunicorn's graceful stop (workers finish their request); SIGKILL if stuck."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of gunicorn's master and workers so far."""
    import psutil

    total = 0.0
    try:
        master = psutil.Process(pid)
        for process in [master, *master.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
    except psutil.Error:
        pass
    return total


# --- the clients ------------------------------------------------------------------------


class CountingConnection(http.client.HTTPConnection):
    """Reconnects by itself after a `Connection: close` (sync workers close every one)."""

    connects = 0

    def connect(self) -> None:
        super().connect()
        self.connects += 1


@dataclass
class ClientLog:
    """One client's requests; merged after the run, so the clients share no lock."""

    samples: list[tuple[int, float, int]] = field(default_factory=list)  # (url, ms, status)
    exceptions: Counter = field(default_factory=Counter)
    first_exception: str = ""
    rows: dict[int, int] = field(default_factory=dict)  # url -> rows in its first 200
    bytes: dict[int, int] = field(default_factory=dict)
    connects: int = 0


class Feed:
    """The mix's URLs handed out once each, across clients and across the warm-up and
    the run: no URL is requested twice."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.count:
                return None
            self.next += 1
            return self.next - 1


def run_client(port: int, urls: list[str], offset: int, start: threading.Event, run: dict) -> None:
    log: ClientLog = run["logs"][offset]
    feed: Feed | None = run["feed"]
    connection = CountingConnection(HOST, port, timeout=60)
    start.wait()
    index = offset  # each client starts at a different URL, so all are requested at once
    while time.perf_counter() < run["stop_at"]:
        if feed is None:
            which = index % len(urls)
            index += 1
        elif (taken := feed.take()) is None:
            break  # every URL of the mix requested: the run ends early, and says so
        else:
            which = taken
        started = time.perf_counter()
        try:
            connection.request("GET", urls[which])
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            log.exceptions[type(error).__name__] += 1
            log.first_exception = log.first_exception or f"{urls[which]}: {error!r}"
            continue
        log.samples.append((which, (time.perf_counter() - started) * 1000, response.status))
        if response.status == 200 and which not in log.rows:
            log.rows[which] = len(ROW.findall(body))
            log.bytes[which] = len(body)
    connection.close()
    log.connects = connection.connects


def load(
    port: int, urls: list[str], clients: int, seconds: float, feed: Feed | None = None
) -> tuple[list[ClientLog], float]:
    """`clients` threads requesting `urls` for `seconds` (in turn, or each once from
    `feed`); their logs and the elapsed time."""
    start = threading.Event()
    run: dict[str, Any] = {
        "logs": [ClientLog() for _ in range(clients)],
        "stop_at": 0.0,
        "feed": feed,
    }
    threads = [
        threading.Thread(target=run_client, args=(port, urls, n, start, run), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    run["stop_at"] = began + seconds
    start.set()
    for thread in threads:
        thread.join()
    # Requests under way at stop_at are finished and counted, so the time runs until then.
    return run["logs"], time.perf_counter() - began


def by_kind(logs: list[ClientLog], kinds: list[str], per_url: dict[str, Any]) -> dict[str, Any]:
    """The mix's figures by kind of URL (browse, search): requests, latency, rows."""
    found: dict[str, Any] = {}
    for kind in sorted(set(kinds)):
        timings = [ms for log in logs for which, ms, _ in log.samples if kinds[which] == kind]
        rows = [each["rows"] for url, each in per_url.items() if each["kind"] == kind]
        empty = sum(1 for n in rows if n == 0)
        found[kind] = {
            "requests": len(timings),
            "latency_ms": percentiles(timings),
            "pages_without_rows": empty,
        }
    return found


# --- the results ------------------------------------------------------------------------


def percentiles(timings: list[float]) -> dict[str, float]:
    if not timings:
        return {}
    if len(timings) == 1:
        return dict.fromkeys(("p50", "p95", "p99", "max"), round(timings[0], 1))
    # quantiles(n=100): the 1st..99th percentiles, interpolated between samples.
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    found = {f"p{p}": cuts[p - 1] for p in (50, 95, 99)} | {"max": max(timings)}
    return {key: round(value, 1) for key, value in found.items()}


def summarise(
    logs: list[ClientLog], elapsed: float, urls: list[str], kinds: list[str] | None = None
) -> dict[str, Any]:
    samples = [sample for log in logs for sample in log.samples]
    statuses = Counter(str(status) for _, _, status in samples)
    exceptions = sum((log.exceptions for log in logs), Counter())
    failed = sum(count for status, count in statuses.items() if status != "200")
    per_url: dict[str, Any] = {}
    timings_of: dict[int, list[float]] = {}
    for index, ms, _ in samples:
        timings_of.setdefault(index, []).append(ms)
    for which, url in enumerate(urls):
        if kinds is not None and which not in timings_of:
            continue  # a URL of the mix the run did not reach
        rows = [log.rows[which] for log in logs if which in log.rows]
        sizes = [log.bytes[which] for log in logs if which in log.bytes]
        timings = timings_of.get(which, [])
        per_url[url] = {
            "kind": kinds[which] if kinds is not None else "",
            "requests": len(timings),
            "rows": min(rows) if rows else None,  # the same page for every client
            "bytes": min(sizes) if sizes else None,
            "latency_ms": percentiles(timings),
        }
    return {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1),
        "elapsed_seconds": round(elapsed, 2),
        "statuses": dict(sorted(statuses.items())),
        "exceptions": dict(exceptions),
        "first_exception": next((log.first_exception for log in logs if log.first_exception), ""),
        "errors": failed + sum(exceptions.values()),
        "latency_ms": percentiles([ms for _, ms, _ in samples]),
        "connections_opened": sum(log.connects for log in logs),
        **({"kinds": by_kind(logs, kinds, per_url)} if kinds is not None else {}),
        # A mix's thousands of URLs are summed up by kind, not listed.
        "urls": per_url if kinds is None else {},
        "distinct_urls": len(per_url),
        "repeated_urls": sum(1 for each in per_url.values() if each["requests"] > 1),
    }


def git_revision() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return described.stdout.strip() or "unknown"


def report(result: dict[str, Any]) -> str:
    figures, config, machine = result["results"], result["config"], result["machine"]
    latency = figures["latency_ms"]
    lines = [
        f"{result['date']}  {result['command']}",
        f"gunicorn: {config['workers']} {config['worker_class']} workers x {config['threads']}"
        f" threads; {config['clients']} client threads, {config['seconds']:g}s after"
        f" {config['warmup']:g}s warm-up; {result['decisions']:,} published decisions in"
        f" {result['database']}; code {result['revision']}",
        f"server: {result['gunicorn']}",
        f"machine: {machine['cpus']} CPUs, Python {machine['python']}, PostgreSQL"
        f" {machine['postgresql']}; load average"
        f" {machine['load_before']} before, {machine['load_after']} after; CPU busy"
        f" {machine['cpu_busy_percent']}% during the run",
        f"CPU seconds in the run: clients {result['cpu']['clients_seconds']},"
        f" gunicorn {result['cpu']['gunicorn_seconds']} (PostgreSQL and anything else: the rest)."
        " The clients run on the same cores as the server.",
        "",
        f"requests/s {figures['requests_per_second']:.1f}   requests {figures['requests']}"
        f"   errors {figures['errors']}   statuses {figures['statuses']}"
        f"   connections {figures['connections_opened']}",
        f"latency ms  p50 {latency.get('p50')}  p95 {latency.get('p95')}"
        f"  p99 {latency.get('p99')}  max {latency.get('max')}",
    ]
    if figures["exceptions"]:
        lines.append(f"exceptions {figures['exceptions']}; first: {figures['first_exception']}")
    lines.append("")
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


# --- running it -------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(server: subprocess.Popen, port: int, args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then the measured run, with what the machine did meanwhile."""
    import psutil

    wait_until_answering(server, port, "/" if args.mix else args.urls[0], limit=60)
    # The mix's URLs are each requested once: the warm-up takes the first of them.
    feed = Feed(len(args.urls)) if args.mix else None
    if args.warmup > 0:
        print(f"warming up {args.warmup:g}s", file=sys.stderr)
        load(port, args.urls, args.clients, args.warmup, feed)
    warmed = feed.next if feed else 0
    print(f"measuring {args.seconds:g}s with {args.clients} clients", file=sys.stderr)
    clients_before = resource.getrusage(resource.RUSAGE_SELF)
    server_before = server_cpu_seconds(server.pid)
    psutil.cpu_percent()  # starts the machine-wide count
    logs, elapsed = load(port, args.urls, args.clients, args.seconds, feed)
    busy = psutil.cpu_percent()
    server_seconds = server_cpu_seconds(server.pid) - server_before
    clients_after = resource.getrusage(resource.RUSAGE_SELF)
    clients_seconds = sum(
        getattr(clients_after, key) - getattr(clients_before, key)
        for key in ("ru_utime", "ru_stime")
    )
    return {
        "load_after": load_average(),
        "cpu_busy_percent": round(busy),
        # This process is the clients (its main thread only waits); gunicorn is the
        # master and its workers; the rest of the busy time is PostgreSQL and other work.
        "cpu": {
            "clients_seconds": round(clients_seconds, 2),
            "gunicorn_seconds": round(server_seconds, 2),
        },
        "results": summarise(logs, elapsed, args.urls, args.kinds)
        | (
            {"warmup_urls": warmed, "ended_early": bool(feed and feed.next >= feed.count)}
            if feed
            else {}
        ),
    }


def benchmark(args: argparse.Namespace, static_root: str, log: Any) -> dict[str, Any]:
    database = setup_django(args.database, static_root)
    args.kinds = None
    if args.mix:
        from bench.load_mix import mixed_urls

        mixed = mixed_urls(args.mix, args.seed)
        args.kinds = [kind for kind, _ in mixed]
        args.urls = [url for _, url in mixed]
    decisions, postgres = database_facts()
    collect_static()
    date, load_before = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), load_average()
    port = free_port()
    command = gunicorn_command(port, args.workers, args.threads)
    server = start_gunicorn(command, database_url(database), static_root, log)
    print(f"gunicorn on {HOST}:{port}", file=sys.stderr)
    try:
        measured = measure(server, port, args)
    finally:
        stop_gunicorn(server)
    return {
        "date": date,
        "command": shlex.join(["python", "-m", "bench.load_bench", *args.argv]),
        "gunicorn": shlex.join(["gunicorn", *command[3:]]),
        "database": args.database,
        "decisions": decisions,
        "revision": git_revision(),
        "config": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": worker_class(args.threads),
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "urls": args.urls if not args.mix else [],
            "mix": args.mix,
            "seed": args.seed,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": postgres,
            "load_before": load_before,
            "load_after": measured["load_after"],
            "cpu_busy_percent": measured["cpu_busy_percent"],
        },
        "cpu": measured["cpu"],
        "results": measured["results"],
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.argv = argv
    # A plain `kill` stops gunicorn too: SystemExit runs the `finally` that stops it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with (
        tempfile.TemporaryDirectory(prefix="load-bench-static-") as static_root,
        tempfile.TemporaryFile("w+") as log,
    ):
        try:
            result = benchmark(args, static_root, log)
        except (RuntimeError, KeyboardInterrupt) as error:
            log.seek(0)
            sys.stderr.write(log.read()[-4000:])
            print(f"load_bench: stopped: {error!r}", file=sys.stderr)
            return 130 if isinstance(error, KeyboardInterrupt) else 2
        log.seek(0)
        sys.stderr.write(log.read()[-4000:])  # gunicorn's warnings and errors, if any
    print(json.dumps(result, indent=2) if args.json else report(result))
    figures = result["results"]
    return 1 if figures["errors"] or not figures["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The search pages against the search engine's own limit (issue 24).

    python -m bench.engine_bench [--database archive_bench] [--requests 50] [--warmup 5]

For each search scenario of bench/query_bench.py (the list pages with words, and the
filters-only pages beside them), on the database `bench.import_bench --keep` left:

- **HTTP**: the page requested over HTTP from gunicorn, started with gunicorn.conf.py's
  own settings (preloaded, its workers and threads), one request at a time, warm;
  p50 and p95 of the time from sending the request to having read the whole response.
- **direct**: the very engine calls `DecisionSearch` made for that page (the count, the
  ranked or keyed top of the page, the facets' aggregations, the snippets), captured
  once in this process by wrapping `decisions.search.engine` and `highlight.snippets`,
  then replayed against the same index the same number of times; p95 of a replay.

It prints both, their ratio, and the target: the page's p95 at most max(2 x direct,
direct + 20 ms). The load average is printed beside the figures: start it only on a
quiet machine (under 1.5), or the figures are not results.
"""

from __future__ import annotations

import argparse
import http.client
import os
import runpy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.load_bench import (
    HOST,
    ROOT,
    free_port,
    gunicorn_command,
    load_average,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
    wait_until_answering,
)

# The scenarios whose pages read the index (query_bench's numbering).
SEARCH_SCENARIOS = (2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 15)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=0, help="0: gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, default=0, help="0: gunicorn.conf.py's")
    return parser.parse_args(argv)


def p(values: list[float], percent: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def captured_calls(url: str) -> list[Call]:
    """The engine calls the page at `url` makes, in order (rendered once through Django's
    test client in this process)."""
    from django.test import Client

    from decisions.search import engine, query

    calls: list[Call] = []
    originals: dict[tuple[Any, str], Any] = {}

    def wrap(module: Any, name: str) -> None:
        original = getattr(module, name)
        originals[(module, name)] = original

        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append((original, args, kwargs))
            return original(*args, **kwargs)

        setattr(module, name, recorded)

    for name in ("count", "ranked", "by_key", "largest_first", "aggregate"):
        wrap(engine, name)
    wrap(query, "snippets")  # the name query.py calls it by
    try:
        response = Client().get(url, HTTP_HOST=HOST)
        assert response.status_code in (200, 302), (url, response.status_code)
    finally:
        for (module, name), original in originals.items():
            setattr(module, name, original)
    return calls


def replay(calls: list[Call], times: int) -> list[float]:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        for function, args, kwargs in calls:
            function(*args, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def over_http(port: int, url: str, times: int) -> list[float]:
    timings = []
    for _ in range(times):
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        connection.close()
        assert response.status in (200, 302), (url, response.status)
    return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("ALLOWED_HOSTS", HOST)  # this process renders pages too
    static_root = tempfile.mkdtemp(prefix="engine-bench-static-")
    database = setup_django(args.database, static_root)
    from django.core.management import call_command

    from bench.load_bench import database_url
    from bench.query_bench import pick_parameters, scenarios
    from decisions.models import Decision

    call_command("collectstatic", interactive=False, verbosity=0)
    decisions = Decision.objects.published().count()
    chosen = [scenarios(pick_parameters(per_page=20))[n - 1] for n in SEARCH_SCENARIOS]
    # gunicorn.conf.py's own values, as production reads them.
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers = args.workers or int(conf["workers"])
    threads = args.threads or int(conf["threads"])
    port = free_port()
    with open(os.path.join(static_root, "gunicorn.log"), "ab") as log:
        command = gunicorn_command(port, workers, threads) + ["--preload"]
        server = start_gunicorn(command, database_url(database), static_root, log)
        try:
            wait_until_answering(server, port, "/", 60)
            print(f"{decisions:,} decisions; gunicorn {workers} x {threads}, preloaded")
            print(f"load average at the start: {load_average()}")
            print(
                f"{'scenario':40} {'HTTP p50':>9} {'HTTP p95':>9} {'direct p95':>11}"
                f" {'ratio':>6} {'target':>8}"
            )
            for scenario in chosen:
                url = scenario.urls[0]
                calls = captured_calls(url)
                replay(calls, args.warmup)
                direct = replay(calls, args.requests)
                over_http(port, url, args.warmup)
                web = over_http(port, url, args.requests)
                d95, w95 = p(direct, 95), p(web, 95)
                target = max(2 * d95, d95 + 20)
                verdict = "ok" if w95 <= target else "MISSED"
                print(
                    f"{scenario.name:40} {p(web, 50):8.1f}  {w95:8.1f}  {d95:10.1f}"
                    f"  {w95 / max(d95, 0.001):5.1f}  {target:6.1f} {verdict}"
                )
            print(f"load average at the end: {load_average()}")
        finally:
            stop_gunicorn(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())

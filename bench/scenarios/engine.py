"""The search pages against the search engine's own limit (issue 24): HTTP side by side
with the engine calls each page makes.

    SEARCH_INDEX_DIR=bench/data/index-archive_bench python -m bench engine --requests 50 --warmup 5

For each of the query mix's scenarios that read the index (the list pages with words,
and the filters-only pages beside them), on the database `python -m bench import --keep`
left:

- **HTTP**: the page requested over HTTP from gunicorn, started from gunicorn.conf.py
  (preloaded, its workers and threads), one request at a time, warm; p50 and p95 from
  sending the request to having read the whole response.
- **direct**: the very engine calls `DecisionSearch` made for that page (the count, the
  ranked or keyed top of the page, the facets' aggregations, the snippets), captured
  once in this process by wrapping `decisions.search.engine` and the snippets, then
  replayed against the same index as many times; p95 of a replay.

It prints both, their ratio, and the target: the page's p95 at most max(2 x direct,
direct + 20 ms), with the load average at the start and the end: start it only on a
quiet machine (under 1.5), or the figures are not results.
"""

from __future__ import annotations

import argparse
import http.client
import time
from collections.abc import Callable
from typing import Any

from bench import common

# The query mix's scenarios whose pages read the index (bench/scenarios/mix.py).
SEARCH_SCENARIOS = (2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 15)
Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, help="WEB_WORKERS (gunicorn.conf.py's).")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (gunicorn.conf.py's).")


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
        response = Client().get(url)
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
        connection = http.client.HTTPConnection(common.HOST, port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        connection.close()
        assert response.status in (200, 302), (url, response.status)
    return timings


def run(args: argparse.Namespace) -> int:
    from bench.scenarios.mix import pick_parameters, scenarios

    common.use_database(args.database)
    common.catch_up_index()
    decisions = common.published_decisions()
    pages = scenarios(pick_parameters(per_page=20))
    web = common.web_settings(args.workers, args.threads)
    with common.serving(**web) as server:
        server.start()
        # After collectstatic: this process renders with the manifest it wrote, as gunicorn.
        common.in_process_requests()
        print(f"{decisions:,} decisions; {server.describe()}")
        print(f"load average at the start: {common.load_average()}")
        print(
            f"{'scenario':40} {'HTTP p50':>9} {'HTTP p95':>9} {'direct p95':>11}"
            f" {'ratio':>6} {'target':>8}"
        )
        for number in SEARCH_SCENARIOS:
            scenario = pages[number - 1]
            url = scenario.urls[0]
            calls = captured_calls(url)
            replay(calls, args.warmup)
            direct = replay(calls, args.requests)
            over_http(server.port, url, args.warmup)
            http_ms = over_http(server.port, url, args.requests)
            d95, w95 = common.percentile(direct, 95), common.percentile(http_ms, 95)
            target = max(2 * d95, d95 + 20)
            print(
                f"{scenario.name:40} {common.percentile(http_ms, 50):8.1f}  {w95:8.1f}"
                f"  {d95:10.1f}  {w95 / max(d95, 0.001):5.1f}  {target:6.1f}"
                f" {'ok' if w95 <= target else 'MISSED'}"
            )
        print(f"load average at the end: {common.load_average()}")
    return 0

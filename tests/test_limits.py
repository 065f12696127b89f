"""Counting per client in PostgreSQL (decisions/limits.py), under real concurrency: many
threads, each with its own database connection, hitting the counter itself, and a live
server answering parallel API requests and downloads against their limits."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connections
from django.test import override_settings

from config.shared_state import caches_from_url
from decisions import limits
from decisions.models import RateCounter

T = TypeVar("T")


def at_once(count: int, work: Callable[[], T]) -> list[T]:
    """`work()` in `count` threads released together, each closing its connection after."""
    start = threading.Barrier(count)

    def one() -> T:
        start.wait()
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: one(), range(count)))


def test_parallel_hits_on_their_own_connections_each_count_once(transactional_db):
    counts = at_once(40, lambda: limits.hit("api", "192.0.2.1", 60))
    assert sorted(counts) == list(range(1, 41))
    assert RateCounter.objects.get(scope="api", key="192.0.2.1").hits == 40


def test_each_scope_client_and_window_counts_apart(db):
    now = 1_800_000_000.0  # a whole minute
    assert limits.hit("api", "192.0.2.1", 60, now=now) == 1
    assert limits.hit("api", "192.0.2.1", 60, now=now + 59) == 2
    assert limits.hit("api", "192.0.2.2", 60, now=now) == 1
    assert limits.hit("download", "192.0.2.1", 60, now=now) == 1
    assert limits.hit("api", "192.0.2.1", 60, now=now + 60) == 1  # the next minute
    assert limits.seconds_left(60, now + 15.5) == 45


def test_a_new_window_clears_away_ended_ones(db):
    now = 1_800_000_000.0
    for client in range(5):
        limits.hit("api", f"192.0.2.{client}", 60, now=now)
    assert RateCounter.objects.count() == 5
    limits.hit("api", "192.0.2.9", 60, now=now + 600)
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["192.0.2.9"]


def statuses(url: str, count: int) -> Counter[int]:
    """The answers to `count` parallel GETs, all in one minute's window."""
    if (left := limits.seconds_left(60)) < 10:
        time.sleep(left)

    def get() -> int:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    return Counter(at_once(count, get))


# The caches as in production (the tests' default cache is this process's memory), so
# nothing but the counter itself may hold the parallel requests back.
PRODUCTION_CACHES = caches_from_url("")


@override_settings(API_THROTTLE_RATE="10/min", CACHES=PRODUCTION_CACHES)
def test_parallel_api_requests_past_the_rate_are_refused(live_server):
    answers = statuses(f"{live_server.url}/api/v1/categories/", 30)
    assert answers == {200: 10, 429: 20}


@override_settings(
    DOWNLOAD_RATE_LIMIT=5,
    DOWNLOAD_RATE_WINDOW_SECONDS=60,
    CACHES=PRODUCTION_CACHES,
    # The rate alone: how many run at once is tests/test_concurrent_downloads.py's.
    DOWNLOADS_CONCURRENT_PER_CLIENT=20,
    DOWNLOADS_CONCURRENT_TOTAL=20,
)
def test_parallel_downloads_past_the_limit_are_refused(live_server):
    answers = statuses(f"{live_server.url}/download.csv", 20)
    assert answers == {200: 5, 429: 15}

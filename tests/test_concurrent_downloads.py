"""How many downloads stream at once: at most DOWNLOADS_CONCURRENT_PER_CLIENT of one
client's and DOWNLOADS_CONCURRENT_TOTAL of everyone's (decisions.limits.take_slot), past
which the answer is 429 with Retry-After; and the health probe and pages answering while
the slowest downloads hold their threads, against gunicorn as in production."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections

from decisions import limits
from decisions.search.syncing import catch_up
from tests.conftest import database_url
from tests.support.fault_server import Response, WebServer


@contextmanager
def held_elsewhere(take) -> Iterator[list]:
    """What `take()` returns, taken in a thread of its own (its own connection) and held
    until the block ends, when the thread releases it and closes its connection."""
    taken: list = []
    ready, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            taken.append(take())
            ready.set()
            done.wait(30)
            if taken[0] is not None:
                taken[0].release()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(30)
    try:
        yield taken
    finally:
        done.set()
        thread.join()


def test_a_client_holds_at_most_its_slots_and_everyone_at_most_the_total(transactional_db):
    def slot(client: str):
        return lambda: limits.take_slot("download", client, 2, 3)

    with held_elsewhere(slot("192.0.2.1")) as first, held_elsewhere(slot("192.0.2.1")) as second:
        assert first[0] is not None and second[0] is not None
        with held_elsewhere(slot("192.0.2.1")) as third:
            assert third == [None]  # the client's two are taken
        with held_elsewhere(slot("192.0.2.2")) as other:
            assert other[0] is not None  # another client's: the third of all three
            with held_elsewhere(slot("192.0.2.3")) as fourth:
                assert fourth == [None]  # every slot is taken
    # Released: free again.
    with held_elsewhere(slot("192.0.2.3")) as again:
        assert again[0] is not None


def test_a_slot_goes_with_its_connection(transactional_db):
    taken = limits.take_slot("download", "192.0.2.1", 1, 1)
    assert taken is not None
    connection.close()  # as a worker killed mid-download closes its connections
    with held_elsewhere(lambda: limits.take_slot("download", "192.0.2.1", 1, 1)) as again:
        assert again[0] is not None


# --- against gunicorn -------------------------------------------------------------------------

# The web server of tests/support/fault_server.py runs 1 worker of 4 threads: three downloads at
# most leave one thread for everything else.
TOTAL = 3


def client(number: int) -> dict[str, str]:
    """Headers of a request from client address 10.0.0.`number` (behind a proxy)."""
    return {"X-Forwarded-For": f"10.0.0.{number}"}


def slots_held(database: psycopg.Connection) -> int:
    row = database.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s",
        [limits.TOTAL_SLOT_SPACE],
    ).fetchone()
    return row[0] if row else 0


def wait_for_slots(database: psycopg.Connection, count: int) -> None:
    deadline = time.monotonic() + 20
    while slots_held(database) != count:
        assert time.monotonic() < deadline, f"{slots_held(database)} slots held, not {count}"
        time.sleep(0.05)


@pytest.fixture
def web(transactional_db, sample_decisions, search_index, tmp_path) -> Iterator[WebServer]:
    """gunicorn against this test's database, with a search index built for it."""
    catch_up()
    server = WebServer(
        database_url(),
        tmp_path / "gunicorn.log",
        SEARCH_INDEX_DIR=str(search_index),
        BEHIND_PROXY="1",
        SECURE_SSL_REDIRECT="0",
        DOWNLOADS_CONCURRENT_PER_CLIENT="2",
        DOWNLOADS_CONCURRENT_TOTAL=str(TOTAL),
        # The downloads below wait on a lock for seconds; the web's 5 s must not end them.
        DB_STATEMENT_TIMEOUT_MS="60000",
    )
    server.start()
    yield server
    server.stop()


def test_downloads_past_the_slots_are_refused_and_the_site_answers_meanwhile(web):
    settings = connection.settings_dict
    database = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
        autocommit=True,
    )
    # Every download's rows wait on this lock: as slow as a download can be.
    database.execute("BEGIN")
    database.execute("LOCK TABLE decisions_decision IN ACCESS EXCLUSIVE MODE")
    pool = ThreadPoolExecutor(max_workers=8)
    running: list[Future[Response]] = []
    try:

        def download(number: int) -> Future[Response]:
            return pool.submit(web.get, "/download.csv", 60, client(number))

        running += [download(1), download(1)]
        wait_for_slots(database, 2)
        refused = web.get("/download.csv", headers=client(1))
        assert refused.status == 429, refused.body  # the client's two are streaming
        assert refused.headers["Retry-After"] == "10"
        assert "Too many downloads are running" in refused.body

        running.append(download(2))
        wait_for_slots(database, TOTAL)
        for number in (3, 4, 5):
            refused = web.get("/download.csv", headers=client(number), timeout=10)
            assert refused.status == 429, refused.body  # every slot is taken
            assert refused.seconds < 5

        health = web.get("/healthz", timeout=10)
        assert (health.status, health.body) == (200, "ok\n")
        assert health.seconds < 2
        assert web.get("/api/v1/", timeout=10).status == 200
        assert not any(future.done() for future in running)  # still held up
    finally:
        database.execute("COMMIT")  # the lock goes: the downloads finish
        answers = [future.result(60) for future in running]
        pool.shutdown()
    try:
        assert [answer.status for answer in answers] == [200, 200, 200]
        assert all("19-011-560" in answer.body for answer in answers)
        wait_for_slots(database, 0)  # each released its slot
        assert web.get("/download.csv", headers=client(3)).status == 200
    finally:
        database.close()

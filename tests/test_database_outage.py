"""The database stopped, frozen or restarted under a running web server: pages fail fast
with the 503 page, and the site recovers by itself when the database is back.

Each test runs gunicorn (config.wsgi, as in production) against a PostgreSQL server of
this module's own (tests/support/fault_server.py), never the shared one.
"""

from __future__ import annotations

import json
import threading
import time

import psycopg

from tests.support.fault_server import (
    DevServer,
    FaultServer,
    WebServer,
    database,
    fault_database,
    web_server,
)

__all__ = ["database", "fault_database", "web_server"]  # fixtures, used by being imported


# The bound; the measured times are about 0.01 s (stopped) and 5 s (frozen).
FAIL_FAST_SECONDS = 10


def assert_unavailable_page(response) -> None:
    assert response.status == 503
    assert response.seconds < FAIL_FAST_SECONDS
    assert response.headers["Retry-After"] == "10"
    assert "The archive is briefly unavailable" in response.body
    # The request id, for a person to quote, is the one the response carries.
    assert response.headers["X-Request-ID"] in response.body


def test_a_stopped_database_gives_the_503_page_at_once_and_the_site_recovers(
    web_server: WebServer, database: FaultServer
) -> None:
    assert web_server.get("/").status == 200  # a kept connection, from now on broken
    database.stop()

    assert_unavailable_page(web_server.get("/"))
    assert_unavailable_page(web_server.get("/decisions/19-011-560/"))
    assert web_server.get("/readyz").status == 503
    assert web_server.get("/healthz").status == 200  # the process itself is fine

    database.start()
    assert web_server.wait_for("/", 200, limit=FAIL_FAST_SECONDS).status == 200
    assert web_server.get("/readyz").status == 200


def test_a_frozen_database_gives_the_503_page_within_10_seconds_and_the_site_recovers(
    web_server: WebServer, database: FaultServer
) -> None:
    assert web_server.get("/").status == 200
    database.freeze()  # kill -STOP: sockets open, nothing answers, nothing is refused

    assert_unavailable_page(web_server.get("/"))  # on the kept connection
    assert_unavailable_page(web_server.get("/"))  # on a new one
    readiness = web_server.get("/readyz")
    assert readiness.status == 503
    assert readiness.seconds < FAIL_FAST_SECONDS

    database.thaw()
    assert web_server.wait_for("/", 200, limit=FAIL_FAST_SECONDS).status == 200


def test_the_site_serves_503s_through_a_database_restart_under_load_then_recovers(
    web_server: WebServer, database: FaultServer
) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            statuses.append(web_server.get("/", timeout=FAIL_FAST_SECONDS).status)

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    time.sleep(1)
    database.stop()
    time.sleep(1)
    database.start()
    time.sleep(1)
    stop.set()
    for thread in clients:
        thread.join()

    assert set(statuses) == {200, 503}, statuses  # never a 500, never a hang
    assert web_server.process.poll() is None  # the same gunicorn: nothing restarted
    assert [web_server.get("/").status for _ in range(5)] == [200] * 5


def test_the_503_is_logged_with_its_traceback_and_every_request_as_a_json_line(
    web_server: WebServer, database: FaultServer
) -> None:
    web_server.get("/", headers={"X-Request-ID": "probe-200-abcdef"})
    database.stop()
    web_server.get("/", headers={"X-Request-ID": "probe-503-abcdef"})
    web_server.stop()  # flushes its standard error

    lines = [
        json.loads(line)
        for line in web_server.log_path.read_text().splitlines()
        if line.startswith("{")
    ]
    requests = {line["request_id"]: line for line in lines if line["logger"] == "archive.requests"}
    served = requests["probe-200-abcdef"]
    assert (served["level"], served["message"], served["method"], served["path"]) == (
        "INFO",
        "GET /",
        "GET",
        "/",
    )
    assert served["status"] == 200
    assert served["duration_ms"] > 0
    assert requests["probe-503-abcdef"]["status"] == 503
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["request_id"] == "probe-503-abcdef"
    assert error["level"] == "ERROR"
    assert "OperationalError" in error["traceback"]


def test_under_debug_runserver_answers_a_held_lock_and_a_stopped_database_with_the_503_page(
    database: FaultServer, tmp_path
) -> None:
    """`make run`'s server: the web's statement timeout (as gunicorn's), and the 503 page
    rather than Django's technical page for a database outage."""
    server = DevServer(database.url, tmp_path / "runserver.log")
    server.start()
    holder = psycopg.connect(
        host=database.host, port=database.port, user="postgres", dbname="postgres"
    )
    try:
        assert server.get("/").status == 200
        # A lock held elsewhere: without a statement timeout the page would wait for ever.
        holder.execute("LOCK TABLE decisions_decision IN ACCESS EXCLUSIVE MODE")
        held = server.get("/decisions/19-011-560/", timeout=20)
        assert_unavailable_page(held)
        assert "Traceback" not in held.body
        holder.rollback()
        assert server.wait_for("/", 200, limit=FAIL_FAST_SECONDS).status == 200

        database.stop()
        stopped = server.get("/decisions/19-011-560/", timeout=20)
        assert_unavailable_page(stopped)
        assert "OperationalError at /" not in stopped.body
        database.start()
        assert server.wait_for("/", 200, limit=FAIL_FAST_SECONDS).status == 200
    finally:
        holder.close()
        server.stop()

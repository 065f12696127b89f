"""Past IMPORT_PARSE_PROCESS_AFTER records, pages are parsed in a worker process: the
same batches, in the same order, and the same rows, with nothing lost if it dies."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
import psycopg
import pytest
from django.db import connection

from decisions.importing.parse_ahead import parsed_batches
from decisions.importing.pipeline import parse_record, run_import
from decisions.importing.sources import iter_sources
from decisions.importing.writing import REFERENCE_LOCK_SPACE
from decisions.models import Capture, Decision
from tests.conftest import ROOT, SAMPLES, child_process_env

PARENT = os.getpid()


def pid_and_item(item: int) -> tuple[int, int]:
    return os.getpid(), item


def die_in_the_worker(item: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        os._exit(1)  # as if killed (out of memory) mid-batch
    return os.getpid(), item


def test_batches_past_the_threshold_are_parsed_by_one_worker_process_in_order():
    batches = list(parsed_batches(range(25), pid_and_item, size=5, process_after=10))
    assert [[item for _, item in batch] for batch in batches] == [
        list(range(n, n + 5)) for n in range(0, 25, 5)
    ]
    pids = [{pid for pid, _ in batch} for batch in batches]
    assert pids[0] == pids[1] == {PARENT}  # the first 10 records: the reading thread
    workers = set().union(*pids[2:])
    assert len(workers) == 1 and PARENT not in workers


def test_without_a_threshold_no_process_is_started():
    batches = list(parsed_batches(range(30), pid_and_item, size=5))
    assert {pid for batch in batches for pid, _ in batch} == {PARENT}


def test_if_the_worker_dies_its_batches_are_parsed_here_and_none_is_lost():
    batches = list(parsed_batches(range(20), die_in_the_worker, size=5, process_after=5))
    assert [item for batch in batches for _, item in batch] == list(range(20))
    assert {pid for batch in batches for pid, _ in batch} == {PARENT}


def stored_rows() -> list[tuple]:
    return list(
        Decision.objects.order_by("reference").values_list(
            "reference",
            "organisation__name",
            "category__slug",
            "outcome",
            "decision_date",
            "summary",
            "sections",
            "body_text",
            "remedies",
            "remedy_total",
            "content_hash",
            "source_hash",
            "needs_review",
        )
    )


@pytest.mark.django_db
def test_an_import_parsed_by_the_worker_stores_what_the_thread_stores(settings):
    settings.IMPORT_PARSE_PROCESS_AFTER = -1  # never a process
    by_thread = run_import(iter_sources([SAMPLES]), batch_size=10)
    rows_by_thread = stored_rows()
    Capture.objects.all().delete()
    Decision.objects.all().delete()

    settings.IMPORT_PARSE_PROCESS_AFTER = 10  # all but the first batch in the worker
    by_worker = run_import(iter_sources([SAMPLES]), batch_size=10)
    assert (by_worker.created, by_worker.failed) == (by_thread.created, 0) == (56, 0)
    assert stored_rows() == rows_by_thread
    assert Capture.objects.count() == 56

    # And a re-import through the worker finds every page unchanged.
    again = run_import(iter_sources([SAMPLES]), batch_size=10)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 56)


# --- the worker and the importing process's end ---------------------------------------------

# An importing process as the task worker (db_worker) is one: its SIGTERM handler only asks
# it to stop after the current task. Batches of 10, the worker from the second one.
IMPORTER = """
import signal, sys
import django
django.setup()
signal.signal(signal.SIGTERM, lambda *_: None)
from django.core.management import call_command
call_command("import_decisions", sys.argv[1], "--batch-size", "10")
"""


def backends_of(database: psycopg.Connection, state: str | None = None) -> list[int]:
    """The other sessions on this test's database (in `state`, if given)."""
    rows = database.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND (%s::text IS NULL OR state = %s)",
        [state, state],
    ).fetchall()
    return [pid for (pid,) in rows]


def until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@contextmanager
def import_held_in_its_third_batch() -> Iterator[tuple[subprocess.Popen, int, psycopg.Connection]]:
    """An importing process waiting inside its third batch's transaction (on a lock this
    test holds), its worker process started: the process, the worker's pid, and the
    test's own connection, holding the lock (released with `pg_advisory_unlock_all()`)."""
    third_batch = parse_record(list(iter_sources([SAMPLES]))[20]).parsed.reference
    database = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    database.execute(
        "SELECT pg_advisory_lock(%s, hashtext(%s))", [REFERENCE_LOCK_SPACE, third_batch]
    )
    env = child_process_env() | {
        "IMPORT_PARSE_PROCESS_AFTER": "10",
        "DB_BATCH_LOCK_TIMEOUT_MS": "60000",  # the batch waits for the test, not 10 s
    }
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(SAMPLES)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted"
        until(lambda: database.execute(waiting).fetchone()[0] > 0)
        until(lambda: len(psutil.Process(importer.pid).children()) == 1)
        [worker] = psutil.Process(importer.pid).children()
        yield importer, worker.pid, database
    finally:
        importer.kill()
        with contextlib.suppress(psutil.NoSuchProcess, NameError):
            psutil.Process(worker.pid).kill()  # first: it holds the importer's stdout too
        importer.communicate()
        database.close()


@pytest.mark.django_db(transaction=True)
def test_a_killed_importing_process_takes_its_worker_and_its_transaction_with_it():
    with import_held_in_its_third_batch() as (importer, worker, database):
        [importers_session] = backends_of(database, "active")  # waiting on the lock
        importer.kill()  # kill -9: no finally, no atexit
        importer.wait()
        # Were the importer's socket still open in the worker, its session would take
        # the lock now and sit idle in its transaction, holding its locks.
        database.execute("SELECT pg_advisory_unlock_all()")
        until(lambda: gone(worker), seconds=5)
        until(lambda: importers_session not in backends_of(database), seconds=5)
        assert backends_of(database, "idle in transaction") == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_ends_on_sigterm_and_the_import_completes_without_it():
    with import_held_in_its_third_batch() as (importer, worker, database):
        os.kill(worker, signal.SIGTERM)
        until(lambda: gone(worker), seconds=5)
        database.execute("SELECT pg_advisory_unlock_all()")
        stdout, stderr = importer.communicate(timeout=60)
        assert importer.returncode == 0, stderr
        assert b"56 created, 0 updated, 0 unchanged, 0 failed" in stdout

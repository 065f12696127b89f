"""Past IMPORT_PARSE_PROCESS_AFTER records, pages are parsed in a worker process: the
same batches, in the same order, and the same rows, with nothing lost if it dies."""

import os

import pytest

from decisions.importing.parse_ahead import parsed_batches
from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Capture, Decision
from tests.conftest import SAMPLES

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

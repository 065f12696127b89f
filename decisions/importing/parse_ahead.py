"""Parse the next batches of pages while the database writes this one.

A reading thread turns the input into batches ahead of the writer, and the writer's
thread keeps the database connection, so a batch's transaction (and a test's) is the
caller's own. Who parses a batch:

- the reading thread itself, for a small import. Parsing is pure Python and holds the
  GIL, but the writer mostly waits on the socket (PostgreSQL computing the search
  vectors) with the GIL released, so the two overlap;
- past `process_after` records, a worker process. In a large import the writer's own
  Python (building rows, sending them) and the parser then no longer take turns on
  the GIL: the parser has a core of its own, and on two cores the import is about as
  fast as the busier of the writer and PostgreSQL (bench/README.md, "The million").
  Small imports, most tests among them, never pay for the process.

The worker is forked, so it has the parser already imported (a spawned one would have
to set Django up again) and shares the parent's pages until it writes to them. It only
parses: it never touches the parent's database connection, and it ends with the run.
If it dies (killed, out of memory), the batches it held are parsed here instead:
nothing is lost, only the overlap.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from queue import Empty, Full, Queue
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Batches parsed ahead of the writer: enough to keep it busy, few enough that memory
# stays bounded whatever the input size.
AHEAD = 2
_DONE = object()
# Records a task of the worker: the results come back pickled, and a whole batch's
# (some 10 MB) at once would raise the importing process's peak memory for nothing.
TASK_SIZE = 100


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def parse_all(parse: Callable[[Item], Result], batch: list[Item]) -> list[Result]:
    """One batch parsed in the worker process (module level: a task must pickle)."""
    return [parse(item) for item in batch]


class Ahead:
    """A batch read and handed on: its results, or the worker's promise of them."""

    def __init__(self, batch: list[Any], parsed: list[Any] | list[Future]) -> None:
        self.batch, self.parsed = batch, parsed

    def results(self, parse: Callable[[Any], Any]) -> list[Any]:
        if not self.parsed or not isinstance(self.parsed[0], Future):
            return self.parsed
        results = []
        for start, task in zip(range(0, len(self.batch), TASK_SIZE), self.parsed, strict=True):
            try:
                results.extend(task.result())
            except BrokenProcessPool:  # the worker died: parse its records here
                results.extend(parse(item) for item in self.batch[start : start + TASK_SIZE])
        return results


def start_worker() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


def parsed_batches(
    items: Iterable[Item],
    parse: Callable[[Item], Result],
    size: int,
    *,
    process_after: int | None = None,
) -> Iterator[list[Result]]:
    """Batches of `parse(item)`, in input order, parsed one or two batches ahead.

    With `process_after`, the batches after the first `process_after` records are
    parsed in a worker process; `parse` and the items must then pickle.
    An exception raised while reading `items` (a KeyboardInterrupt, a broken pipe) is
    re-raised here after the batches read before it, as a plain loop would.
    """
    queue: Queue = Queue(maxsize=AHEAD)
    stop = threading.Event()
    worker: list[ProcessPoolExecutor] = []  # started by the reading thread, when due

    def put(value: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(value, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def handed_on(batch: list[Item], read: int) -> Ahead:
        if process_after is not None and read >= process_after:
            if not worker:
                worker.append(start_worker())
            with contextlib.suppress(BrokenProcessPool, RuntimeError):
                tasks = [
                    worker[0].submit(parse_all, parse, batch[start : start + TASK_SIZE])
                    for start in range(0, len(batch), TASK_SIZE)
                ]
                return Ahead(batch, tasks)
        return Ahead(batch, [parse(item) for item in batch])

    def produce() -> None:
        read = 0
        try:
            for batch in batched(items, size):
                if not put(handed_on(batch, read)):
                    return
                read += len(batch)
        except BaseException as error:  # handed to the consuming thread, re-raised there
            put(error)
        else:
            put(_DONE)

    thread = threading.Thread(target=produce, name="parse-ahead", daemon=True)
    thread.start()
    try:
        while True:
            value = queue.get()
            if value is _DONE:
                return
            if isinstance(value, BaseException):
                raise value
            yield value.results(parse)
    finally:
        # The consumer stopped early (an error while writing, or it was closed):
        # let the producer finish instead of blocking on a full queue forever.
        stop.set()
        with contextlib.suppress(Empty):
            while True:
                queue.get_nowait()
        thread.join(timeout=5)
        for pool in worker:
            pool.shutdown(wait=True, cancel_futures=True)

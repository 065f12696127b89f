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
  fast as the busier of the writer and PostgreSQL (docs/performance-history.md, "the million").
  Small imports, most tests among them, never pay for the process.

The worker is forked, so it has the parser already imported (a spawned one would have
to set Django up again) and shares the parent's pages until it writes to them. It only
parses, and it ends with the run, or with the importing process however that ends
(`_in_the_worker`): a fork inherits the parent's database socket, which kept a killed
parent's transaction open, idle and holding its locks, for as long as the worker lived.
If it dies (killed, out of memory), the batches it held are parsed here instead:
nothing is lost, only the overlap.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import stat
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


class Worker:
    """The worker process, and the lifeline it exits by when this process ends."""

    def __init__(self) -> None:
        # The worker watches the read end; only this process holds the write end, so the
        # worker reads end-of-file the moment this process ends, killed (kill -9) or not.
        # Not prctl(PR_SET_PDEATHSIG): that fires when the *thread* that forked ends,
        # and the worker is forked by the reading thread, which ends before the
        # worker's last batches are parsed.
        self.lifeline, self.held = os.pipe()
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_in_the_worker,
            initargs=(self.lifeline, self.held),
        )

    def submit(self, function: Callable[..., Result], *args: Any) -> Future[Result]:
        return self.pool.submit(function, *args)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for end in (self.lifeline, self.held):
            with contextlib.suppress(OSError):
                os.close(end)


def start_worker() -> Worker:
    return Worker()


def _in_the_worker(lifeline: int, held: int) -> None:
    """First thing in the forked worker: let go of what belongs to the parent, and end
    with it."""
    os.close(held)  # the parent's end: held here too, it would never read end-of-file
    _drop_inherited_sockets()
    # The parent's handlers are inherited: the task worker's SIGTERM handler only asks
    # its loop to stop, so the parser ignored SIGTERM. Ctrl-C reaches the whole process
    # group: the parent stops the run, and the worker with it.
    for name in ("SIGTERM", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True).start()


def _exit_with_parent(lifeline: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(lifeline, 1):
            pass
    os._exit(0)  # end-of-file: the parent is gone


def _drop_inherited_sockets() -> None:
    """Put /dev/null in place of every socket inherited from the parent: its database
    connections first. The worker needs none (it talks to the parent through pipes), and
    a socket held here keeps the parent's session open when the parent is killed: its
    transaction idle, its locks held. Not connection.close(): that would tell the server
    to end the parent's session, which is still in use."""
    folder = next((f for f in ("/proc/self/fd", "/dev/fd") if os.path.isdir(f)), None)
    if folder is None:
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for name in os.listdir(folder):
            descriptor = int(name)
            with contextlib.suppress(OSError):
                if descriptor != devnull and stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                    os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


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
    worker: list[Worker] = []  # started by the reading thread, when due

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
        for process in worker:
            process.shutdown()

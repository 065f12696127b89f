"""Parse the next batch of pages while the database writes this one.

Parsing is pure Python and holds the GIL; writing a batch is mostly PostgreSQL's
work (computing the search vectors), during which the importing thread waits on
the socket with the GIL released. Running the parser in a background thread
overlaps the two, so an import takes about as long as the slower of the two rather
than their sum. The database connection stays in the caller's thread, so a batch's
transaction (and a test's) is the caller's own.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from queue import Empty, Full, Queue
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Batches parsed ahead of the writer: enough to keep it busy, few enough that memory
# stays bounded whatever the input size.
AHEAD = 2
_DONE = object()


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def parsed_batches(
    items: Iterable[Item], parse: Callable[[Item], Result], size: int
) -> Iterator[list[Result]]:
    """Batches of `parse(item)`, in input order, parsed one or two batches ahead.

    An exception raised while reading `items` (a KeyboardInterrupt, a broken pipe) is
    re-raised here after the batches read before it, as a plain loop would.
    """
    queue: Queue = Queue(maxsize=AHEAD)
    stop = threading.Event()

    def put(value: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(value, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batched(items, size):
                if not put([parse(item) for item in batch]):
                    return
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
            yield value
    finally:
        # The consumer stopped early (an error while writing, or it was closed):
        # let the producer finish instead of blocking on a full queue forever.
        stop.set()
        with contextlib.suppress(Empty):
            while True:
                queue.get_nowait()
        thread.join(timeout=5)

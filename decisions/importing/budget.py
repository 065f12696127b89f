"""What one import run may read, and what it has spent: the IMPORT_* limits
(`ImportLimits`) and one `ImportBudget` of unpacked bytes, zip entries and reading time
across every input of a run, with the messages that name a limit when it is passed.
No Django here: the command and the admin pass `ImportLimits.from_settings(settings)`."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from decisions.importing.items import ByteStream

T = TypeVar("T")

MB = 1024**2


READ_CHUNK = MB


@dataclass(frozen=True)
class ImportLimits:
    """What one import run may read: the IMPORT_* settings (config/settings.py explains
    each). The defaults are the settings' defaults."""

    max_file_bytes: int = 50 * MB  # read whole: a page, a .json document, a zip/gzip member
    max_line_bytes: int = 10 * MB  # one JSON line
    max_total_bytes: int = 500 * MB  # read whole out of all of a run's archives together
    max_entries: int = 10_000  # files in all of a run's zips together
    max_depth: int = 1  # a zip inside a zip is read; one inside that is refused
    max_seconds: int = 3600  # time spent reading a run's inputs

    @classmethod
    def from_settings(cls, settings: Any) -> ImportLimits:
        """The limits from Django's settings (passed in, so this module needs no Django)."""
        return cls(
            max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            max_line_bytes=settings.IMPORT_MAX_LINE_BYTES,
            max_total_bytes=settings.IMPORT_ZIP_MAX_TOTAL_BYTES,
            max_entries=settings.IMPORT_ZIP_MAX_ENTRIES,
            max_depth=settings.IMPORT_ZIP_MAX_DEPTH,
            max_seconds=settings.IMPORT_MAX_SECONDS,
        )

    def budget(self) -> ImportBudget:
        return ImportBudget(self)


class ImportBudget:
    """What one run has spent of its limits, across every input, zip and nesting level:
    three inner zips of 300 MB are 900 MB against the one 500 MB limit, not 300 MB
    three times.

    Time is counted only while the readers run (`timed`), not while the importer parses
    and writes what they gave it: a big corpus takes as long as the database needs, but
    an input that is slow to read (a bomb unpacking) runs out of time.
    """

    def __init__(self, limits: ImportLimits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self.unpacked = 0  # bytes read whole out of archives
        self.entries = 0  # zip entries opened
        self.seconds = 0.0  # spent reading, up to the last stop()
        self._since: float | None = None

    def bytes_left(self) -> int:
        return self.limits.max_total_bytes - self.unpacked

    def spent_seconds(self) -> float:
        running = self.clock() - self._since if self._since is not None else 0.0
        return self.seconds + running

    def out_of_time(self) -> bool:
        return self.spent_seconds() > self.limits.max_seconds

    def start(self) -> None:
        if self._since is None:
            self._since = self.clock()

    def stop(self) -> None:
        if self._since is not None:
            self.seconds += self.clock() - self._since
            self._since = None

    def timed(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the clock running while each is read."""
        iterator = iter(items)
        while True:
            self.start()
            try:
                item = next(iterator, None)
            finally:
                self.stop()
            if item is None:
                return
            yield item

    def untimed(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the clock stopped while each is read (inside `timed`)."""
        iterator = iter(items)
        while True:
            self.stop()
            try:
                item = next(iterator, None)
            finally:
                self.start()
            if item is None:
                return
            yield item


class OutOfTime(Exception):
    """The run's time budget ran out while reading (at `line`, for JSON lines)."""

    def __init__(self, line: int | None = None) -> None:
        super().__init__(line)
        self.line = line


class LimitPassed(Exception):
    """An unpacking stream passed the limit for one file or the run's total."""


def read_whole(handle: ByteStream, budget: ImportBudget) -> bytes:
    """All of an unpacking stream, its real bytes counted as they unpack (declared sizes
    are not trusted); stopped as soon as it passes a limit, never holding more than
    the limit and a byte."""
    limits, before = budget.limits, budget.unpacked
    allowed = max(0, min(limits.max_file_bytes, budget.bytes_left()))
    buffer = io.BytesIO()
    while chunk := handle.read(min(READ_CHUNK, allowed - buffer.tell() + 1)):
        budget.unpacked += len(chunk)
        if buffer.tell() + len(chunk) > allowed:
            if allowed == limits.max_file_bytes:
                raise LimitPassed(
                    f"unpacks to more than {allowed:,} bytes; the limit for one file is "
                    f"{limits.max_file_bytes:,} bytes"
                )
            raise LimitPassed(
                f"unpacks past the {limits.max_total_bytes:,} bytes one import may unpack "
                f"in all ({before:,} already unpacked)"
            )
        if budget.out_of_time():
            raise OutOfTime()
        buffer.write(chunk)
    return buffer.getvalue()


def already_unpacked(used: int, unit: str) -> str:
    return f" (with {used:,} {unit} already unpacked in this import)" if used else ""


def out_of_time_message(limits: ImportLimits) -> str:
    return (
        f"not read: the import's time budget for reading ({limits.max_seconds:,} seconds) "
        "ran out; import the file again"
    )


def file_too_large_message(size: int | None, limit: int) -> str:
    actual = f"is {size:,} bytes" if size is not None else "is larger than that"
    return f"file {actual}; the limit for one file is {limit:,} bytes"

"""Progress reporting for long imports: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from decisions.importing.sources import STDIN, is_readable, kind_of, zip_end_record

LINE_INTERVAL_SECONDS = 10.0
BAR_INTERVAL_SECONDS = 0.2


def estimate_total(paths: Iterable[str]) -> int | None:
    """How many records the inputs hold, cheaply; None when it cannot be known (stdin, or
    gzipped JSON lines, which would have to be unpacked to be counted)."""
    total = 0
    for raw in paths:
        if raw == STDIN:
            return None
        path = Path(raw)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file() or not is_readable(file.name):
                continue
            suffix, gzipped = kind_of(file.name)
            if suffix == ".jsonl":
                if gzipped:
                    return None
                total += count_lines(file)
            elif suffix == ".zip" and not gzipped:
                # The count the zip's end record declares: its directory is not loaded.
                try:
                    with file.open("rb") as handle:
                        declared = zip_end_record(handle)
                    total += declared[0] if declared else 1
                except OSError:
                    total += 1
            else:
                total += 1  # a page, or a .json document (usually a list: a guess)
    return total


def count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


class Progress:
    """Counts records: on a terminal, tqdm's bar (rate, ETA, failures); elsewhere (a log,
    a pipe) a plain line every LINE_INTERVAL_SECONDS, which a log keeps readably where
    a bar's carriage returns would not. https://tqdm.github.io/"""

    def __init__(self, stream: TextIO, *, total: int | None, tty: bool) -> None:
        self.stream = stream
        self.tty = tty
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.last_line = self.started  # the first line after one interval, not at once
        self.bar = (
            tqdm(
                total=total or None,
                file=stream,
                unit=" records",
                unit_scale=False,
                mininterval=BAR_INTERVAL_SECONDS,
                dynamic_ncols=True,
            )
            if tty
            else None
        )

    def advance(self, *, failed: bool = False) -> None:
        self.done += 1
        if failed:
            self.failed += 1
            if self.bar is not None:
                self.bar.set_postfix_str(f"{self.failed:,} failed", refresh=False)
        if self.bar is not None:
            self.bar.update()
            return
        now = time.monotonic()
        if now - self.last_line >= LINE_INTERVAL_SECONDS:
            self.last_line = now
            self.write_line(now)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
        else:
            self.write_line(time.monotonic())
        self.stream.flush()

    def write_line(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-9)
        failed = f", {self.failed:,} failed" if self.failed else ""
        self.stream.write(f"progress: {self.done:,} records, {rate:,.0f}/s{failed}\n")
        self.stream.flush()

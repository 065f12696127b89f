"""Progress reporting for long imports: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from decisions.importing.sources import STDIN, is_readable, kind_of, zip_end_record

LINE_INTERVAL_SECONDS = 10.0
BAR_INTERVAL_SECONDS = 0.2
BAR_WIDTH = 30


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
    """Counts records; draws a bar with rate and ETA on a terminal, else a line now and then."""

    def __init__(self, stream: TextIO, *, total: int | None, tty: bool) -> None:
        self.stream = stream
        self.total = total
        self.tty = tty
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.last_draw = self.started  # the first line after one interval, not at once

    def advance(self, *, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        interval = BAR_INTERVAL_SECONDS if self.tty else LINE_INTERVAL_SECONDS
        if now - self.last_draw >= interval:
            self.last_draw = now
            self.draw(now)

    def finish(self) -> None:
        self.draw(time.monotonic())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        failed = f", {self.failed:,} failed" if self.failed else ""
        if not self.tty:
            self.stream.write(f"progress: {self.done:,} records, {rate:,.0f}/s{failed}\n")
            self.stream.flush()
            return
        if self.total:
            fraction = min(self.done / self.total, 1.0)
            filled = int(fraction * BAR_WIDTH)
            remaining = (self.total - self.done) / rate if rate else 0
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            text = (
                f"[{bar}] {self.done:,}/{self.total:,} {fraction:4.0%} "
                f"{rate:,.0f}/s ETA {format_seconds(remaining)}{failed}"
            )
        else:
            text = f"{self.done:,} records {rate:,.0f}/s{failed}"
        self.stream.write("\r" + text.ljust(79))
        self.stream.flush()


def format_seconds(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"

"""Download and dump throughput: a streamed download of N rows, and the bulk dump, on a
benchmark database, with rows per second and peak memory.

    python -m bench export --rows 20000 --dump

On the database `python -m bench import --keep` left, migrated first (one built by an
earlier version lacks the columns a download reads). The download is requested through
Django's test client (the real URLconf, middleware and view, in this process) and its
streamed body read to the end, as a client would, counting bytes and lines. Memory is
the process's peak resident set, read after each: a small download runs first, so what
a large one adds is what streaming it costs, and stays flat if it is streamed.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common


def download(client: Any, path: str, rows: int) -> tuple[int, int, float]:
    """Decisions and bytes of one streamed download capped at `rows`, and its seconds."""
    from django.test import override_settings

    start = time.perf_counter()
    with override_settings(DOWNLOAD_MAX_ROWS=rows, DOWNLOAD_RATE_LIMIT=1_000_000):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        lines = size = 0
        last = b""
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            size += len(chunk)
            last = chunk
    # The decisions: not the CSV's header row, nor the notice of a capped download.
    decisions = lines - path.startswith("/download.csv") - (b"stopped" in last)
    return decisions, size, time.perf_counter() - start


def dump() -> tuple[int, int, float]:
    from decisions.exports.dump import dumped_decisions, header, write_dump

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dump.jsonl.gz"
        start = time.perf_counter()
        count = write_dump(path, dumped_decisions(), header(None, False))
        seconds = time.perf_counter() - start
        with gzip.open(path, "rb") as unpacked:
            assert sum(1 for _ in unpacked) == count + 1
        return count, path.stat().st_size, seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--rows", type=int, default=20_000, help="Rows a download holds.")
    parser.add_argument("--dump", action="store_true", help="Also time the bulk dump.")


def run(args: argparse.Namespace) -> int:
    common.use_database(args.database)
    common.in_process_requests()
    from django.core.management import call_command
    from django.test import Client

    # A database built by an earlier version lacks the newer columns the rows read.
    call_command("migrate", verbosity=0)
    common.catch_up_index()
    client = Client()
    published = common.published_decisions()
    print(f"{published:,} published decisions in {args.database}; {common.machine()}")
    print(f"{'download':<28} {'rows':>8} {'MB':>7} {'s':>6} {'rows/s':>8} {'peak RSS MB':>12}")
    for label, path, rows in [
        ("CSV, 1,000 rows (warm-up)", "/download.csv?sort=newest", 1_000),
        ("CSV, newest first", "/download.csv?sort=newest", args.rows),
        ("JSON lines, newest first", "/download.jsonl?sort=newest", args.rows),
        ("CSV, a category", "/download.csv?category=housing&sort=newest", args.rows),
    ]:
        written, size, seconds = download(client, path, rows)
        print(
            f"{label:<28} {written:>8,} {size / 1e6:>7.1f} {seconds:>6.1f} "
            f"{written / seconds:>8,.0f} {common.peak_rss_mb():>12.0f}"
        )
    if args.dump:
        count, size, seconds = dump()
        print(
            f"{'dump (.jsonl.gz)':<28} {count:>8,} {size / 1e6:>7.1f} {seconds:>6.1f} "
            f"{count / seconds:>8,.0f} {common.peak_rss_mb():>12.0f}"
        )
    print(f"load average at the end: {common.load_average()}")
    return 0

"""The machine's import limit: what PostgreSQL alone takes to store the pipeline's rows.

    python -m bench.import_limit [--count 10000] [--corpus FILE] [--connections 1,2]

What an import cannot go faster than on this machine, whatever the Python side does:
the rows the pipeline writes for `--count` decisions (the decisions, whose generated
`search_vector` and indexes PostgreSQL computes, and their captures), inserted again by
PostgreSQL with nothing else to do.

1. A fresh database (`archive_limit`, dropped at the end unless --keep) is migrated and the
   first --count records of the corpus are imported through the real pipeline, to get
   the exact rows it writes.
2. Those rows are read back as COPY text, in batches of --batch (500, the pipeline's
   batch): the client has nothing to compute or encode while timed.
3. The tables are emptied and the batches written again by --connections connections at
   once (1, then 2: one per core), each batch in its own transaction as the pipeline's,
   with `COPY ... FROM STDIN`; then once more without the captures.

It prints decisions/s for each run, and the load average (a shared machine's other work
takes its share of the two cores).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.import_bench import (
    drop_database,
    ensure_corpus,
    import_corpus,
    process_cpu_seconds,
    server_connection,
    setup_django,
)

# The tables a decision's import writes, in the order the pipeline writes them.
DECISIONS, CAPTURES = "decisions_decision", "decisions_capture"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="Decisions to write.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--corpus", type=Path, help="An existing .jsonl corpus (its first --count)."
    )
    parser.add_argument("--database", default="archive_limit", help="Created, then dropped.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--batch", type=int, default=500, help="Decisions a transaction.")
    parser.add_argument(
        "--connections", default="1,2", help="Comma-separated connection counts to time."
    )
    return parser.parse_args(argv)


@dataclass
class Batch:
    """One transaction's rows, as COPY text: the decisions, then their captures."""

    decisions: bytes
    captures: bytes


def first_records(corpus: Path, count: int) -> Path:
    """A corpus of the first `count` records of `corpus` (a prefix, so the same pages)."""
    prefix = corpus.with_name(f"{corpus.stem}-first{count}.jsonl")
    if not prefix.exists():
        partial = prefix.with_suffix(".partial")
        with corpus.open("rb") as source, partial.open("wb") as out:
            for _, line in zip(range(count), source, strict=False):
                out.write(line)
        partial.rename(prefix)
    return prefix


def stored_columns(connection: Any, table: str) -> list[str]:
    """The table's columns a row carries: every one but the generated (search_vector)."""
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def copy_out(connection: Any, query: str) -> bytes:
    chunks = []
    with connection.cursor().copy(f"COPY ({query}) TO STDOUT") as copy:
        for data in copy:
            chunks.append(bytes(data))
    return b"".join(chunks)


def read_batches(connection: Any, size: int) -> tuple[list[Batch], dict[str, list[str]]]:
    """The stored rows, a batch of `size` decisions (by id) at a time, as COPY text."""
    columns = {table: stored_columns(connection, table) for table in (DECISIONS, CAPTURES)}
    ids = [row[0] for row in connection.execute(f"SELECT id FROM {DECISIONS} ORDER BY id")]
    batches = []
    for start in range(0, len(ids), size):
        low, high = ids[start], ids[min(start + size, len(ids)) - 1]
        decision_columns = ", ".join(columns[DECISIONS])
        capture_columns = ", ".join(columns[CAPTURES])
        batches.append(
            Batch(
                copy_out(
                    connection,
                    f"SELECT {decision_columns} FROM {DECISIONS}"
                    f" WHERE id BETWEEN {low} AND {high} ORDER BY id",
                ),
                copy_out(
                    connection,
                    f"SELECT {capture_columns} FROM {CAPTURES}"
                    f" WHERE decision_id BETWEEN {low} AND {high} ORDER BY id",
                ),
            )
        )
    return batches, columns


def empty_tables(connection: Any) -> None:
    # CASCADE: every table that refers to a decision (captures, and any other) goes too.
    connection.execute(f"TRUNCATE {DECISIONS}, {CAPTURES} CASCADE")
    connection.execute(f"VACUUM ANALYZE {DECISIONS}")


def write_batches(
    params: dict[str, Any],
    batches: list[Batch],
    columns: dict[str, list[str]],
    connections: int,
    captures: bool,
) -> tuple[float, float]:
    """Seconds for `connections` connections to write every batch, a transaction each,
    and the CPU seconds their PostgreSQL backends took for it."""
    import psycopg

    copy_decisions = f"COPY {DECISIONS} ({', '.join(columns[DECISIONS])}) FROM STDIN"
    copy_captures = f"COPY {CAPTURES} ({', '.join(columns[CAPTURES])}) FROM STDIN"
    errors: list[BaseException] = []
    ready = threading.Barrier(connections + 1)
    backend_cpu: list[float] = []

    def writer(share: list[Batch]) -> None:
        try:
            with psycopg.connect(**params) as connection:
                pid = connection.info.backend_pid
                cpu_before = process_cpu_seconds(pid)
                ready.wait()
                for batch in share:
                    with connection.transaction(), connection.cursor() as cursor:
                        with cursor.copy(copy_decisions) as copy:
                            copy.write(batch.decisions)
                        if captures:
                            with cursor.copy(copy_captures) as copy:
                                copy.write(batch.captures)
                backend_cpu.append(process_cpu_seconds(pid) - cpu_before)
        except BaseException as error:
            errors.append(error)
            ready.abort()

    threads = [
        threading.Thread(target=writer, args=(batches[k::connections],)) for k in range(connections)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started, sum(backend_cpu)


def connection_params(server: dict[str, Any], database: str) -> dict[str, Any]:
    keys = {"USER": "user", "PASSWORD": "password", "HOST": "host"}
    params: dict[str, Any] = {arg: server[key] for key, arg in keys.items() if server.get(key)}
    if server.get("PORT"):
        params["port"] = int(server["PORT"])
    return {**params, "dbname": database}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    corpus = first_records(args.corpus, args.count) if args.corpus else None
    corpus = corpus or ensure_corpus(args.count, args.seed)
    counts = [int(n) for n in args.connections.split(",")]
    server = setup_django(args.database)
    from django.core.management import call_command
    from django.db import connections

    params = connection_params(server, args.database)
    try:
        call_command("migrate", verbosity=0)
        run, seconds = import_corpus(corpus, None)
        print(
            f"pipeline          {run.created:,} decisions imported in {seconds:.1f}s "
            f"({run.created / seconds:,.0f}/s), to get the rows it writes",
            file=sys.stderr,
        )
        connections.close_all()
        with server_connection({**server, "NAME": args.database}) as connection:
            batches, columns = read_batches(connection, args.batch)
            size = sum(len(b.decisions) + len(b.captures) for b in batches)
            print(
                f"rows              {run.created:,} decisions, {size / 2**20:,.0f} MB as COPY text"
            )
            for captures in (True, False):
                for n in counts:
                    empty_tables(connection)
                    load = os.getloadavg()
                    took, cpu = write_batches(params, batches, columns, n, captures)
                    what = "decisions + captures" if captures else "decisions only     "
                    cpu_ms = 1000 * cpu / run.created
                    print(
                        f"{what}  {n} connection{'s' if n > 1 else ' '}  "
                        f"{run.created / took:7,.0f} decisions/s  ({took:.1f}s; "
                        f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after); "
                        f"backend CPU {cpu_ms:.2f} ms a decision, so at most "
                        f"{os.cpu_count() * 1000 / cpu_ms:,.0f}/s on {os.cpu_count()} idle cores"
                    )
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(server, args.database)
    print(f"machine           {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

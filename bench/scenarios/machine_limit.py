"""The machine's import limit (`python -m bench import --machine-limit`): the rows an
import wrote, written again by PostgreSQL with nothing else to do.

The rows are read back as COPY text, a batch of 500 decisions (the pipeline's batch) at
a time, so the client has nothing to compute or encode while timed; then the tables are
emptied and the batches written again by 1 and then 2 connections at once (one per
core), a transaction a batch, with and without the captures. Besides the wall rate it
prints the CPU the backends took per decision, which other work on the machine changes
far less than the wall time.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from bench import common

# The tables a decision's import writes, in the order the pipeline writes them.
DECISIONS, CAPTURES = "decisions_decision", "decisions_capture"
BATCH = 500
CONNECTIONS = (1, 2)


def stored_columns(connection: Any, table: str) -> list[str]:
    """The table's columns a row carries: every one but the generated (search_vector)."""
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def copy_out(connection: Any, query: str) -> bytes:
    with connection.cursor().copy(f"COPY ({query}) TO STDOUT") as copy:
        return b"".join(bytes(data) for data in copy)


def read_batches(connection: Any, columns: dict[str, str]) -> list[dict[str, bytes]]:
    """The stored rows, BATCH decisions (by id) at a time, as COPY text per table."""
    ids = [row[0] for row in connection.execute(f"SELECT id FROM {DECISIONS} ORDER BY id")]
    batches = []
    for start in range(0, len(ids), BATCH):
        low, high = ids[start], ids[min(start + BATCH, len(ids)) - 1]
        key = {DECISIONS: "id", CAPTURES: "decision_id"}
        batches.append(
            {
                table: copy_out(
                    connection,
                    f"SELECT {columns[table]} FROM {table}"
                    f" WHERE {key[table]} BETWEEN {low} AND {high} ORDER BY id",
                )
                for table in (DECISIONS, CAPTURES)
            }
        )
    return batches


def write_batches(
    database: dict[str, Any], batches: list[dict[str, bytes]], copies: dict[str, str], n: int
) -> tuple[float, float]:
    """Seconds for `n` connections to write every batch (the tables of `copies`), a
    transaction each, and the CPU seconds their PostgreSQL backends took for it."""
    errors: list[BaseException] = []
    ready = threading.Barrier(n + 1)
    backend_cpu: list[float] = []

    def writer(share: list[dict[str, bytes]]) -> None:
        try:
            with common.server_connection(database) as connection:
                connection.autocommit = False
                pid = connection.info.backend_pid
                cpu_before = common.process_cpu_seconds(pid)
                ready.wait()
                for batch in share:
                    with connection.transaction(), connection.cursor() as cursor:
                        for table, statement in copies.items():
                            with cursor.copy(statement) as copy:
                                copy.write(batch[table])
                backend_cpu.append(common.process_cpu_seconds(pid) - cpu_before)
        except BaseException as error:
            errors.append(error)
            ready.abort()

    threads = [threading.Thread(target=writer, args=(batches[k::n],)) for k in range(n)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started, sum(backend_cpu)


def measure(database: dict[str, Any], decisions: int) -> None:
    """Print the limit for the rows in `database` (a benchmark database just imported)."""
    cores = os.cpu_count() or 1
    with common.server_connection(database) as connection:
        columns = {t: ", ".join(stored_columns(connection, t)) for t in (DECISIONS, CAPTURES)}
        batches = read_batches(connection, columns)
        size = sum(len(data) for batch in batches for data in batch.values())
        print(f"rows              {decisions:,} decisions, {size / 2**20:,.0f} MB as COPY text")
        for tables in ((DECISIONS, CAPTURES), (DECISIONS,)):
            copies = {t: f"COPY {t} ({columns[t]}) FROM STDIN" for t in tables}
            for n in CONNECTIONS:
                # CASCADE: every table that refers to a decision goes too.
                connection.execute(f"TRUNCATE {DECISIONS}, {CAPTURES} CASCADE")
                connection.execute(f"VACUUM ANALYZE {DECISIONS}")
                load = common.load_average()
                took, cpu = write_batches(database, batches, copies, n)
                cpu_ms = max(1000 * cpu / decisions, 0.001)  # a tiny run may take no tick
                what = "decisions + captures" if len(tables) == 2 else "decisions only      "
                print(
                    f"{what} {n} connection{'s' if n > 1 else ' '} {decisions / took:7,.0f}"
                    f" decisions/s ({took:.1f}s; load average {load} before,"
                    f" {common.load_average()} after); backend CPU {cpu_ms:.2f} ms a decision,"
                    f" so at most {cores * 1000 / cpu_ms:,.0f}/s on {cores} idle cores"
                )

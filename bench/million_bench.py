"""The million: a kept database of 1,000,000 generated decisions, loaded resumably.

    python -m bench.million_bench [--total 1000000] [--part-size 100000] [--database archive_million]
    python -m bench.million_bench --status            # what is loaded, and each part's figures

The corpus is written as numbered parts of `--part-size` records (bench/data/million-seed1-v3/,
git-ignored, kept): part k holds records k*size .. (k+1)*size-1 of the generator's corpus of
`--total`, the same bytes whatever the part size (bench/generate_corpus.py, `--start`).
Each part is imported through the real pipeline exactly as
`manage.py import_decisions PART.jsonl` does (`run_import(iter_sources([PART], limits))`)
into `--database`, which is created and migrated if missing and never dropped.

Resumable: a part counts as loaded when the database holds a finished ImportRun whose
sources are that part, so a stopped run (Ctrl-C, a reboot) starts again at the first part
not finished; the interrupted part is imported again, and the pipeline skips the records its
committed batches already wrote (same content hash: "unchanged"). Each part's figures
(decisions/s, peak RSS so far, load average) are appended to PROGRESS_LOG in the data folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.import_bench import DATA, peak_rss_mb, pss_with_children_mb, server_connection

PROGRESS_EVERY = 20_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--total", type=int, default=1_000_000, help="Decisions in all.")
    parser.add_argument("--part-size", type=int, default=100_000, help="Records a part.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="archive_million", help="Kept; created if missing.")
    parser.add_argument("--parts", type=int, help="Load at most this many parts, then stop.")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Lower this process's and its PostgreSQL backend's priority by this much, "
        "so a machine shared with others keeps its other work moving.",
    )
    parser.add_argument(
        "--status-file", type=Path, help="After each part, write 'database, decisions, time'."
    )
    parser.add_argument("--status", action="store_true", help="Print what is loaded; load nothing.")
    parser.add_argument(
        "--generate-only", action="store_true", help="Write the missing parts; load nothing."
    )
    return parser.parse_args(argv)


def part_folder(total: int, seed: int) -> Path:
    from bench.generate_corpus import VERSION

    # The parts of a corpus depend on the total only through the reference space, which
    # is the same up to 1.1 million: name the folder by the total all the same, so a
    # folder never mixes two corpora. (Part 0 of the million is the 100,000 corpus.)
    return DATA / f"million-{total}-seed{seed}-v{VERSION}"


def part_paths(total: int, size: int, seed: int) -> list[tuple[int, Path]]:
    """(first record index, path) of each part."""
    folder = part_folder(total, seed)
    return [
        (start, folder / f"part-{start // size:03d}-{start:07d}-{min(size, total - start)}.jsonl")
        for start in range(0, total, size)
    ]


def ensure_part(start: int, path: Path, total: int, size: int, seed: int) -> None:
    """Write the part once; written to a .partial file first, so a stop leaves none half done."""
    from bench.generate_corpus import write

    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    try:
        out = partial.open("x", encoding="utf-8")
    except FileExistsError:  # another process (--generate-only) is writing it: wait
        while not path.exists():
            if not partial.exists():
                raise SystemExit(f"{partial} went away without {path.name}: run again") from None
            time.sleep(2)
        return
    with out:
        write(min(size, total - start), seed, out, start=start, total=total)
    partial.rename(path)
    print(f"generated {path.name} in {time.perf_counter() - started:.0f}s", file=sys.stderr)


def setup_django(database: str) -> None:
    """Point Django at `database`, creating it if missing (never dropping it)."""
    from psycopg import sql

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")  # no requests are served
    from django.conf import settings

    server = dict(settings.DATABASES["default"])  # starts the embedded server if needed
    if server["NAME"] == database:
        raise SystemExit(f"--database {database!r} is the project's own database; refusing")
    with server_connection(server) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    settings.DATABASES["default"]["NAME"] = database
    settings.DEBUG = False  # with DEBUG on, Django keeps every query in memory
    import django

    django.setup()
    # The pipeline's JSON log lines would bury the part's progress lines.
    logging.getLogger("decisions.importing").setLevel(logging.WARNING)


def lower_priority(amount: int) -> None:
    """Nice this process and its PostgreSQL backend: the backend computes the search
    vectors, most of an import's CPU, and would otherwise run at the server's priority."""
    from django.db import connection

    if amount <= 0:
        return
    os.nice(amount)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        os.setpriority(os.PRIO_PROCESS, backend, os.getpriority(os.PRIO_PROCESS, backend) + amount)
    except PermissionError:  # the server runs as another user we may not renice
        print(f"could not lower the priority of backend {backend}", file=sys.stderr)


def loaded_parts() -> set[str]:
    """The part files (by name) a finished import run of this database read."""
    from decisions.models import ImportRun

    runs = ImportRun.objects.filter(status=ImportRun.Status.FINISHED).values_list(
        "sources", flat=True
    )
    return {Path(source).name for sources in runs for source in sources}


def decisions_loaded() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        # The planner's estimate after ANALYZE would do, but a count is exact and the
        # primary key index answers it in a second or two at a million.
        cursor.execute("SELECT count(*) FROM decisions_decision")
        return cursor.fetchone()[0]


def import_part(path: Path) -> dict[str, Any]:
    """Import one part as `manage.py import_decisions PART` does; its figures."""
    from django.conf import settings

    from decisions.importing.pipeline import run_import
    from decisions.importing.results import RecordResult
    from decisions.importing.sources import ImportLimits, iter_sources

    load_before = os.getloadavg()
    started = time.perf_counter()
    seen = 0
    peak_pss = 0.0

    def on_result(result: RecordResult) -> None:
        nonlocal seen, peak_pss
        seen += 1
        if seen % 1000 == 0:  # the process and its parsing worker together
            peak_pss = max(peak_pss, pss_with_children_mb())
        if seen % PROGRESS_EVERY == 0:
            elapsed = time.perf_counter() - started
            print(
                f"  {path.name}: {seen:,} records, {seen / elapsed:,.0f}/s, "
                f"peak RSS {peak_rss_mb():.0f} MB, load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
            )

    run = run_import(
        iter_sources([path], ImportLimits.from_settings(settings)),
        sources=[str(path)],
        on_result=on_result,
    )
    seconds = time.perf_counter() - started
    return {
        "part": path.name,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": run.processed,
        "created": run.created,
        "unchanged": run.unchanged,
        "failed": run.failed,
        "seconds": round(seconds, 1),
        "per_second": round(run.processed / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # The parsing worker (decisions.importing.parse_ahead), once it has ended.
        "peak_pss_with_worker_mb": round(peak_pss, 1),
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def write_status(path: Path | None, database: str, parts_done: int, parts: int) -> None:
    if path is None:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    state = "complete" if parts_done == parts else f"loading, {parts_done} of {parts} parts"
    path.write_text(f"{database}, {decisions_loaded():,} decisions loaded ({state}), {now}\n")


def progress_log(database: str) -> Path:
    return DATA / f"{database}-progress.jsonl"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    parts = part_paths(args.total, args.part_size, args.seed)
    if args.generate_only:
        os.nice(args.nice)
        for start, path in parts:
            ensure_part(start, path, args.total, args.part_size, args.seed)
        return
    setup_django(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    done = loaded_parts()
    if args.status:
        print(f"{args.database}: {decisions_loaded():,} decisions")
        for _, path in parts:
            print(f"  {'loaded ' if path.name in done else 'pending'} {path.name}")
        log = progress_log(args.database)
        if log.exists():
            print(log.read_text(), end="")
        return
    lower_priority(args.nice)
    loaded_now = 0
    for start, path in parts:
        if path.name in done:
            continue
        if args.parts is not None and loaded_now >= args.parts:
            break
        ensure_part(start, path, args.total, args.part_size, args.seed)
        figures = import_part(path)
        loaded_now += 1
        done.add(path.name)
        with progress_log(args.database).open("a", encoding="utf-8") as log:
            log.write(json.dumps(figures) + "\n")
        print(json.dumps(figures), file=sys.stderr)
        write_status(
            args.status_file, args.database, len(done & {p.name for _, p in parts}), len(parts)
        )
    print(f"{args.database}: {decisions_loaded():,} decisions, peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

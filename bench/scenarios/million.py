"""The million: a kept database of 1,000,000 generated decisions, loaded resumably.

    python -m bench million --nice 10 --status-file million-status.txt   # one part a run: --parts 1
    python -m bench million --status          # what is loaded, and each part's figures
    python -m bench million --generate-only   # write the corpus parts only

The corpus is written as numbered parts of `--part-size` records (bench/data/million-*/,
git-ignored, kept): part k holds records k*size .. (k+1)*size-1 of the generator's corpus of
`--total`, the same bytes whatever the part size (bench/corpus/generate.py, `start`).
Each part is imported through the real pipeline exactly as
`manage.py import_decisions PART.jsonl` does (`run_import(iter_sources([PART], limits))`)
into `--database`, which is created and migrated if missing and never dropped.

Resumable: a part counts as loaded when the database holds a finished ImportRun whose
sources are that part, so a stopped run (Ctrl-C, a reboot) starts again at the first part
not finished; the interrupted part is imported again, and the pipeline skips the records its
committed batches already wrote (same content hash: "unchanged"). Each part's figures
(decisions/s, peak RSS so far, PSS with the parsing worker, load average) are appended to
bench/data/<database>-progress.jsonl.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import DATA, common
from bench.corpus.generate import VERSION, write
from bench.scenarios.importing import Progress, import_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
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


def part_folder(total: int, seed: int) -> Path:
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


def lower_priority(amount: int) -> None:
    """Nice this process and its PostgreSQL backend: the backend computes the search
    vectors, most of an import's CPU, and would otherwise run at the server's priority."""
    if amount <= 0:
        return
    os.nice(amount)
    backend = common.backend_pid()
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
    # The planner's estimate after ANALYZE would do, but a count is exact and the
    # primary key index answers it in a second or two at a million.
    return common.sql_rows("SELECT count(*) FROM decisions_decision")[0][0]


def import_part(path: Path) -> dict[str, Any]:
    """Import one part as `manage.py import_decisions PART` does; its figures."""
    load_before = common.load_average()
    progress = Progress(every=20_000, pss_every=1000)
    run, cost = import_file(path, progress)
    return {
        "part": path.name,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": run.processed,
        "created": run.created,
        "unchanged": run.unchanged,
        "failed": run.failed,
        "seconds": round(cost["seconds"], 1),
        "per_second": round(run.processed / cost["seconds"], 1),
        "peak_rss_mb": round(common.peak_rss_mb(), 1),
        # The parsing worker (decisions.importing.parse_ahead), once it has ended.
        "peak_pss_with_worker_mb": round(progress.peak_pss_mb, 1),
        "worker_peak_rss_mb": round(common.children_peak_rss_mb(), 1),
        "load_before": load_before,
        "load_after": common.load_average(),
    }


def write_status(path: Path | None, database: str, parts_done: int, parts: int) -> None:
    if path is None:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    state = "complete" if parts_done == parts else f"loading, {parts_done} of {parts} parts"
    path.write_text(f"{database}, {decisions_loaded():,} decisions loaded ({state}), {now}\n")


def progress_log(database: str) -> Path:
    return DATA / f"{database}-progress.jsonl"


def run(args: argparse.Namespace) -> int:
    parts = part_paths(args.total, args.part_size, args.seed)
    if args.generate_only:
        os.nice(args.nice)
        for start, path in parts:
            ensure_part(start, path, args.total, args.part_size, args.seed)
        return 0
    common.use_database(args.database, create=True)
    # The pipeline's JSON log lines would bury the part's progress lines.
    logging.getLogger("decisions.importing").setLevel(logging.WARNING)
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
        return 0
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
        with progress_log(args.database).open("a", encoding="utf-8") as out:
            out.write(json.dumps(figures) + "\n")
        print(json.dumps(figures), file=sys.stderr)
        write_status(
            args.status_file, args.database, len(done & {p.name for _, p in parts}), len(parts)
        )
    print(
        f"{args.database}: {decisions_loaded():,} decisions, peak RSS"
        f" {common.peak_rss_mb():.0f} MB; load average {common.load_average()}"
    )
    return 0

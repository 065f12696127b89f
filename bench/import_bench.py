"""Import throughput: the real pipeline, a synthetic corpus, a fresh database.

    python -m bench.import_bench --count 100000 [--corpus FILE | --real-text] [--keep]
        [--profile FILE]

Generates the corpus (bench/data/, git-ignored) unless --corpus is given: synthetic
(bench/generate_corpus.py), or with --real-text the real statements kept as test
fixtures, repeated under new references (bench/real_corpus.py). Then creates a
separate database on the project's server (`archive_bench` by default), migrates it,
then imports the corpus exactly as `manage.py import_decisions FILE.jsonl` does:
`run_import(iter_sources([FILE]))`. A second pass parses every record without
writing, to split the cost between parsing and the database. The database is
dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import resource
import sys
import time
from pathlib import Path
from typing import Any

# Where generated corpora are kept (a test's smoke run puts them in its tmp_path).
DATA = Path(os.environ.get("BENCH_DATA_DIR", Path(__file__).resolve().parent / "data"))
PROGRESS_EVERY = 10_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="Decisions to generate.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="An existing .jsonl corpus to import.")
    parser.add_argument(
        "--real-text",
        action="store_true",
        help="Real statements' text (bench/real_corpus.py), not the generated corpus.",
    )
    parser.add_argument("--database", default="archive_bench", help="Created, then dropped.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--profile", type=Path, help="Write cProfile stats of the import here.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    return parser.parse_args(argv)


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def ensure_corpus(count: int, seed: int, real_text: bool = False) -> Path:
    """The corpus for (count, seed), made once and reused: it is deterministic. With
    `real_text`, the real statements' (bench/real_corpus.py; the seed plays no part)."""
    if real_text:
        from bench import real_corpus

        path = DATA / f"real-corpus-{count}-v{real_corpus.VERSION}.jsonl"

        def write(out: Any) -> None:
            real_corpus.write(count, out)
    else:
        from bench import generate_corpus

        path = DATA / f"corpus-{count}-seed{seed}-v{generate_corpus.VERSION}.jsonl"

        def write(out: Any) -> None:
            generate_corpus.write(count, seed, out)

    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            write(out)
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def server_connection(database: dict[str, Any]):
    """An autocommit psycopg connection to the server's own database, for CREATE/DROP."""
    import psycopg

    keys = {"NAME": "dbname", "USER": "user", "PASSWORD": "password", "HOST": "host"}
    params = {arg: database[key] for key, arg in keys.items() if database.get(key)}
    if database.get("PORT"):
        params["port"] = int(database["PORT"])
    return psycopg.connect(**params, autocommit=True)


def recreate_database(server: dict[str, Any], name: str) -> None:
    from psycopg import sql

    with server_connection(server) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: dict[str, Any], name: str) -> None:
    from psycopg import sql

    with server_connection(server) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(database: str) -> dict[str, Any]:
    """Point Django's default database at `database`; return the original settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")  # no requests are served
    from django.conf import settings

    server = dict(settings.DATABASES["default"])  # starts the embedded server if needed
    if server["NAME"] == database:
        raise SystemExit(f"--database {database!r} is the project's own database; refusing")
    recreate_database(server, database)
    settings.DATABASES["default"]["NAME"] = database
    # With DEBUG on, Django keeps every query in memory: the RSS figure would be wrong.
    settings.DEBUG = False
    import django

    django.setup()
    return server


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process on this machine (/proc), e.g. a PostgreSQL backend."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def own_cpu_seconds() -> float:
    """This process's CPU and its finished children's (the parsing worker)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def pss_mb(pid: int | str = "self") -> float:
    """A process's proportional set size: its private pages and its share of the pages
    it shares (with a forked worker, say), so that two processes' figures add up."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_pids() -> list[int]:
    """This process's children, whichever of its threads forked them."""
    pids = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            pids += [int(pid) for pid in (task / "children").read_text().split()]
    return pids


def pss_with_children_mb() -> float:
    total = pss_mb()
    for pid in children_pids():
        with contextlib.suppress(OSError):  # it may have just ended
            total += pss_mb(pid)
    return total


# The largest PSS of the import process and its parsing worker together, sampled.
PEAK_PSS = {"mb": 0.0}
PSS_EVERY = 250


def import_corpus(corpus: Path, profile: Path | None) -> tuple[Any, float]:
    """Import through the real pipeline, as `manage.py import_decisions FILE` does."""
    from decisions.importing.pipeline import run_import
    from decisions.importing.results import RecordResult
    from decisions.importing.sources import iter_sources

    backend = backend_pid()
    backend_before, own_before = process_cpu_seconds(backend), own_cpu_seconds()
    started = time.perf_counter()
    seen = 0

    def on_result(result: RecordResult) -> None:
        nonlocal seen
        seen += 1
        if seen % PSS_EVERY == 0:
            PEAK_PSS["mb"] = max(PEAK_PSS["mb"], pss_with_children_mb())
        if seen % PROGRESS_EVERY == 0:
            elapsed = time.perf_counter() - started
            print(f"  {seen:,} imported, {seen / elapsed:,.0f}/s", file=sys.stderr)

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    run = run_import(iter_sources([corpus]), sources=[str(corpus)], on_result=on_result)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    seconds = time.perf_counter() - started
    CPU["import process"] = own_cpu_seconds() - own_before
    # The same connection wrote every batch (the run's count saves too).
    CPU["PostgreSQL backend"] = process_cpu_seconds(backend) - backend_before
    return run, seconds


# CPU seconds of the last import_corpus: on a shared machine, what the import itself
# cost, whatever the wall time the others' work left it.
CPU: dict[str, float] = {}
CPU_KEYS = ("import process", "PostgreSQL backend")


def parse_only(corpus: Path) -> tuple[int, int, float]:
    """(parsed, failed, seconds): every record read and parsed, nothing written."""
    from decisions.importing.pipeline import parse_record
    from decisions.importing.sources import iter_sources

    started = time.perf_counter()
    parsed = failed = 0
    for item in iter_sources([corpus]):
        if parse_record(item).ok:
            parsed += 1
        else:
            failed += 1
    return parsed, failed, time.perf_counter() - started


def database_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()),"
            " pg_total_relation_size('decisions_decision'),"
            " pg_total_relation_size('decisions_searchchange')"
        )
        database, table, change_log = cursor.fetchone()
    return {"database": database, "decisions_table": table, "search_change_log": change_log}


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def cpu_line(cpu: dict[str, float], decisions: int) -> str:
    """The CPU a decision took, and the rate two idle cores would allow at that cost."""
    process, backend = (1000 * cpu[key] / max(decisions, 1) for key in CPU_KEYS)
    cores = os.cpu_count() or 1
    return (
        f"CPU a decision    {process:.2f} ms import process (with its parsing worker), "
        f"{backend:.2f} ms PostgreSQL backend: at most "
        f"{cores * 1000 / (process + backend):,.0f}/s on {cores} idle cores"
    )


def report(results: dict[str, Any]) -> str:
    mb = 1024 * 1024
    return "\n".join(
        [
            f"corpus            {results['corpus']} ({results['corpus_mb']:.0f} MB)",
            f"decisions         {results['decisions']:,} created, {results['failed']:,} failed",
            f"import            {results['import_seconds']:.1f}s, "
            f"{results['import_per_second']:,.0f} decisions/s end to end (parse + write)",
            f"parse only        {results['parse_seconds']:.1f}s, "
            f"{results['parse_per_second']:,.0f} decisions/s",
            f"write (derived)   {results['import_seconds'] - results['parse_seconds']:.1f}s "
            "(import time minus parse-only time)",
            f"peak RSS          {results['peak_rss_import_mb']:.0f} MB after the import, "
            f"{results['peak_rss_mb']:.0f} MB at the end; the parsing worker "
            f"{results['peak_rss_children_mb']:.0f} MB; PSS of both together, "
            f"sampled every {PSS_EVERY} records: at most {results['peak_pss_mb']:.0f} MB",
            cpu_line(results["cpu"], results["decisions"]),
            f"database size     {results['sizes']['database'] / mb:,.0f} MB "
            f"(decisions table {results['sizes']['decisions_table'] / mb:,.0f} MB, "
            f"search change log {results['sizes']['search_change_log'] / mb:,.0f} MB)",
            f"machine           {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"PostgreSQL {results['postgresql']}",
            "load average      {:.1f} {:.1f} {:.1f} before, {:.1f} {:.1f} {:.1f} after".format(
                *results["load_before"], *results["load_after"]
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    corpus = args.corpus or ensure_corpus(args.count, args.seed, args.real_text)
    server = setup_django(args.database)
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        load_before = os.getloadavg()
        rss_before = peak_rss_mb()
        run, import_seconds = import_corpus(corpus, args.profile)
        rss_import = peak_rss_mb()
        parsed, parse_failed, parse_seconds = parse_only(corpus)
        results = {
            "corpus": str(corpus),
            "corpus_mb": corpus.stat().st_size / 1024 / 1024,
            "decisions": run.created,
            "failed": run.failed,
            "import_seconds": import_seconds,
            "import_per_second": (run.created + run.failed) / import_seconds,
            "parse_seconds": parse_seconds,
            "parse_per_second": (parsed + parse_failed) / parse_seconds,
            "peak_rss_before_import_mb": rss_before,
            "peak_rss_import_mb": rss_import,
            "peak_rss_mb": peak_rss_mb(),
            "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "cpu": dict(CPU),
            "peak_pss_mb": PEAK_PSS["mb"],
            "sizes": database_sizes(),
            "postgresql": server_version(),
            # Other work on the machine skews every figure: say how busy it was.
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(server, args.database)
    if run.failures:
        print(f"first failures: {run.failures[:3]}", file=sys.stderr)
    print(json.dumps(results, indent=2) if args.json else report(results))
    if args.profile:
        stats = pstats.Stats(str(args.profile), stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

"""Freshness: how long after an import ends its decisions are searchable (issue 24).

    SEARCH_INDEX_DIR=bench/data/index-archive_bench python -m bench freshness --count 1000

Starts `manage.py search_index run` (the index's writer, as `make run` and production
run it) on the benchmark database's own index, imports `--count` new generated decisions
with `manage.py import_decisions` (the real pipeline, in another process), and from the
moment the import's process ends polls the index, as a web process reads it, until
every imported decision is in it. Prints that delay, the import's own time, and the
load average at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import ROOT, common

GIVE_UP_SECONDS = 120


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7, help="Not the database's: new decisions.")


def indexed(references: list[str]) -> int:
    """How many of `references` the index holds now (read as a web process reads it)."""
    from decisions.search import engine

    return engine.count(engine.searcher(), engine.any_of("reference", references))


def run(args: argparse.Namespace) -> int:
    common.use_database(args.database)
    common.catch_up_index()
    from django.conf import settings

    from bench.corpus.generate import write
    from decisions.parsing.references import canonical_reference

    corpus = Path(tempfile.mkdtemp(prefix="freshness-")) / "new.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        write(args.count, args.seed, out)
    references = sorted(
        {
            canonical_reference(urlsplit(json.loads(line)["url"]).path.rstrip("/").rsplit("/")[-1])
            for line in corpus.read_text(encoding="utf-8").splitlines()
        }
    )
    env = os.environ | {"DATABASE_URL": common.database_url(settings.DATABASES["default"])}
    quiet = subprocess.DEVNULL
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "run"],
        cwd=ROOT,
        env=env,
        stdout=quiet,
        stderr=quiet,
    )
    try:
        before = indexed(references)
        print(f"load average at the start: {common.load_average()}")
        started = time.monotonic()
        command = [sys.executable, "manage.py", "import_decisions", str(corpus), "--no-progress"]
        subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=quiet, stderr=quiet)
        ended = time.monotonic()
        while indexed(references) < len(references) and time.monotonic() - ended < GIVE_UP_SECONDS:
            time.sleep(0.05)
        waited = time.monotonic() - ended
        print(
            f"{len(references):,} decisions ({before:,} of them already there): imported in "
            f"{ended - started:.1f} s; all searchable {waited:.2f} s after the import ended "
            f"({indexed(references):,} in the index)"
        )
        print(f"load average at the end: {common.load_average()}")
    finally:
        writer.terminate()
        writer.wait(10)
    return 0

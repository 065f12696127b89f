"""Freshness: how long after an import ends its decisions are searchable (issue 24).

    python -m bench.freshness_bench [--database archive_bench] [--count 1000] [--seed 7]

Starts `manage.py search_index run` (the index's writer, as `make run` and production
run it) on the database's own index, imports `--count` new generated decisions with
`manage.py import_decisions` (the real pipeline, in another process), and from the
moment the import's process ends polls the index, as a web process reads it, until
every imported decision is in it. Prints that delay, the import's own time, and the
load average.
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

from bench.load_bench import ROOT, database_url, load_average, setup_django


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def indexed(references: list[str]) -> int:
    """How many of `references` the index holds now (read as a web process reads it)."""
    from decisions.search import engine

    return engine.count(engine.searcher(), engine.any_of("reference", references))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database = setup_django(args.database, tempfile.mkdtemp(prefix="freshness-static-"))
    from bench.generate_corpus import write
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
    env = os.environ | {"DATABASE_URL": database_url(database)}
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "search_index", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        before = indexed(references)
        print(f"load average at the start: {load_average()}")
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "import_decisions", str(corpus), "--no-progress"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ended = time.monotonic()
        while indexed(references) < len(references) and time.monotonic() - ended < 120:
            time.sleep(0.05)
        waited = time.monotonic() - ended
        print(
            f"{len(references):,} decisions ({before:,} of them already there): imported in "
            f"{ended - started:.1f} s; all searchable {waited:.2f} s after the import ended "
            f"({indexed(references):,} in the index)"
        )
        print(f"load average at the end: {load_average()}")
    finally:
        writer.terminate()
        writer.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

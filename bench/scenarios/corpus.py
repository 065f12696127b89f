"""The synthetic corpus: write it, or measure the word statistics of pages.

    python -m bench corpus --count 100000 --seed 1 --out bench/data/corpus.jsonl
    python -m bench corpus --count 5 --seed 1                  # to stdout
    python -m bench corpus --count 5000 --out bench/data/c.jsonl --stats
    python -m bench corpus --measure bench/data/c.jsonl tests/fixtures/lgo_pages.jsonl

--stats prints the table of word statistics and page sizes (bench/corpus/word_statistics.py)
to stderr at the end; --measure prints it for any JSON-lines files of pages.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from bench import DATA
from bench.corpus import generate, real_text
from bench.corpus.word_statistics import Frequencies, measure, page_texts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="The first record's index.")
    parser.add_argument("--out", default="-", help="A .jsonl file, or '-' for stdout.")
    parser.add_argument("--stats", action="store_true", help="Then the word statistics.")
    parser.add_argument("--measure", nargs="+", type=Path, metavar="FILE", help="Pages to measure.")
    parser.add_argument("--limit", type=int, help="--measure: the first N pages of each file.")


def run(args: argparse.Namespace) -> int:
    if args.measure:
        for path in args.measure:
            print(f"{path}\n{measure(page_texts(path, args.limit)).table()}\n")
        return 0
    stats = Frequencies() if args.stats else None
    if args.out == "-":
        generate.write(args.count, args.seed, sys.stdout, stats, args.start)
    else:
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            generate.write(args.count, args.seed, out, stats, args.start)
    if stats is not None:
        print(stats.table(), file=sys.stderr)
    return 0


def cached_corpus(count: int, seed: int = 1, real: bool = False) -> Path:
    """The corpus of `count` records for `seed` (or of the real statements' text), written
    once under DATA and reused: it is deterministic, and named with its version."""
    if real:
        path = DATA / f"real-corpus-{count}-v{real_text.VERSION}.jsonl"
    else:
        path = DATA / f"corpus-{count}-seed{seed}-v{generate.VERSION}.jsonl"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            write_corpus(out, count, seed, real)
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def write_corpus(out: TextIO, count: int, seed: int, real: bool) -> None:
    if real:
        real_text.write(count, out)
    else:
        generate.write(count, seed, out)

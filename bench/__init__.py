"""Benchmarks: `python -m bench <scenario>` (bench/README.md)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Generated corpora, SQLite copies and search indexes, git-ignored and reused between
# runs (a smoke test puts them in its tmp_path).
DATA = Path(os.environ.get("BENCH_DATA_DIR", ROOT / "bench" / "data"))

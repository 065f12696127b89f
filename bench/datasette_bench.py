"""For comparison: Datasette over SQLite FTS5, on the same corpus, scenarios 1-4.

    bench/data/.venv-datasette/bin/python -m bench.datasette_bench [--count 20000]
        [--requests 50] [--warmup 5]

Datasette lives only in its own virtualenv, under the git-ignored bench/data/:

    python3 -m venv bench/data/.venv-datasette
    bench/data/.venv-datasette/bin/pip install datasette

The corpus (bench/data/corpus-N-seed1-vV.jsonl, made by bench.import_bench) is parsed with
the project's own parser (decisions.parsing needs no Django) into one SQLite table with
an external-content FTS5 index over summary and body, built once and cached beside it.
Datasette's table pages are then requested in process through `datasette.client` (ASGI,
no network), as bench.query_bench does with Django's test client, with facets on
category, outcome and organisation, and the same rules for picking values from the data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench.query_bench import SAMPLE_DECISIONS, mid_frequency, words_of

DATA = Path(__file__).resolve().parent / "data"
FACETS = [("_facet", "category"), ("_facet", "outcome"), ("_facet", "organisation")]
# What a row of the Django list shows, 20 to a page (Datasette shows every column, 100).
COLUMNS = [
    ("_col", name)
    for name in ("reference", "organisation", "category", "outcome", "decision_date", "summary")
]
PAGE = [("_size", "20")]
SCHEMA = """
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY, reference TEXT UNIQUE, organisation TEXT, category TEXT,
    subcategory TEXT, outcome TEXT, decision_date TEXT, summary TEXT, body_text TEXT
);
CREATE INDEX decisions_date ON decisions (decision_date DESC);
CREATE INDEX decisions_category ON decisions (category, decision_date DESC);
CREATE INDEX decisions_outcome ON decisions (outcome, decision_date DESC);
CREATE INDEX decisions_organisation ON decisions (organisation, decision_date DESC);
CREATE VIRTUAL TABLE decisions_fts USING fts5(
    summary, body_text, content="decisions", content_rowid="id", tokenize='porter'
);
"""


def build(corpus: Path) -> Path:
    """corpus.jsonl -> corpus.sqlite (once): parsed rows and their FTS5 index."""
    from decisions.parsing import parse_decision

    path = corpus.with_suffix(".sqlite")
    if path.exists():
        return path
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(SCHEMA)
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            p = parse_decision(record["text"], url=record["url"])
            db.execute(
                "INSERT INTO decisions (reference, organisation, category, subcategory, outcome,"
                " decision_date, summary, body_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    p.reference,
                    p.organisation,
                    p.category,
                    p.subcategory,
                    p.outcome,
                    p.decision_date.isoformat() if p.decision_date else None,
                    p.summary,
                    p.body_text,
                ],
            )
    db.execute("INSERT INTO decisions_fts (decisions_fts) VALUES ('rebuild')")
    db.commit()
    db.execute("ANALYZE")
    db.close()
    partial.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def pick_parameters(path: Path) -> dict[str, str]:
    """The values bench.query_bench picks, by the same rules, from the SQLite copy."""
    db = sqlite3.connect(path)

    def one(sql: str, *args: object) -> tuple:
        return db.execute(sql, args).fetchone()

    category, outcome = one(
        "SELECT category, outcome FROM decisions WHERE category IS NOT NULL AND outcome <> ''"
        " GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
    )
    (total,) = one("SELECT count(decision_date) FROM decisions")
    date = "SELECT decision_date FROM decisions WHERE decision_date IS NOT NULL"
    date_from = one(f"{date} ORDER BY decision_date LIMIT 1 OFFSET ?", total // 4)[0]
    date_to = one(f"{date} ORDER BY decision_date LIMIT 1 OFFSET ?", total * 3 // 4)[0]
    words, pairs = Counter(), Counter()
    rows = db.execute(
        "SELECT summary || ' ' || body_text FROM decisions ORDER BY id LIMIT ?",
        [SAMPLE_DECISIONS],
    ).fetchall()
    for (text,) in rows:
        tokens = words_of(text)
        words.update(set(tokens) - {None})
        pairs.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a and b})
    common = {"that", "this", "with", "have", "from", "were", "would", "council", "complaint"}
    two = " ".join(mid_frequency(words, len(rows), common, 2))
    phrase = mid_frequency(pairs, len(rows), set(), 1)[0]
    (organisation,) = one(
        "SELECT d.organisation FROM decisions_fts f JOIN decisions d ON d.id = f.rowid"
        " WHERE decisions_fts MATCH ? AND d.organisation IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        f'"{phrase}"',
    )
    db.close()
    return {
        "category": category,
        "outcome": outcome,
        "date_from": date_from,
        "date_to": date_to,
        "words": two,
        "phrase": phrase,
        "organisation": organisation,
    }


def scenarios(table: str, p: dict[str, str]) -> list[tuple[str, str]]:
    def url(*params: tuple[str, str]) -> str:
        return f"{table}?" + urlencode([*params, *COLUMNS, *PAGE, *FACETS])

    return [
        ("1. first page, no filters", url(("_sort_desc", "decision_date"))),
        (
            "2. category + outcome + date range",
            url(
                ("category", p["category"]),
                ("outcome", p["outcome"]),
                ("decision_date__gte", p["date_from"]),
                ("decision_date__lte", p["date_to"]),
                ("_sort_desc", "decision_date"),
            ),
        ),
        # Datasette escapes the words and ANDs them; FTS5 orders the matches by rank.
        ("3. two-word search", url(("_search", p["words"]))),
        (
            "4. phrase + organisation",
            url(
                ("_search", f'"{p["phrase"]}"'),
                ("_searchmode", "raw"),
                ("organisation", p["organisation"]),
            ),
        ),
    ]


def percentile(values: list[float], p: int) -> float:
    import statistics

    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def matched(ds, url: str) -> str:
    """How many rows the page's filter matches, and any facet Datasette gave up on."""
    data = (await ds.client.get(url.replace("/decisions?", "/decisions.json?"))).json()
    timed_out = data.get("facets_timed_out") or []
    return f"{data['filtered_table_rows_count']:,} rows" + (
        f", facets timed out: {timed_out}" if timed_out else ""
    )


async def measure(path: Path, requests: int, warmup: int) -> list[tuple[str, str, list[float]]]:
    from datasette.app import Datasette

    # Time limits raised so that every facet is counted, as the Django page does, rather
    # than dropped after Datasette's default 200 ms; no facet suggestions (extra queries).
    ds = Datasette(
        files=[str(path)],
        settings={
            "sql_time_limit_ms": 60_000,
            "facet_time_limit_ms": 60_000,
            "suggest_facets": False,
        },
    )
    await ds.invoke_startup()
    table = f"/{path.stem}/decisions"
    results = []
    for name, url in scenarios(table, pick_parameters(path)):
        for _ in range(warmup):
            await ds.client.get(url)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = await ds.client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
        results.append((name, f"{url} ({await matched(ds, url)})", timings))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="Default: the cached corpus for --count.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="Print the percentiles as JSON.")
    args = parser.parse_args(argv)
    corpus = args.corpus or next(
        iter(sorted(DATA.glob(f"corpus-{args.count}-seed{args.seed}-v*.jsonl"))), None
    )
    if corpus is None:
        raise SystemExit(f"No corpus for --count {args.count}: run bench.import_bench first.")
    path = build(corpus)
    results = asyncio.run(measure(path, args.requests, args.warmup))
    from datasette.version import __version__

    (decisions,) = sqlite3.connect(path).execute("SELECT count(*) FROM decisions").fetchone()
    if args.json:  # for bench.query_bench --datasette, which prints the ratios
        summary = {
            name: {f"p{p}": percentile(timings, p) for p in (50, 95, 99)} | {"url": url}
            for name, url, timings in results
        }
        print(json.dumps({"decisions": decisions, "datasette": __version__, **summary}))
        return
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"{decisions:,} decisions in {path.name}; Datasette {__version__}, SQLite "
        f"{sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load}"
    )
    print("Datasette's table pages through datasette.client (ASGI, in process, no network).")
    print(f"{args.requests} timed requests per scenario after {args.warmup} warm-up; ms.\n")
    print(f"{'scenario':<36} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for name, _, timings in results:
        print(
            f"{name:<36} {percentile(timings, 50):7.1f} {percentile(timings, 95):7.1f}"
            f" {percentile(timings, 99):7.1f} {max(timings):7.1f}"
        )
    print()
    for name, url, _ in results:
        print(f"{name}: {url}")


if __name__ == "__main__":
    main()

"""Datasette over SQLite FTS5 on the same corpus, for comparison with the query mix.

    bench/data/.venv-datasette/bin/python -m bench datasette [--count 20000]
        [--corpus FILE] [--limit N] [--requests 50] [--warmup 5]
    python -m bench mix --datasette     # runs it after the mix, and prints the ratios

Datasette lives only in its own virtualenv, under the git-ignored bench/data/:

    python3 -m venv bench/data/.venv-datasette
    bench/data/.venv-datasette/bin/pip install datasette selectolax  # the parser reads HTML with it

The corpus (bench/data/corpus-N-seed1-vV.jsonl, made by `python -m bench import`) is parsed with
the project's own parser (decisions.parsing needs no Django) into one SQLite table with
an external-content FTS5 index over summary and body, built once and cached beside it.
Datasette's table pages are then requested in process through `datasette.client` (ASGI,
no network), as the query mix does with Django's test client, with facets on
category, outcome and organisation, and the same rules for picking values from the data.
`--limit N` builds it from the first N records only, to match a database that holds them.

The scenarios are the query mix's, each as Datasette serves it (its names, so the two
reports line up): the list (1-5, 7-13), a row page for a decision page (6: no similar
decisions), a filter on the reference column for a reference typed as a search (14: no
redirect), and the JSON of the table for the API (15, 16). Datasette pages by keyset
(`_next`), not by page number: a deep page (5, 13, 16) is reached by following its "next"
links from the first page before timing, then timed as the one request a reader makes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from bench import DATA, common
from bench.scenarios.mix import (
    API_CURSOR_PAGE,
    BROAD_PAGE,
    BROAD_SEARCH,
    DEEP_PAGE,
    DETAIL_PAGES,
    SAMPLE_DECISIONS,
    SCENARIOS,
    SEARCHES,
    pick_terms,
)

FACETS = [("_facet", "category"), ("_facet", "outcome"), ("_facet", "organisation")]
# What a row of the Django list shows, 20 to a page (Datasette shows every column, 100).
COLUMNS = [
    ("_col", name)
    for name in ("reference", "organisation", "category", "outcome", "decision_date", "summary")
]
PER_PAGE = 20
PAGE = [("_size", str(PER_PAGE))]
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


def build(corpus: Path, limit: int | None = None) -> Path:
    """corpus.jsonl -> corpus.sqlite (once): parsed rows and their FTS5 index; of the
    first `limit` records only, when given."""
    from decisions.parsing import parse_decision

    stem = corpus.stem if limit is None else f"{corpus.stem}-first{limit}"  # no dot: Datasette
    path = corpus.with_name(f"{stem}.sqlite")  # would read one as a format
    path = DATA / path.name  # beside the other cached data, even for a corpus elsewhere
    if path.exists():
        return path
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(SCHEMA)
    with corpus.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                break
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
    """The values the query mix picks, by the same rules, from the SQLite copy."""
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
    rows = db.execute(
        "SELECT summary || ' ' || body_text FROM decisions ORDER BY id LIMIT ?",
        [SAMPLE_DECISIONS],
    ).fetchall()
    two, phrase = pick_terms([text for (text,) in rows])
    (organisation,) = one(
        "SELECT d.organisation FROM decisions_fts f JOIN decisions d ON d.id = f.rowid"
        " WHERE decisions_fts MATCH ? AND d.organisation IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        f'"{phrase}"',
    )
    broad_outcome, broad_count = one(
        "SELECT outcome, count(*) FROM decisions WHERE outcome <> ''"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    (with_category,) = one("SELECT count(*) FROM decisions WHERE category IS NOT NULL")
    step = max(with_category // DETAIL_PAGES, 1)
    details = [
        one(
            "SELECT id FROM decisions WHERE category IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?",
            offset,
        )[0]
        for offset in range(0, min(with_category, step * DETAIL_PAGES), step)
    ]
    (reference,) = one("SELECT reference FROM decisions ORDER BY id LIMIT 1")
    (broad_matches,) = one(
        "SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH ?",
        " ".join(f'"{word}"' for word in BROAD_SEARCH.split()),
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
        "broad_outcome": broad_outcome,
        "deep_page": max(1, min(DEEP_PAGE, broad_count // PER_PAGE)),
        "api_page": max(1, min(API_CURSOR_PAGE, broad_count // PER_PAGE)),
        "broad_page": max(1, min(BROAD_PAGE, broad_matches // PER_PAGE)),
        "details": details,
        "reference": reference,
    }


def scenarios(table: str, p: dict[str, Any]) -> list[tuple[str, list[str], int]]:
    """(name, URLs requested in turn, the page reached by following "next" first)."""

    def url(*params: tuple[str, str], json: bool = False, facets: bool = True) -> str:
        path = f"{table}.json" if json else table
        return f"{path}?" + urlencode([*params, *COLUMNS, *PAGE, *(FACETS if facets else [])])

    def searched(text: str) -> tuple[str, str]:
        # Datasette escapes the words and ANDs them; FTS5 orders the matches by rank.
        return ("_search", text)

    def phrase(text: str) -> list[tuple[str, str]]:
        return [("_search", text), ("_searchmode", "raw")]

    def typed(text: str) -> list[tuple[str, str]]:
        return phrase(text) if text.startswith('"') else [searched(text)]

    newest = ("_sort_desc", "decision_date")
    category_outcome = [("category", p["category"]), ("outcome", p["outcome"])]
    care, fault = SEARCHES[0], BROAD_SEARCH
    return [
        ("1. first page, no filters", [url(newest)], 1),
        (
            "2. category + outcome + date range",
            [
                url(
                    *category_outcome,
                    ("decision_date__gte", p["date_from"]),
                    ("decision_date__lte", p["date_to"]),
                    newest,
                )
            ],
            1,
        ),
        ("3. two-word search", [url(searched(p["words"]))], 1),
        (
            "4. phrase + organisation",
            [url(*phrase(f'"{p["phrase"]}"'), ("organisation", p["organisation"]))],
            1,
        ),
        (
            "5. deep page of a broad filter",
            [url(("outcome", p["broad_outcome"]), newest)],
            p["deep_page"],
        ),
        ("6. detail page + similar", [f"{table}/{pk}" for pk in p["details"]], 1),
        *(
            (name, [url(*typed(text))], 1)
            for name, text in zip(SCENARIOS[6:10], SEARCHES, strict=True)
        ),
        ("11. search + category + outcome", [url(searched(care), *category_outcome)], 1),
        ("12. search, newest first", [url(searched(care), newest)], 1),
        ("13. page 20 of a broad search", [url(searched(fault))], p["broad_page"]),
        ("14. a reference as a search", [url(("reference", p["reference"]))], 1),
        ("15. API: broad search", [url(searched(fault), json=True)], 1),
        (
            "16. API: cursor page 50",
            [url(("outcome", p["broad_outcome"]), newest, json=True, facets=False)],
            p["api_page"],
        ),
    ]


async def reach(ds: Any, url: str, page: int) -> str:
    """The URL of page `page` of `url`: Datasette's "next" token after the rows of the
    pages before it, read in one request of that many rows (no facets), then used on
    the page as a reader requests it (20 rows, facets)."""
    if page <= 1:
        return url
    path, _, query = url.partition("?")
    skipped = [
        (name, value) for name, value in parse_qsl(query) if name not in ("_size", "_facet", "_col")
    ]
    before = PER_PAGE * (page - 1)
    skip_url = f"{path.removesuffix('.json')}.json?" + urlencode(
        [*skipped, ("_col", "reference"), ("_size", str(before))]
    )
    data = (await ds.client.get(skip_url)).json()
    if not data.get("next"):
        raise RuntimeError(f"{skip_url}: no page {page}")
    return f"{url}&_next={quote(str(data['next']))}"


async def matched(ds: Any, url: str) -> str:
    """How many rows the page's filter matches, and any facet Datasette gave up on."""
    data = (await ds.client.get(url.replace("/decisions?", "/decisions.json?", 1))).json()
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
            # Only for reaching a deep page's "next" token in one request (see reach()).
            "max_returned_rows": PER_PAGE * max(DEEP_PAGE, API_CURSOR_PAGE, BROAD_PAGE),
        },
    )
    await ds.invoke_startup()
    table = f"/{path.stem}/decisions"
    results = []
    for name, first_urls, page in scenarios(table, pick_parameters(path)):
        urls = [await reach(ds, url, page) for url in first_urls]
        for index in range(warmup):
            await ds.client.get(urls[index % len(urls)])
        timings = []
        for index in range(requests):
            url = urls[index % len(urls)]
            started = time.perf_counter()
            response = await ds.client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
        note = f"page {page}, " if page > 1 else ""
        counted = await matched(ds, urls[0]) if "?" in urls[0] else "a row page"
        results.append((name, f"{urls[0]} ({note}{counted})", timings))
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="Default: the cached corpus for --count.")
    parser.add_argument("--limit", type=int, help="Only the corpus's first N records.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="Print the percentiles as JSON.")


def run(args: argparse.Namespace) -> int:
    corpus = args.corpus or next(
        iter(sorted(DATA.glob(f"corpus-{args.count}-seed{args.seed}-v*.jsonl"))), None
    )
    if corpus is None:
        raise SystemExit(f"No corpus for --count {args.count}: python -m bench import first.")
    path = build(corpus, args.limit)
    results = asyncio.run(measure(path, args.requests, args.warmup))
    from datasette.version import __version__

    (decisions,) = sqlite3.connect(path).execute("SELECT count(*) FROM decisions").fetchone()
    if args.json:  # for `python -m bench mix --datasette`, which prints the ratios
        summary = {
            name: {f"p{p}": common.percentile(timings, p) for p in (50, 95, 99)} | {"url": url}
            for name, url, timings in results
        }
        print(json.dumps({"decisions": decisions, "datasette": __version__, **summary}))
        return 0
    load = common.load_average()
    print(
        f"{decisions:,} decisions in {path.name}; Datasette {__version__}, SQLite "
        f"{sqlite3.sqlite_version}, load average {load}"
    )
    print("Datasette's table pages through datasette.client (ASGI, in process, no network).")
    print(f"{args.requests} timed requests per scenario after {args.warmup} warm-up; ms.\n")
    print(f"{'scenario':<36} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for name, _, timings in results:
        print(
            f"{name:<36} {common.percentile(timings, 50):7.1f} {common.percentile(timings, 95):7.1f}"
            f" {common.percentile(timings, 99):7.1f} {max(timings):7.1f}"
        )
    print()
    for name, url, _ in results:
        print(f"{name}: {url}")
    return 0

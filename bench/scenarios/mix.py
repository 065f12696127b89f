"""The query mix: every page scenario through Django's test client, on a benchmark database.

    python -m bench mix                                   # archive_bench, 50 timed requests a scenario
    python -m bench mix --requests 5 --explain            # and EXPLAIN (ANALYZE, BUFFERS)
    python -m bench mix --only 17-25                      # the statistics pages only
    python -m bench mix --url "/?q=care+assessment"       # one page's queries, slowest first
    python -m bench mix --datasette                       # then Datasette on the same corpus

On the database `python -m bench import --keep` left (`--database`, archive_bench) and its
own search index. Each scenario is a page requested through the test client: the real
URLconf, middleware, view, queries and template in this process, with no network and no
WSGI server, so a request's time is the server's side only. The values (category,
organisation, search words, a phrase, decisions) are picked from the data. Each scenario
gets --warmup untimed requests, then --requests timed ones: p50, p95, p99 and max; one
more request is made with its queries captured, for their count and time ("SQL ms").

Scenarios 7-14 are the searches caseworkers type first (issue 14), each with the share
of decisions it matches; 15-16 the JSON API; 17-25 the statistics pages. The report ends
with the word statistics of the first --stats-pages decisions' captured pages, beside the
real statements' (bench/corpus/word_statistics.py), so a reader can see whether the
corpus was realistic.

--url times one page (two untimed requests, then one with its queries captured) and
prints the six slowest queries: run it in a worktree of another commit to compare.

--datasette then runs `python -m bench datasette` in Datasette's own virtualenv
(bench/scenarios/datasette.py) on the same corpus and prints our p95 over Datasette's
for every shared scenario.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import DATA, ROOT, common
from bench.corpus.word_statistics import Frequencies

SCENARIOS = (
    "1. first page, no filters",
    "2. category + outcome + date range",
    "3. two-word search",
    "4. phrase + organisation",
    "5. deep page of a broad filter",
    "6. detail page + similar",
    "7. care assessment",
    "8. council fault",
    '9. "social worker"',
    "10. bailiff",
    "11. search + category + outcome",
    "12. search, newest first",
    "13. page 20 of a broad search",
    "14. a reference as a search",
    "15. API: broad search",
    "16. API: cursor page 50",
    "17. statistics, no filters",
    "18. statistics, a broad outcome",
    "19. statistics, cat+outcome+dates",
    "20. statistics, an organisation",
    "21. statistics, remedy + by rate",
    "22. statistics, broad search",
    "23. statistics, rare search",
    "24. organisation page",
    "25. statistics CSV, league table",
)
# The searches of issue 14, as a caseworker types them; the broad one is paged.
SEARCHES = ("care assessment", "council fault", '"social worker"', "bailiff")
BROAD_SEARCH, BROAD_PAGE = "council fault", 20
STATS_PAGES = 20_000  # decisions whose pages' word statistics are reported
DEEP_PAGE = 500
API_CURSOR_PAGE = 50  # the API's date order pages by cursor: page 50 costs as page 1
DETAIL_PAGES = 10  # different decisions, requested in turn
SAMPLE_DECISIONS = 200  # decisions whose words the search terms are picked from
COMMON_WORDS = {"that", "this", "with", "have", "from", "were", "would", "council", "complaint"}
DATASETTE_PYTHON = DATA / ".venv-datasette" / "bin" / "python"


@dataclass
class Scenario:
    name: str
    urls: list[str]  # requested in turn
    note: str = ""
    # A reference typed alone redirects to its decision: the time is the search's
    # look-up and the decision page it leads to, as the person waits for both.
    follow: bool = False


@dataclass
class Result:
    scenario: Scenario
    timings_ms: list[float]
    queries: int
    query_ms: float  # the queries' own time in the counted request (cursor round trips)
    explains: list[tuple[float, str, str]] = field(default_factory=list)  # (ms, sql, plan)

    def percentile(self, p: int) -> float:
        return common.percentile(self.timings_ms, p)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per scenario.")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests per scenario.")
    parser.add_argument("--only", default="", help="Scenarios by number: 17-25, or 1,3.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries.")
    parser.add_argument("--explain-top", type=int, default=2, help="Queries explained each.")
    parser.add_argument(
        "--stats-pages",
        type=int,
        default=STATS_PAGES,
        help="Decisions whose captured pages the word statistics are measured on (0: none).",
    )
    parser.add_argument("--url", help="Only this page: its time and its slowest queries.")
    parser.add_argument("--datasette", action="store_true", help="Then Datasette, side by side.")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="--datasette: the corpus the database was imported from (default: the cached "
        "corpus of as many records as the database holds decisions).",
    )


# --- the parameters, from the data ------------------------------------------------------


def words_of(text: str) -> list[str | None]:
    """The words of `text` in order, lower-cased; None for a short word, a number or a
    word with punctuation, so that no pair of words is made across it."""
    return [word.lower() if word.isalpha() and len(word) >= 4 else None for word in text.split()]


def mid_frequency(counts: Counter, documents: int, skip: set[str], n: int) -> list[str]:
    """The `n` terms closest to being in 10% of `documents`: specific, yet common enough
    that a search finds a page of results. Ties by alphabetical order: deterministic."""
    target = max(documents * 0.1, 2)
    candidates = [term for term, count in counts.items() if count >= 2 and term not in skip]
    candidates.sort(key=lambda term: (abs(counts[term] - target), term))
    return candidates[:n]


def pick_terms(texts: list[str]) -> tuple[str, str]:
    """(two words, a two-word phrase) of `texts`, each in about 10% of them."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in texts:
        tokens = words_of(text)
        words.update(word for word in set(tokens) if word)
        pairs.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a and b})
    two = mid_frequency(words, len(texts), COMMON_WORDS, 2)
    phrase = mid_frequency(pairs, len(texts), set(), 1)
    return " ".join(two) or "care home", (phrase[0] if phrase else "care home")


def search_terms() -> tuple[str, str]:
    """(two words, a two-word phrase) that occur in the decisions' text."""
    rows = common.sql_rows(
        "SELECT summary || ' ' || body_text FROM decisions_decision"
        " WHERE withdrawn_at IS NULL ORDER BY id LIMIT %s",
        [SAMPLE_DECISIONS],
    )
    return pick_terms([text for (text,) in rows])


def pick_parameters(per_page: int) -> dict[str, Any]:
    """Real values for every scenario, read from the database in a few queries."""
    from decisions.models import Decision
    from decisions.search.query import DecisionSearch

    published = Decision.objects.published()
    category, outcome = common.sql_rows(
        "SELECT c.slug, d.outcome FROM decisions_decision d"
        " JOIN decisions_category s ON s.id = d.category_id"
        " JOIN decisions_category c ON c.id = s.parent_id"
        " WHERE d.withdrawn_at IS NULL AND d.outcome <> ''"
        " GROUP BY c.slug, d.outcome ORDER BY count(*) DESC, c.slug, d.outcome LIMIT 1"
    )[0]
    # The middle half of the decision dates.
    date_from, date_to = common.sql_rows(
        "SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY decision_date),"
        " percentile_disc(0.75) WITHIN GROUP (ORDER BY decision_date)"
        " FROM decisions_decision WHERE withdrawn_at IS NULL"
    )[0]
    words, phrase = search_terms()
    # The organisation with the most decisions containing the phrase: a page of results.
    facets = DecisionSearch.from_params({"q": f'"{phrase}"'}).facets
    top = [o for f in facets if f.name == "organisation" for o in f.options][:1]
    organisation: str | None
    if top:
        organisation = top[0].changes["organisation"]
    else:
        named = published.exclude(organisation=None).order_by("id")
        organisation = named.values_list("organisation__slug", flat=True).first()
    # A broad filter: the most common outcome, over every category.
    broad_outcome, broad_count = common.sql_rows(
        "SELECT outcome, count(*) FROM decisions_decision"
        " WHERE withdrawn_at IS NULL AND outcome <> ''"
        " GROUP BY outcome ORDER BY count(*) DESC, outcome LIMIT 1"
    )[0]
    total = published.filter(category__isnull=False).count()
    step = max(total // DETAIL_PAGES, 1)
    details = [
        decision.get_absolute_url()
        for offset in range(0, min(total, step * DETAIL_PAGES), step)
        for decision in published.filter(category__isnull=False).order_by("id")[offset : offset + 1]
    ]
    matches = {text: DecisionSearch.from_params({"q": text}).total.value for text in SEARCHES}
    broad_pages = max(1, min(BROAD_PAGE, matches[BROAD_SEARCH] // per_page))
    reference = published.order_by("id").values_list("reference", flat=True).first()
    return {
        "api_cursor": api_cursor(broad_outcome, broad_count, per_page),
        "total": published.count(),
        "matches": matches,
        "broad_page": broad_pages,
        "reference": reference,
        "category": category,
        "outcome": outcome,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "words": words,
        "phrase": phrase,
        "organisation": organisation,
        "broad_outcome": broad_outcome,
        "deep_page": max(1, min(DEEP_PAGE, broad_count // per_page)),
        "details": details,
    }


def scenarios(p: dict[str, Any]) -> list[Scenario]:
    """The 25 scenarios, in SCENARIOS' order, with the values `pick_parameters` found."""
    from urllib.parse import urlencode

    def listing(**params: Any) -> list[str]:
        return ["/?" + urlencode(params) if params else "/"]

    def api(**params: Any) -> list[str]:
        return ["/api/v1/decisions/?" + urlencode(params)]

    def statistics(**params: Any) -> list[str]:
        return ["/statistics/?" + urlencode(params) if params else "/statistics/"]

    def matches(text: str) -> str:
        return share(p["matches"][text], p["total"])

    filters = {"category": p["category"], "outcome": p["outcome"]}
    dates = {"date_from": p["date_from"], "date_to": p["date_to"]}
    care = SEARCHES[0]
    found = [
        (listing(), ""),
        (listing(**filters, **dates), ""),
        (listing(q=p["words"]), ""),
        (listing(q=f'"{p["phrase"]}"', organisation=p["organisation"]), ""),
        (listing(outcome=p["broad_outcome"], page=p["deep_page"]), f"page {p['deep_page']}"),
        (p["details"], f"{len(p['details'])} decisions in turn"),
        *((listing(q=text), matches(text)) for text in SEARCHES),
        (listing(q=care, **filters), ""),
        (listing(q=care, sort="newest"), ""),
        (listing(q=BROAD_SEARCH, page=p["broad_page"]), f"page {p['broad_page']}"),
        (listing(q=p["reference"]), "redirected to the decision: both requests timed"),
        (api(q=BROAD_SEARCH), f"the JSON of scenario 8 with its facets; {matches(BROAD_SEARCH)}"),
        (
            api(outcome=p["broad_outcome"], facets="false", cursor=p["api_cursor"]),
            f"newest first, after {API_CURSOR_PAGE - 1} pages; the facets left out",
        ),
        (statistics(), "the same for everyone: cached per generation"),
        (statistics(outcome=p["broad_outcome"]), "exact, from the summary cells"),
        (
            statistics(**filters, **dates),
            "whole months from the cells, the edge days from the decisions",
        ),
        (statistics(organisation=p["organisation"]), ""),
        (statistics(remedy="apology", has_remedy="on", league_sort="rate"), ""),
        (
            statistics(q=BROAD_SEARCH),
            f"estimated from the search's sample; {matches(BROAD_SEARCH)}",
        ),
        (statistics(q="bailiff"), matches("bailiff")),
        (
            [f"/organisations/{p['organisation']}/"],
            "its trend and its figures beside the median organisation's",
        ),
        (
            [
                "/statistics/download.csv?"
                + urlencode({"outcome": p["broad_outcome"], "table": "organisations"})
            ],
            "",
        ),
    ]
    return [
        # A reference typed alone (14) redirects to its decision: both requests are timed.
        Scenario(name, urls, note, follow=name.startswith("14."))
        for name, (urls, note) in zip(SCENARIOS, found, strict=True)
    ]


def api_cursor(outcome: str, count: int, per_page: int) -> str:
    """The API's cursor for page API_CURSOR_PAGE (or the last) of `outcome`, newest first:
    the position after the last decision of the page before it."""
    from decisions.models import Decision
    from decisions.search.query import Cursor

    offset = max(0, min(API_CURSOR_PAGE - 1, count // per_page - 1)) * per_page
    matching = Decision.objects.published().filter(outcome=outcome).newest_first()
    before = matching.values_list("decision_date", "pk")[max(offset - 1, 0)]
    return str(Cursor(*before))


def share(matches: int, total: int) -> str:
    return f"matches {matches:,} of {total:,} decisions, {100 * matches / max(total, 1):.0f}%"


def page_statistics(limit: int) -> Frequencies:
    """The word statistics (bench/corpus/word_statistics.py) of the pages of the first `limit`
    published decisions by id, as the import captured them: each decision's best
    capture, the page its text and search vector were derived from."""
    from django.db.models import F

    from decisions.models import Capture

    stats = Frequencies()
    captures = (
        Capture.objects.filter(decision__withdrawn_at=None, sha256=F("decision__source_hash"))
        .order_by("decision_id")
        .only("raw", "is_text")[:limit]
    )
    for capture in captures.iterator(chunk_size=1000):
        content = capture.content()
        if isinstance(content, str):  # a JSON-lines record's page; raw files are not counted
            stats.add(content)
    return stats


# --- measuring -------------------------------------------------------------------------


def request(client: Any, url: str, follow: bool = False) -> None:
    response = client.get(url, follow=follow)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if response.streaming:  # a download: its time includes writing every line
        b"".join(response.streaming_content)


def explain(captured: list[dict[str, str]], top: int) -> list[tuple[float, str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the `top` slowest captured SELECTs, slowest first."""
    from django.db import connection

    selects = [q for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    slowest = sorted(selects, key=lambda q: -float(q["time"]))[:top]
    plans = []
    with connection.cursor() as cursor:
        for query in slowest:
            # Django's psycopg cursors bind client-side: the captured SQL has its literals.
            # No parameters given: Django passes the SQL through as it is, % signs and all.
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append((float(query["time"]) * 1000, query["sql"], plan))
    return plans


def measure(
    client: Any,
    found: list[Scenario],
    requests: int,
    warmup: int,
    explain_top: int = 0,
) -> list[Result]:
    """Time `requests` requests of each scenario after `warmup` untimed ones; count the
    queries of one more request (captured apart, so capturing costs no timed request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for scenario in found:
        urls, follow = scenario.urls, scenario.follow
        for index in range(warmup):
            request(client, urls[index % len(urls)], follow)
        timings = []
        for index in range(requests):
            started = time.perf_counter()
            request(client, urls[index % len(urls)], follow)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            request(client, urls[0], follow)
        queries = captured.captured_queries
        query_ms = sum(float(query["time"]) for query in queries) * 1000
        result = Result(scenario, timings, len(queries), query_ms)
        if explain_top:
            result.explains = explain(captured.captured_queries, explain_top)
        results.append(result)
    return results


# --- running it -------------------------------------------------------------------------


def report(results: list[Result], decisions: int, args: argparse.Namespace) -> str:
    lines = [
        f"{decisions:,} published decisions in {args.database}; {common.machine()}",
        "Real views through Django's test client (URLconf, middleware, view, queries, template;"
        " no network, no WSGI server).",
        f"{args.requests} timed requests per scenario after {args.warmup} warm-up; ms per request."
        " queries and SQL ms: one more request, its queries captured (ms, rounded by Django).",
        "",
        f"{'scenario':<36} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'queries':>7}"
        f" {'SQL ms':>7}",
    ]
    for result in results:
        lines.append(
            f"{result.scenario.name:<36} {result.percentile(50):7.1f} {result.percentile(95):7.1f}"
            f" {result.percentile(99):7.1f} {max(result.timings_ms):7.1f} {result.queries:7d}"
            f" {result.query_ms:7.0f}"
        )
    lines.append("")
    for result in results:
        note = f" ({result.scenario.note})" if result.scenario.note else ""
        lines.append(f"{result.scenario.name}: {result.scenario.urls[0]}{note}")
    for result in results:
        for ms, sql, plan in result.explains:
            lines += ["", f"=== {result.scenario.name}: {ms:.1f} ms when captured", sql, plan]
    lines.append(f"load average at the end: {common.load_average()}")
    return "\n".join(lines)


def one_page(client: Any, url: str) -> str:
    """One page's time, after two untimed requests, and its six slowest queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    queries = captured.captured_queries
    lines = [
        f"{response.status_code} {elapsed * 1000:.0f} ms, {len(queries)} queries; {common.machine()}"
    ]
    for query in sorted(queries, key=lambda query: -float(query["time"]))[:6]:
        lines.append(f"{float(query['time']) * 1000:7.0f} ms  {query['sql'][:300]}")
    return "\n".join(lines)


def datasette(args: argparse.Namespace, decisions: int) -> dict[str, Any]:
    """`python -m bench datasette`'s percentiles on the same corpus, run in its own
    virtualenv after ours, so the two never compete for the machine."""
    from bench.corpus.generate import VERSION

    if not DATASETTE_PYTHON.exists():
        raise SystemExit(f"{DATASETTE_PYTHON} is missing: see bench/scenarios/datasette.py")
    corpus = args.corpus or DATA / f"corpus-{decisions}-seed1-v{VERSION}.jsonl"
    if not corpus.exists():
        raise SystemExit(f"{corpus} not found: name the database's corpus with --corpus")
    command = [str(DATASETTE_PYTHON), "-m", "bench", "datasette", "--json"]
    command += ["--corpus", str(corpus), "--limit", str(decisions)]
    command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def side_by_side(results: list[Result], theirs: dict[str, Any]) -> str:
    lines = [
        f"Side by side with Datasette {theirs['datasette']} over SQLite FTS5 "
        f"({theirs['decisions']:,} decisions, the same corpus): p95 ms; below 1 is faster.",
        f"{'scenario':<36} {'ours':>7} {'theirs':>7} {'ratio':>7}",
    ]
    for result in results:
        other = theirs.get(result.scenario.name)
        if other:
            ours = result.percentile(95)
            lines.append(
                f"{result.scenario.name:<36} {ours:7.1f} {other['p95']:7.1f}"
                f" {ours / other['p95']:7.2f}"
            )
    return "\n".join(lines)


def chosen(found: list[Scenario], only: str) -> list[Scenario]:
    """The scenarios `--only` names ("17-25", "1,3"), all of them when it names none."""
    if not only:
        return found
    numbers: set[int] = set()
    for part in only.split(","):
        first, _, last = part.partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return [scenario for number, scenario in enumerate(found, 1) if number in numbers]


def run(args: argparse.Namespace) -> int:
    common.use_database(args.database)
    common.in_process_requests()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    try:
        common.catch_up_index()
        if args.url:
            print(one_page(Client(), args.url))
            return 0
        # Fresh statistics and visibility map, as autovacuum leaves them after an import:
        # the plans depend on the first, index-only scans on the second.
        common.sql_rows("VACUUM (ANALYZE) decisions_decision")
        # The API's throttle table, for a benchmark database made before it existed.
        call_command("createcachetable", verbosity=0)
        decisions = common.published_decisions()
        found = chosen(scenarios(pick_parameters(settings.DECISIONS_PER_PAGE)), args.only)
        top = args.explain_top if args.explain else 0
        results = measure(Client(), found, args.requests, args.warmup, top)
        print(report(results, decisions, args))
        if args.stats_pages:
            stats = page_statistics(args.stats_pages)
            print(f"\nThe pages of the first {stats.pages:,} decisions in {args.database}:")
            print(stats.table())
        if args.datasette:
            print("\n" + side_by_side(results, datasette(args, decisions)))
    finally:
        connections.close_all()
    return 0

"""send_alerts at scale: N alerts over a benchmark archive, after a harvest of M new
decisions; the run's seconds and queries (issue 26).

    python -m bench alerts --alerts 10000 --new 200

On the database `python -m bench import --keep` left and its own search index (built or
brought up to date first). Then: the alerts are made (about two per address,
with searches picked from the data: categories, outcomes, organisations, words, and
combinations), confirmed a minute ago; M new decisions are imported through the real
pipeline, as a harvest would, and indexed; `send_alerts --frequency daily` runs once,
timed, its queries counted, with Django's in-memory email backend (what is measured is
the archive's side, not a mail server's). A second run, with nothing new, is timed too.
At the end the alerts and the new decisions are deleted again, so the database is left as
it was found.

The run's work should grow with the alerts and the new decisions only, never with the
archive: compare the same --alerts and --new on databases of different --count.
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass

from bench import common

CORPUS_SEED = 1  # the import scenario's corpus


@dataclass(frozen=True)
class Measurement:
    alerts: int
    new: int
    seconds: float
    queries: int
    digests: int
    decisions: int
    quiet_seconds: float  # the run after, with nothing new
    quiet_queries: int


def search_queries(limit: int) -> list[str]:
    """Saved searches picked from the data, as caseworkers' would be."""
    from django.http import QueryDict

    from decisions.models import Category, Decision, Organisation
    from decisions.parsing.outcomes import OUTCOME_FAMILIES

    categories = list(Category.objects.filter(parent=None).values_list("slug", flat=True)[:20])
    outcomes = [key for key, _ in OUTCOME_FAMILIES]
    used = Decision.objects.values("organisation").order_by()[:200]
    organisations = list(
        Organisation.objects.filter(pk__in=used).values_list("slug", flat=True)[:100]
    )
    words = ["care", "council", "housing", "school transport", "delay", "assessment"]
    shapes: list[dict[str, str]] = (
        [{"category": slug} for slug in categories]
        + [{"outcome": key} for key in outcomes]
        + [{"organisation": slug} for slug in organisations]
        + [{"q": word} for word in words]
        + [
            {"category": slug, "outcome": key}
            for slug, key in itertools.product(categories[:5], outcomes[:3])
        ]
        + [{"q": word, "outcome": "upheld"} for word in words]
    )
    found = []
    for shape in itertools.islice(itertools.cycle(shapes or [{}]), limit):
        query = QueryDict(mutable=True)
        query.update(shape)
        found.append(query.urlencode())
    return found


def make_alerts(count: int, confirmed: float) -> None:
    import datetime

    from decisions.alerts.models import Alert

    since = datetime.datetime.fromtimestamp(confirmed, datetime.UTC)
    queries = search_queries(count)
    Alert.objects.bulk_create(
        [
            Alert(
                email=f"reader{number // 2}@example.org",
                query=f"{query}&bench={number}" if number % 2 else query,
                frequency="daily",
                status=Alert.Status.ACTIVE,
                confirmed_at=since,
                since=since,
            )
            for number, query in enumerate(queries)
        ],
        batch_size=2000,
    )


def harvest(new: int) -> list[int]:
    """M new decisions through the real import pipeline, as the harvester imports them:
    the corpus's next records after those the database holds (the same seed as the
    import scenario's, so their references are new). Their ids."""
    from django.db.models import Max

    from bench.corpus.generate import generate
    from decisions.importing.pipeline import run_import
    from decisions.importing.sources import SourceRecord
    from decisions.models import Decision

    last = Decision.objects.aggregate(last=Max("pk"))["last"] or 0
    start = Decision.objects.count()
    records = [
        SourceRecord(f"bench-harvest:{number}", record["text"], url=record["url"])
        for number, record in enumerate(generate(new, CORPUS_SEED, start=start))
    ]
    run_import(records)
    return list(Decision.objects.filter(pk__gt=last).values_list("pk", flat=True))


def measure(alerts: int, new: int) -> Measurement:
    """Alerts, a harvest, and two runs of send_alerts, on the database Django uses now."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from decisions.alerts import sending
    from decisions.alerts.models import Alert, Digest
    from decisions.models import Decision
    from decisions.search import syncing

    make_alerts(alerts, time.time() - 60)
    added = harvest(new)
    syncing.catch_up()
    in_memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    try:
        in_memory.enable()
        mail.outbox = []
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            report = sending.run("daily")
            seconds = time.perf_counter() - start
        with CaptureQueriesContext(connection) as quiet:
            start = time.perf_counter()
            sending.run("daily")
            quiet_seconds = time.perf_counter() - start
    finally:
        Alert.objects.all().delete()
        Digest.objects.all().delete()
        Decision.objects.filter(pk__in=added).delete()
        syncing.catch_up()
        mail.outbox = []
        in_memory.disable()
    return Measurement(
        alerts,
        len(added),
        seconds,
        len(captured.captured_queries),
        report.sent,
        report.decisions,
        quiet_seconds,
        len(quiet.captured_queries),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default="archive_bench")
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=200, help="Decisions the harvest adds.")


def run(args: argparse.Namespace) -> int:
    common.use_database(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the alerts' tables
    common.catch_up_index()
    decisions = common.published_decisions()
    result = measure(args.alerts, args.new)
    print(f"{decisions:,} published decisions in {args.database}; {common.machine()}")
    print(
        f"send_alerts --frequency daily, {result.alerts:,} alerts, {result.new} new decisions: "
        f"{result.seconds:.2f} s, {result.queries} queries, {result.digests:,} digests with "
        f"{result.decisions:,} decisions"
    )
    print(
        f"the run after, nothing new: {result.quiet_seconds:.2f} s, {result.quiet_queries} queries"
    )
    print(f"load average at the end: {common.load_average()}")
    return 0

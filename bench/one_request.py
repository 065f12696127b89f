"""One page's queries, slowest first: where a request's time goes, on a benchmark database.

    python -m bench.one_request "/?q=care+assessment&sort=newest" [--database archive_bench]

The request goes through Django's test client twice untimed, then once timed with its
queries captured (CaptureQueriesContext); prints the total and the six slowest queries.
Run it from a worktree of another commit to compare that commit's queries on the same data.
"""

from __future__ import annotations

import argparse
import os
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--database", default="archive_bench")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = args.database
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    for _ in range(2):
        client.get(args.url)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(args.url)
        elapsed = time.perf_counter() - started
    print(
        f"{response.status_code} {elapsed * 1000:.0f} ms, {len(captured.captured_queries)} queries"
    )
    slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    for query in slowest[:6]:
        print(f"{float(query['time']) * 1000:7.0f} ms  {query['sql'][:300]}")


if __name__ == "__main__":
    main()

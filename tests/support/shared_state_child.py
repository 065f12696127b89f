"""One web process of tests/test_shared_state.py, configured as in production (the
real settings, the default caches); prints what it saw as JSON.

    python -m tests.support.shared_state_child api N       N API requests: their statuses
    python -m tests.support.shared_state_child count       the whole-archive count, computed
    python -m tests.support.shared_state_child cached      the same count, only from the cache
"""

from __future__ import annotations

import json
import sys

import django


def main(step: str, *args: str) -> object:
    django.setup()
    if step == "api":
        from django.test import Client

        client = Client()
        return [client.get("/api/v1/categories/").status_code for _ in range(int(args[0]))]
    from decisions.search.whole_archive import WholeArchive

    if step == "count":
        from decisions.models import Decision

        return WholeArchive().cached("published", lambda: Decision.objects.published().count())

    def not_cached() -> int:
        raise AssertionError("not in the shared cache: this process had to count")

    return WholeArchive().cached("published", not_cached)


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))

"""Run by tests/test_read_replicas.py in a process of its own, configured from the
environment with DATABASE_URL (the primary) and DATABASE_REPLICA_URLS (its replica):

    python -m tests.support.replica_probe import   imports the bundled samples
    python -m tests.support.replica_probe read     the list, a search and the API
    python -m tests.support.replica_probe pinned   the list after a POST (the pin cookie set)
    python -m tests.support.replica_probe readyz   /readyz's status and text

Prints, as JSON, each step's status and the databases its queries of the decisions
table went to: recorded by a wrapper on every connection (Django's execute_wrapper)."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path

import django

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
READS = {
    "list": "/",
    "search": "/?q=council+tax",
    "api": "/api/v1/decisions/",
    "api search": "/api/v1/decisions/?q=school+transport",
}


def main(step: str) -> dict:
    django.setup()
    from django.db import connections
    from django.test import Client

    hits: list[tuple[str, str]] = []

    def recorder(alias: str):
        def record(execute, sql, params, many, context):
            hits.append((alias, sql))
            return execute(sql, params, many, context)

        return record

    def tables_hit() -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        for alias, sql in hits:
            for table in ("decisions_decision", "decisions_importrun", "decisions_capture"):
                if table in sql:
                    found.setdefault(table, set()).add(alias)
        hits.clear()
        return {table: sorted(aliases) for table, aliases in found.items()}

    result: dict[str, dict] = {}
    if step != "import":
        # The search index brought up to date first, by the writer's own path (on the
        # primary, as `search_index run` is), so the reads recorded are the pages' own.
        from django.conf import settings

        from decisions.search import syncing

        syncing.catch_up()
        settings.SEARCH_INDEX_CATCH_UP_ON_READ = False
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        if step == "import":
            from django.core.management import call_command

            call_command("import_decisions", str(SAMPLES), verbosity=0)
            from decisions.models import Capture

            # Captures are written by bulk_insert on a plain psycopg cursor, which Django's
            # execute_wrapper does not see: where they landed is counted instead.
            result["import"] = {
                "tables": tables_hit(),
                "captures": {alias: Capture.objects.using(alias).count() for alias in connections},
            }
        elif step == "pinned":
            client = Client()
            posted = client.post("/", {"q": "council"})
            result["post"] = {"pin_cookie": "read_primary" in posted.cookies}
            # A search: the front page may come whole from the cache, with no query.
            response = client.get(READS["search"])
            result["after post"] = {"status": response.status_code, "tables": tables_hit()}
            client.cookies.clear()
            response = client.get(READS["search"])
            result["without the cookie"] = {"status": response.status_code, "tables": tables_hit()}
        elif step == "readyz":
            response = Client().get("/readyz")
            result["readyz"] = {"status": response.status_code, "text": response.content.decode()}
        else:
            client = Client()
            for name, url in READS.items():
                response = client.get(url)
                result[name] = {"status": response.status_code, "tables": tables_hit()}
                if name == "list":
                    result[name]["shows"] = response.content.count(b'<li class="decision">')
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))

"""One harvest (and one source check) at a time, whoever starts it: a cron line and a
person at a shell must not walk the site twice at once, doubling the load on it.

A PostgreSQL session advisory lock, held for the run: it goes with the process, so a
killed run never leaves it behind. Holding it also proves that a run of that kind still
marked running belongs to a process that died: it is marked interrupted.
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from decisions.harvesting.client import HarvestStopped
from decisions.models import HarvestRun


@contextmanager
def one_at_a_time(kind: str) -> Iterator[None]:
    key = zlib.crc32(f"decisions.harvesting:{kind}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (locked,) = cursor.fetchone() or (False,)
    if not locked:
        raise HarvestStopped(
            f"another {HarvestRun.Kind(kind).label.lower()} is running; this one did not start"
        )
    try:
        HarvestRun.objects.filter(kind=kind, status=HarvestRun.Status.RUNNING).update(
            status=HarvestRun.Status.INTERRUPTED,
            error="the process running it stopped without finishing; the next run resumes",
        )
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

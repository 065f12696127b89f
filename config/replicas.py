"""Reads on PostgreSQL streaming replicas, writes on the primary.

DATABASE_REPLICA_URLS (comma-separated postgres:// URLs) adds each replica as a database
"replica_1", "replica_2"... (config/settings.py). `ReplicaRouter` then sends the public
pages' reads of the archive (the `decisions` app) to a replica, and everything else to
the primary ("default"):

- writes, always;
- reads in a web request that may not see a replica's slightly older archive: any
  request that is not GET or HEAD, the admin, and for REPLICA_PIN_SECONDS after a
  client's write (a cookie), so a change is never seen to vanish;
- reads inside a transaction on the primary (an import's batch), so a writer reads
  what it wrote;
- reads outside a web request (commands, the task worker, a shell): an import must
  never miss a queued run because a replica has not caught up;
- the caches, sessions, logins and the task queue: they are written as often as read.

A replica is used only while it answers and replays within REPLICA_MAX_LAG_SECONDS of
the primary; a lagging, stopped or promoted one is left out, and the reads go to
another replica or the primary. Each process checks a replica at most once every
REPLICA_CHECK_SECONDS (one small query; a thread finding the answer stale checks while
the others keep the last one).
https://docs.djangoproject.com/en/5.2/topics/db/multi-db/#database-routers
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA_PREFIX = "replica_"
# Only the archive itself is read from replicas (see the module's docstring).
REPLICA_APPS = frozenset({"decisions"})
PIN_COOKIE = "read_primary"

# Seconds of replay behind the primary; 0 when it has replayed all it has received.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""

# Whether this request's reads may go to a replica: set by ReadReplicaMiddleware,
# cleared when the response is finished (a streamed download included).
replica_reads_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reads_allowed", default=False
)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


@dataclass
class Health:
    checked_at: float = float("-inf")
    usable: bool = False
    checking: bool = False


_health: dict[str, Health] = {}
_health_lock = threading.Lock()


def replica_lag(alias: str) -> float | None:
    """The replica's replay lag in seconds; None when it is not a replica (promoted)
    or cannot say. Raises DatabaseError when it does not answer."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    if not in_recovery or lag is None:
        return None
    return float(lag)


def problem(alias: str) -> str | None:
    """Why `alias` may not serve reads now, or None when it may: it answers, is a
    replica, and lags within the tolerance. Logged: a replica that does not answer or
    is not one is a mistake to put right (an error); a lagging one, a passing state."""
    try:
        lag = replica_lag(alias)
    except DatabaseError as error:
        connections[alias].close()  # the next check reconnects
        logger.error("Read replica %s is not answering: %s", alias, error)
        return f"not answering ({type(error).__name__}: {str(error).strip()})"
    if lag is None:
        logger.error(
            "Read replica %s is not replaying a primary (promoted, or not a replica?): "
            "its reads go to the primary",
            alias,
        )
        return "not a replica (pg_is_in_recovery() is false)"
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning(
            "Read replica %s is %.1f s behind (the limit: REPLICA_MAX_LAG_SECONDS=%s)",
            alias,
            lag,
            settings.REPLICA_MAX_LAG_SECONDS,
        )
        return f"{lag:.1f} s behind (the limit: {settings.REPLICA_MAX_LAG_SECONDS} s)"
    return None


def check(alias: str) -> bool:
    """Whether `alias` may serve reads now (see `problem`)."""
    return problem(alias) is None


def usable(alias: str, clock: Callable[[], float] = time.monotonic) -> bool:
    """`check(alias)`, cached for REPLICA_CHECK_SECONDS in this process."""
    now = clock()
    with _health_lock:
        health = _health.setdefault(alias, Health())
        stale = now - health.checked_at >= settings.REPLICA_CHECK_SECONDS
        if not stale or health.checking:
            return health.usable
        health.checking = True
    result = False
    try:
        result = check(alias)
    finally:
        with _health_lock:
            health.usable, health.checked_at, health.checking = result, clock(), False
    return result


def forget_health() -> None:
    """Check every replica afresh at the next read (for tests and after a failover)."""
    with _health_lock:
        _health.clear()


def read_database() -> str:
    """The alias this thread's next read of the archive goes to."""
    if not replica_reads_allowed.get() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    candidates = [alias for alias in replica_aliases() if usable(alias)]
    if not candidates:
        return PRIMARY
    # The same replica for a thread's reads, so one page's queries agree with each other.
    return candidates[threading.get_ident() % len(candidates)]


def reading_connection() -> Any:
    """The connection for raw SQL that reads the archive (the router's choice for the
    ORM): `with reading_connection().cursor() as cursor`."""
    return connections[read_database()]


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: see the module's docstring."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        return read_database()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows: replicas copy the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # a replica receives the primary's tables; it cannot write


class ReadReplicaMiddleware:
    """Lets a request read from a replica unless it must see the primary (the module's
    docstring); after a write, pins the client to the primary for REPLICA_PIN_SECONDS."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method not in self.SAFE_METHODS
        allowed = (
            bool(replica_aliases())
            and not writes
            and not request.path.startswith("/admin/")
            and PIN_COOKIE not in request.COOKIES
        )
        replica_reads_allowed.set(allowed)
        response = self.get_response(request)
        if writes and replica_aliases():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def end_of_request(**kwargs: Any) -> None:
    """request_finished: the thread's next work (another request, a command) starts on
    the primary."""
    replica_reads_allowed.set(False)


request_finished.connect(end_of_request, dispatch_uid="config.replicas.end_of_request")

"""Counting a client's hits in fixed windows, atomically, in PostgreSQL: the API's
throttle, the downloads' limit, and whatever else must count per client (alerts); and
how many of a kind of request run at once (`take_slot`), per client and in all.

`hit(scope, key, window_seconds)` adds one to the (scope, key, window) counter and
returns the new count, in one statement, `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`:
PostgreSQL takes the row's lock for the update, so a hundred requests at once in a
hundred processes count to exactly a hundred. (A cache's read-then-write lets many of them
read the same count, and all pass.)
https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT

The windows are fixed (this minute, this hour), not sliding: a client may spend one
window's allowance at its very end and the next one's at the start.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError, connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

# Expired rows deleted at most per new window counted: a statement's work stays small,
# and since each new row deletes up to this many old ones, old rows never pile up.
FORGET_AT_ONCE = 100


class RateCounter(models.Model):
    """Hits of one client (`key`) in one scope during one window."""

    scope = models.CharField(max_length=40)
    key = models.TextField()
    window_start = models.DateTimeField()
    # When the window ends, and the row may go.
    expires_at = models.DateTimeField()
    hits = models.IntegerField(default=0)

    class Meta:
        db_table = "rate_counter"
        constraints = [
            # The row the increment's ON CONFLICT finds: one per client, scope and window.
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="rate_counter_one_per_window"
            ),
        ]
        indexes = [
            # The clean-up's query: the rows whose window has ended.
            models.Index(fields=["expires_at"], name="rate_counter_expires_at"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.window_start:%Y-%m-%d %H:%M:%S}: {self.hits}"


INCREMENT = """
INSERT INTO rate_counter (scope, key, window_start, expires_at, hits)
VALUES (%s, %s, %s, %s, 1)
ON CONFLICT ON CONSTRAINT rate_counter_one_per_window
DO UPDATE SET hits = rate_counter.hits + 1
RETURNING hits
"""

# SKIP LOCKED: two clean-ups at once take different rows, never wait for each other,
# and cannot deadlock.
FORGET_EXPIRED = """
DELETE FROM rate_counter WHERE id = ANY(ARRAY(
    SELECT id FROM rate_counter WHERE expires_at < %s
    ORDER BY expires_at LIMIT %s FOR UPDATE SKIP LOCKED
))
"""


def hit(scope: str, key: str, window_seconds: int, *, now: float | None = None) -> int:
    """Count one hit of `key` in `scope`'s current window of `window_seconds`; return
    the window's count, this hit included. `now`: seconds since the epoch (tests)."""
    now = time.time() if now is None else now
    start = window_start(window_seconds, now)
    connection = connections[router.db_for_write(RateCounter)]
    with connection.cursor() as cursor:
        cursor.execute(INCREMENT, [scope, key, moment(start), moment(start + window_seconds)])
        (hits,) = cursor.fetchone()
        if hits == 1:  # a new window's first hit: old windows' rows can go
            cursor.execute(FORGET_EXPIRED, [moment(now), FORGET_AT_ONCE])
    return int(hits)


def seconds_left(window_seconds: int, now: float | None = None) -> int:
    """Whole seconds until the current window ends (for Retry-After), at least 1."""
    now = time.time() if now is None else now
    return max(1, math.ceil(window_start(window_seconds, now) + window_seconds - now))


def window_start(window_seconds: int, now: float) -> int:
    return int(now // window_seconds) * window_seconds


def moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# --- how many at once -----------------------------------------------------------------------
#
# A slot is a PostgreSQL session advisory lock, pg_try_advisory_lock(space, number):
# taking one is atomic across every process and machine on the database, a slot is
# never waited for (try, or the next number, or none free), and it goes with the
# connection, so a worker killed mid-download frees its slots with its connections and
# nothing needs an expiry. https://www.postgresql.org/docs/current/explicit-locking.html
# The import's reference locks use the space 7001 (decisions.importing.writing).
CLIENT_SLOT_SPACE = 7_002
TOTAL_SLOT_SPACE = 7_003


@dataclass
class Slot:
    """The locks held for one request; `release()` once it is done (also safe twice)."""

    connection: BaseDatabaseWrapper
    locks: list[tuple[int, int]]

    def release(self) -> None:
        locks, self.locks = self.locks, []
        if not locks:
            return
        unlocks = ", ".join(["pg_advisory_unlock(%s, %s)"] * len(locks))
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {unlocks}", [key for lock in locks for key in lock])
        except DatabaseError:
            # The connection is gone, and its locks with it.
            pass


def take_slot(scope: str, key: str, per_key: int, total: int) -> Slot | None:
    """One of `per_key` slots of `key` (a client) and one of `total` slots of `scope`, or
    None when either is full. Taken on the connection writes go to (the primary), which
    stays open for the request."""
    connection = connections[router.db_for_write(RateCounter)]
    slot = Slot(connection, [])
    for space, numbers in (
        (CLIENT_SLOT_SPACE, client_slots(scope, key, per_key)),
        (TOTAL_SLOT_SPACE, client_slots(scope, "", total)),
    ):
        taken = first_free(connection, space, numbers)
        if taken is None:
            slot.release()
            return None
        slot.locks.append((space, taken))
    return slot


def client_slots(scope: str, key: str, count: int) -> Iterator[int]:
    """The lock numbers of `key`'s `count` slots in `scope`, as PostgreSQL's int4. Two
    clients whose numbers collide (a 32-bit hash) share their slots: rare, and safe."""
    for n in range(count):
        number = zlib.crc32(f"{scope}\x00{key}\x00{n}".encode())
        yield number - 2**32 if number >= 2**31 else number


def first_free(connection: BaseDatabaseWrapper, space: int, numbers: Iterator[int]) -> int | None:
    with connection.cursor() as cursor:
        for number in numbers:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [space, number])
            (locked,) = cursor.fetchone()
            if locked:
                return number
    return None

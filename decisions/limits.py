"""Counting a client's hits in fixed windows, atomically, in PostgreSQL: the API's
throttle, the downloads' limit, and whatever else must count per client (alerts).

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
from datetime import UTC, datetime

from django.db import connections, models, router

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

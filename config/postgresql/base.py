"""Django's PostgreSQL backend, with every wait for the server bounded by the client.

The server's statement_timeout cancels a slow query, but a server that cannot answer at
all (stopped with SIGSTOP, swapped out, behind a dead network link) never sends the
cancellation: the client would wait for ever, and TCP keepalives do not help, since the
frozen server's kernel still acknowledges every packet. So every round trip of a
connection waits at most its `answer_timeout`, a little longer than the statement
timeout (OPTIONS["statement_timeout_ms"]), and a connection that missed it is closed,
never reused: its state is unknown.
"""

from __future__ import annotations

import psycopg
from django.db.backends.postgresql import base
from psycopg import errors
from psycopg.abc import RV, PQGen

from config.postgresql import answer_timeout

# SELECT 1 answers in a millisecond from a live server: Django's health check of a
# reused connection need not wait as long as a real query may.
HEALTH_CHECK_SECONDS = 2.0


class BoundedConnection(psycopg.Connection):
    """A psycopg connection whose waits for the server end after `answer_timeout`."""

    answer_timeout: float | None = None

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        bound = timeout if timeout is not None else self.answer_timeout
        try:
            return super().wait(gen, interval=interval, timeout=bound)
        except errors._WaitTimeout:  # documented by Connection.wait, raised by waiting.wait
            self.pgconn.finish()
            raise errors.ConnectionTimeout(
                f"the database server did not answer within {bound:g} s"
            ) from None


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        """OPTIONS["statement_timeout_ms"] (ours, not libpq's): the server's
        statement_timeout, and the client's bound a little beyond it."""
        params = super().get_connection_params()
        statement_timeout_ms = int(params.pop("statement_timeout_ms", 0))
        options = params.get("options", "")
        params["options"] = f"{options} -c statement_timeout={statement_timeout_ms}".strip()
        self.answer_timeout = answer_timeout(statement_timeout_ms)
        return params

    def get_new_connection(self, conn_params: dict) -> BoundedConnection:
        connection = super().get_new_connection(conn_params)
        # psycopg.connect() has no parameter for the class it builds; BoundedConnection
        # only adds a class attribute and overrides one method, so the instance can
        # become one in place.
        connection.__class__ = BoundedConnection
        connection.answer_timeout = self.answer_timeout
        return connection

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        before = self.connection.answer_timeout
        self.connection.answer_timeout = min(before or HEALTH_CHECK_SECONDS, HEALTH_CHECK_SECONDS)
        try:
            return super().is_usable()
        finally:
            self.connection.answer_timeout = before

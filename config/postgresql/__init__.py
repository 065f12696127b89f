"""Django's PostgreSQL backend, bounded in time on the client side (`base.py`), and
`bounded_transaction()`, a transaction with timeouts of its own for batch work.

https://docs.djangoproject.com/en/5.2/ref/databases/#subclassing-the-built-in-database-backends
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# How much longer than the server's statement_timeout the client waits for an answer:
# a slow query is cancelled by the server first, and cleanly; only a server that cannot
# answer at all (frozen, or cut off by the network) meets the client's bound.
ANSWER_MARGIN_SECONDS = 2.0


def answer_timeout(statement_timeout_ms: int) -> float | None:
    """The client's bound for a statement_timeout; None (wait for ever) for none (0)."""
    return statement_timeout_ms / 1000 + ANSWER_MARGIN_SECONDS if statement_timeout_ms else None


@contextmanager
def bounded_transaction(
    *, statement_timeout_ms: int, lock_timeout_ms: int, using: str = DEFAULT_DB_ALIAS
) -> Iterator[None]:
    """`transaction.atomic()` whose statements and lock waits have their own timeouts.

    For batch work (an import's batch): its statements may run longer than a web
    request's, but a lock held by another session, or a frozen server, must fail the
    batch in bounded time, never hang it. 0 means no timeout. A timeout raises
    django.db.OperationalError, and the transaction is rolled back.
    https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        previous = _set_local_timeouts(
            connection, f"{statement_timeout_ms}ms", f"{lock_timeout_ms}ms"
        )
        raw = connection.connection
        before = raw.answer_timeout
        raw.answer_timeout = answer_timeout(statement_timeout_ms)
        try:
            yield
        finally:
            raw.answer_timeout = before
    if connection.in_atomic_block:
        # Nested in an outer transaction, which the SET LOCAL would outlast.
        _set_local_timeouts(connection, *previous)


def _set_local_timeouts(
    connection: BaseDatabaseWrapper, statement: str, lock: str
) -> tuple[str, str]:
    """SET LOCAL both (with the values as parameters); the values they had."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout'),"
            " set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
            [statement, lock],
        )
        return cursor.fetchone()[:2]

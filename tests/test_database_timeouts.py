"""The database fails fast: a batch's own lock and statement timeouts
(config.postgresql.bounded_transaction), and the client's bound on every wait for the
server. A stopped or frozen server under the web is in tests/test_database_outage.py."""

import time

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from config.postgresql import answer_timeout, bounded_transaction
from decisions.models import Decision
from tests.conftest import database_url


def timeouts() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
        )
        return cursor.fetchone()


def test_a_batch_waits_for_a_lock_no_longer_than_its_lock_timeout(transactional_db):
    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as other:
        other.execute("LOCK TABLE decisions_decision IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        with (
            pytest.raises(OperationalError, match="lock timeout"),
            bounded_transaction(statement_timeout_ms=0, lock_timeout_ms=200),
        ):
            Decision.objects.count()
        assert time.monotonic() - started < 2


def test_a_batch_statement_over_its_timeout_is_cancelled(transactional_db):
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        bounded_transaction(statement_timeout_ms=100, lock_timeout_ms=0),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(5)")


def test_the_timeouts_end_with_the_batch(transactional_db):
    before = timeouts()
    with bounded_transaction(statement_timeout_ms=60_000, lock_timeout_ms=10_000):
        assert timeouts() == ("1min", "10s")
        assert connection.connection.answer_timeout == 62
    assert timeouts() == before
    assert connection.connection.answer_timeout is None  # the tests run without a bound


def test_nested_in_a_transaction_the_timeouts_end_with_the_batch_too(transactional_db):
    with transaction.atomic():
        before = timeouts()
        with bounded_transaction(statement_timeout_ms=1000, lock_timeout_ms=500):
            assert timeouts() == ("1s", "500ms")
        assert timeouts() == before


def test_the_client_waits_a_little_longer_than_the_server_would():
    assert answer_timeout(5000) == 7
    assert answer_timeout(0) is None  # no statement timeout: no bound either

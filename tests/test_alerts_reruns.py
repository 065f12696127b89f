"""send_alerts killed at each step of a digest, then run again: no decision skipped, and
the only mail that goes twice is the digest in flight at the crash, with the same
Message-ID. Read from a real SMTP server on loopback."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.utils import timezone

from decisions.alerts import sending
from decisions.alerts.models import Alert, Delivery, Digest
from tests.support.helpers import make_decision
from tests.support.smtp_server import body_text


class Killed(BaseException):
    """A crash: not an Exception, so nothing in the run catches it."""


def killed_at(step: str):
    def checkpoint(reached: str) -> None:
        if reached == step:
            raise Killed(step)

    return checkpoint


def alert(email: str, query: str = "outcome=upheld") -> Alert:
    now = timezone.now()
    return Alert.objects.create(
        email=email,
        query=query,
        frequency="daily",
        status=Alert.Status.ACTIVE,
        confirmed_at=now,
        since=now,
    )


def references_received(messages) -> Counter:
    """How many times each (address, decision) was received."""
    import re

    return Counter(
        (str(message["To"]), reference)
        for message in messages
        for reference in re.findall(r"\b\d\d \d\d\d \d\d\d\b", body_text(message))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["made", "handed", "accepted", "recorded"])
def test_a_run_killed_at_any_step_then_run_again_skips_nothing_and_repeats_only_the_digest_in_flight(
    smtp_inbox, step
):
    alert("first@example.org")
    alert("second@example.org")
    make_decision("20 000 001", outcome="upheld")

    with pytest.raises(Killed):
        sending.run("daily", checkpoint=killed_at(step))
    before = smtp_inbox.take()
    # Killed before the mail server had it: nothing went; after: the first address's.
    assert len(before) == (0 if step == "made" else 1)

    make_decision("20 000 002", outcome="upheld")  # arrives between the two runs
    sending.run("daily")
    after = smtp_inbox.take()

    everything = before + after
    received = references_received(everything)
    for address in ("first@example.org", "second@example.org"):
        assert received[(address, "20 000 001")] >= 1
        assert received[(address, "20 000 002")] == 1
    ids = Counter(str(message["Message-ID"]) for message in everything)
    repeated = {message_id: n for message_id, n in ids.items() if n > 1}
    if step == "handed":
        # In flight: handed to the server, not yet marked accepted. Sent again, the same
        # message (same Message-ID), once; nothing else twice.
        assert list(repeated.values()) == [2]
        assert received[("first@example.org", "20 000 001")] == 2
    else:
        assert repeated == {}
        assert received[("first@example.org", "20 000 001")] == 1
    assert received[("second@example.org", "20 000 001")] == 1
    assert not Digest.objects.exclude(status=Digest.Status.SENT).exists()
    assert Delivery.objects.count() == 4

    sending.run("daily")
    assert smtp_inbox.take() == []


@pytest.mark.django_db
def test_with_the_mail_server_down_the_run_fails_and_the_next_one_sends_the_same_digest(
    smtp_inbox, settings
):
    from django.core.management import CommandError, call_command

    from tests.support.smtp_server import free_port

    alert("first@example.org")
    make_decision("20 000 001", outcome="upheld")
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens
    with pytest.raises(CommandError, match="not accepted by the mail server"):
        call_command("send_alerts", "--frequency", "daily")
    pending = Digest.objects.get()
    assert pending.status == Digest.Status.PENDING

    settings.EMAIL_PORT = working_port
    sending.run("daily")
    (received,) = smtp_inbox.take()
    assert received["Message-ID"] == pending.message_id
    assert references_received([received]) == Counter({("first@example.org", "20 000 001"): 1})


@pytest.mark.django_db
def test_a_digest_left_pending_for_alerts_since_deleted_is_not_sent(smtp_inbox):
    unsubscribed = alert("first@example.org")
    make_decision("20 000 001", outcome="upheld")
    with pytest.raises(Killed):
        sending.run("daily", checkpoint=killed_at("made"))
    unsubscribed.delete()
    sending.run("daily")
    assert smtp_inbox.take() == []
    assert Digest.objects.get().status == Digest.Status.SENT


@pytest.mark.django_db
def test_a_second_run_of_the_same_frequency_at_once_is_refused(smtp_inbox):
    import zlib

    from django.db import connection

    other = connection.copy()  # another process's connection, as far as PostgreSQL knows
    try:
        with other.cursor() as cursor:
            key = zlib.crc32(b"decisions.alerts.send.daily")
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            cursor.execute("SELECT pg_backend_pid()")
            (other_pid,) = cursor.fetchone()
        with pytest.raises(sending.AlreadyRunning):
            sending.run("daily")
        sending.run("weekly")  # another frequency is another run
    finally:
        other.close()
    # The server ends the closed connection's backend a moment after close() returns
    # (seen as a flaky failure): wait for it to be gone, not for its lock.
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while True:
            # pg_stat_activity is read once per transaction unless its snapshot is cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [other_pid])
            if cursor.fetchone()[0] == 0:
                break
            assert time.monotonic() < deadline, "the other connection's backend never ended"
            time.sleep(0.01)
    sending.run("daily")  # the other one's lock went with its connection


def child(smtp_port: int, index: str, *command: str):
    """A child process on this test's database and search index, sending to the test's
    SMTP server."""
    import subprocess
    import sys

    from tests.conftest import ROOT, child_process_env

    env = child_process_env() | {
        "SEARCH_INDEX_DIR": index,
        "EMAIL_URL": f"smtp+plain://127.0.0.1:{smtp_port}",
        "SITE_URL": "http://testserver",
    }
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("step", ["made", "handed", "recorded"])
def test_a_process_killed_at_a_step_then_run_again_skips_nothing(
    transactional_db, smtp_inbox, settings, search_index, step
):
    from decisions.search import syncing

    alert("first@example.org")
    alert("second@example.org")
    make_decision("20 000 001", outcome="upheld")
    syncing.catch_up()
    port = settings.EMAIL_PORT

    killed = child(port, str(search_index), "-m", "tests.support.alerts_child", step)
    assert killed.returncode == 9, killed.stderr
    again = child(port, str(search_index), "manage.py", "send_alerts", "--frequency", "daily")
    assert again.returncode == 0, again.stderr

    received = smtp_inbox.take()
    counts = references_received(received)
    in_flight = 2 if step == "handed" else 1  # the digest being sent when it died
    assert counts == Counter(
        {("first@example.org", "20 000 001"): in_flight, ("second@example.org", "20 000 001"): 1}
    )
    assert len({message["Message-ID"] for message in received}) == 2
    assert not Digest.objects.exclude(status=Digest.Status.SENT).exists()

"""One run of `send_alerts`: every active alert of one frequency, one digest per address.

Crash-safe at every point. Each digest goes through three recorded steps:
1. made (`pending`), with what it holds, in a transaction of its own;
2. handed to the mail server, then marked `accepted`;
3. marked `sent`, its deliveries recorded and its alerts' windows advanced, in one
   transaction.
A run first finishes what an earlier run left: a `pending` digest is sent again with the
same Message-ID (the only mail that can go twice: the one in flight at the crash), an
`accepted` one is only recorded. New digests leave out what the alerts delivered, so a
re-run after any crash skips nothing and repeats nothing else.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from decisions.alerts import messages, window
from decisions.alerts.models import Alert, Delivery, Digest
from decisions.models import Decision
from decisions.search import engine, syncing

logger = logging.getLogger("decisions.alerts")

# Called with the name of each step a digest passes ("made", "handed", "accepted",
# "recorded"): the tests stop a run there, as a crash would.
Checkpoint = Callable[[str], None]


def no_checkpoint(step: str) -> None:
    return None


class Item(TypedDict):
    """One alert's part of a digest, as Digest.items stores it."""

    alert: int
    decisions: list[int]  # listed in the email
    more: list[int]  # matched beyond ALERTS_MAX_DECISIONS: counted, linked, delivered
    problem: str  # why the search no longer runs, told once
    through: str | None  # where the alert's window moves once this is sent


@dataclass
class RunReport:
    finished: int = 0  # digests an earlier run left, finished now
    sent: int = 0  # new digests sent
    decisions: int = 0  # decisions in them
    expired: int = 0  # sign-ups never confirmed, deleted
    failed: int = 0  # digests the mail server did not take: left pending, tried next run
    position: str = ""


def expire_unconfirmed(now: datetime.datetime) -> int:
    """Delete sign-ups not confirmed within the confirmation link's life."""
    cutoff = now - datetime.timedelta(days=settings.ALERTS_UNCONFIRMED_DAYS)
    deleted, _ = Alert.objects.filter(status=Alert.Status.PENDING, created_at__lt=cutoff).delete()
    return deleted


def prune_deliveries() -> int:
    """Deliveries of decisions that entered before their alert's window: never looked at
    again, so no longer needed to keep them from going twice."""
    # Two seconds before: the window compares whole seconds (window.epoch), so a decision
    # entered in the second before `since` may still be looked at.
    before = F("alert__since") - datetime.timedelta(seconds=2)
    deleted, _ = Delivery.objects.filter(entered_at__lt=before).delete()
    return deleted


def prune_digests(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=settings.ALERTS_KEEP_DIGESTS_DAYS)
    deleted, _ = Digest.objects.filter(status=Digest.Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


def send(digest: Digest, checkpoint: Checkpoint) -> None:
    """Hand `digest` to the mail server, then record it (steps 2 and 3)."""
    still_there = Alert.objects.filter(pk__in=[item["alert"] for item in digest.items])
    if digest.status == Digest.Status.PENDING and still_there.exists():
        message = messages.digest_message(digest)
        message.connection = get_connection()
        message.send()  # raises unless the mail server accepted it
        checkpoint("handed")
        digest.status, digest.accepted_at = Digest.Status.ACCEPTED, timezone.now()
        digest.save(update_fields=["status", "accepted_at"])
        checkpoint("accepted")
    record(digest)
    checkpoint("recorded")


@transaction.atomic
def record(digest: Digest) -> None:
    """Step 3: the digest sent, what each alert delivered, each alert's window moved on."""
    now = timezone.now()
    alerts = Alert.objects.select_for_update().in_bulk([item["alert"] for item in digest.items])
    ids = {pk for item in digest.items for pk in item["decisions"] + item.get("more", [])}
    entered = dict(Decision.objects.filter(pk__in=ids).values_list("pk", "created_at"))
    Delivery.objects.bulk_create(
        [
            Delivery(alert_id=item["alert"], decision_id=pk, digest=digest, entered_at=entered[pk])
            for item in digest.items
            if item["alert"] in alerts
            for pk in item["decisions"] + item.get("more", [])
            if pk in entered
        ],
        ignore_conflicts=True,
    )
    for item in digest.items:
        alert = alerts.get(item["alert"])
        if alert is None:
            continue
        alert.problem = item.get("problem", "")
        if item["decisions"]:
            alert.last_sent_at = now
        advance(alert, item.get("through"))
        alert.save(update_fields=["problem", "last_sent_at", "since"])
    digest.status, digest.sent_at = Digest.Status.SENT, now
    digest.save(update_fields=["status", "sent_at"])


def advance(alert: Alert, through: str | None) -> None:
    if through:
        moment = datetime.datetime.fromisoformat(through)
        if alert.since is None or moment > alert.since:
            alert.since = moment


def sent(digest: Digest, checkpoint: Checkpoint) -> bool:
    """send(), False when the mail server refused or could not be reached: the digest
    stays pending, to be sent again (same Message-ID) by the next run, and the other
    addresses are not held up."""
    try:
        send(digest, checkpoint)
    except (smtplib.SMTPException, OSError):
        logger.exception("a digest was not sent", extra={"message_id": digest.message_id})
        return False
    return True


def finish_unfinished(frequency: str, checkpoint: Checkpoint, report: RunReport) -> None:
    """The digests an earlier run made and did not record, oldest first."""
    unfinished = Digest.objects.filter(frequency=frequency).filter(~Q(status=Digest.Status.SENT))
    for digest in unfinished.order_by("created_at", "pk"):
        logger.warning(
            "finishing a digest an earlier run left",
            extra={"message_id": digest.message_id, "status": digest.status},
        )
        if sent(digest, checkpoint):
            report.finished += 1
        else:
            report.failed += 1


class AlreadyRunning(Exception):
    """Another send_alerts of this frequency is running (cron or a timer overlapping)."""


@contextmanager
def the_only_run(frequency: str) -> Iterator[None]:
    """One run per frequency at a time, on any machine: PostgreSQL's session advisory
    lock, let go when the run ends or its connection does (a killed run holds nothing).
    https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS"""
    key = zlib.crc32(f"decisions.alerts.send.{frequency}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise AlreadyRunning(f"another send_alerts --frequency {frequency} is running")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run(
    frequency: str, checkpoint: Checkpoint = no_checkpoint, now: datetime.datetime | None = None
) -> RunReport:
    """Send every active `frequency` alert its new decisions; AlreadyRunning if another
    run of the same frequency is."""
    with the_only_run(frequency):
        return run_alone(frequency, checkpoint, now or timezone.now())


def run_alone(frequency: str, checkpoint: Checkpoint, now: datetime.datetime) -> RunReport:
    report = RunReport(expired=expire_unconfirmed(now))
    prune_deliveries()
    prune_digests(now)
    finish_unfinished(frequency, checkpoint, report)
    syncing.in_step_for_tests()
    searcher = engine.searcher()
    report.position = engine.position(searcher) or ""
    if not report.position:
        raise engine.IndexUnavailable("The search index has no position.")
    through = window.reflected_through(report.position) - datetime.timedelta(
        seconds=settings.ALERTS_MARGIN_SECONDS
    )
    alerts = list(
        Alert.objects.filter(status=Alert.Status.ACTIVE, frequency=frequency).order_by(
            "email", "pk"
        )
    )
    found = window.plan(searcher, alerts)
    by_address: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_address.setdefault(alert.email, []).append(alert)
    quiet: list[Alert] = []
    for email, theirs in by_address.items():
        items = digest_items(theirs, found, through)
        if not any(item["decisions"] or item["problem"] for item in items):
            quiet += theirs
            continue
        digest = make_digest(email, frequency, items, report.position)
        checkpoint("made")
        if not sent(digest, checkpoint):
            report.failed += 1
            continue
        report.sent += 1
        report.decisions += sum(len(item["decisions"]) + len(item["more"]) for item in items)
    move_on(quiet, found, through)
    return report


def digest_items(
    alerts: list[Alert], found: dict[int, window.Found], through: datetime.datetime
) -> list[Item]:
    """What a digest holds for each alert: the decisions listed (at most
    ALERTS_MAX_DECISIONS), those counted beyond them, a problem not yet told."""
    limit = settings.ALERTS_MAX_DECISIONS
    items: list[Item] = []
    for alert in alerts:
        result = found[alert.pk]
        # A problem is told once; after that the alert waits, listed as not working on
        # the manage page, until its search is valid again.
        problem = result.problem if result.problem != alert.problem else ""
        if result.problem and not problem:
            continue
        items.append(
            {
                "alert": alert.pk,
                "decisions": result.ids[:limit],
                "more": result.ids[limit:],
                "problem": problem,
                "through": through.isoformat() if not result.problem else None,
            }
        )
    return items


def make_digest(email: str, frequency: str, items: list[Item], position: str) -> Digest:
    """Step 1, in a transaction of its own (the run is in none)."""
    with transaction.atomic():
        return Digest.objects.create(
            email=email,
            frequency=frequency,
            message_id=messages.new_message_id(),
            items=items,
            position=position,
        )


def move_on(
    alerts: list[Alert], found: dict[int, window.Found], through: datetime.datetime
) -> None:
    """The alerts with nothing to send: their windows advance all the same, in one
    statement, and a search valid again loses its old problem. A search still invalid
    stays where it was."""
    working = [alert.pk for alert in alerts if not found[alert.pk].problem]
    with transaction.atomic():
        Alert.objects.filter(pk__in=working, since__lt=through).update(since=through)
        Alert.objects.filter(pk__in=working).exclude(problem="").update(problem="")

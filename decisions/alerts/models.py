"""An alert (a saved search and an address), the digest emails sent to an address, and
what each alert has delivered: the record that makes a crashed run safe to run again.

An email address is stored only here, for its alerts, and goes with them: deleting an
address's alerts deletes its digests too (`forget_address`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Alert(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused by the subscriber"
        DISABLED = "disabled", "Disabled by staff"

    email = models.EmailField(max_length=254)
    # The search as the list page's query string (no page, page size or sort): the
    # same FilterSet reads it at each run, so a search that stops being valid is seen.
    query = models.TextField(blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Decisions that entered the archive at or after this moment are still looked at
    # (those already delivered are left out); advanced by each run only as far as the
    # search index is known to hold everything before it (decisions.alerts.window).
    since = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # Why the search can no longer run, as last told to the subscriber ("" when it runs).
    problem = models.TextField(blank=True)

    class Meta:
        constraints = [
            # Signing up again for the same search renews the sign-up, not a second alert.
            # On the query's hash: a long search's text would pass a B-tree entry's limit.
            models.UniqueConstraint("email", MD5("query"), name="alerts_alert_one_per_search"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="alerts_alert_frequency_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "paused", "disabled"]),
                name="alerts_alert_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(confirmed_at__isnull=False, since__isnull=False),
                name="alerts_alert_confirmed_has_since",
            ),
        ]
        indexes = [
            # send_alerts: the active alerts of one frequency.
            models.Index(fields=["status", "frequency"], name="alerts_alert_due"),
            # The manage page, and the limits: an address's alerts.
            models.Index(fields=["email"], name="alerts_alert_email"),
            # The clean-up of sign-ups never confirmed.
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="alerts_alert_unconfirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: ?{self.query} ({self.frequency}, {self.status})"


class Digest(models.Model):
    """One email to one address in one run: made (pending), handed to the SMTP server
    (accepted), then marked sent with its deliveries in one transaction. A run finds the
    unfinished ones first: a pending one is sent again with the same Message-ID (mail
    clients drop the copy), an accepted one is only marked sent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Made, not yet accepted by the mail server"
        ACCEPTED = "accepted", "Accepted by the mail server"
        SENT = "sent", "Sent and recorded"

    email = models.EmailField(max_length=254)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What it holds, so that it can be made again identically after a crash:
    # [{"alert": id, "decisions": [ids shown], "more": [ids counted], "problem": str}].
    items = models.JSONField(default=list)
    # The search index's position the run read (a PostgreSQL snapshot).
    position = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "sent"]),
                name="alerts_digest_status_known",
            ),
        ]
        indexes = [
            # The start of every run: the digests a crashed run left unfinished.
            models.Index(
                fields=["created_at"],
                condition=~Q(status="sent"),
                name="alerts_digest_unfinished",
            ),
            models.Index(fields=["email"], name="alerts_digest_email"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} to {self.email} ({self.status})"


class Delivery(models.Model):
    """A decision an alert has sent: never sent again by that alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    # The decision's created_at: a delivery older than its alert's `since` can go.
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            # Nothing sent twice by one alert; also the index of "what has it sent".
            models.UniqueConstraint(
                fields=["alert", "decision"], name="alerts_delivery_once_per_alert"
            ),
        ]
        indexes = [
            # A decision deleted: its deliveries, found by the cascade.
            models.Index(fields=["decision"], name="alerts_delivery_decision"),
        ]

    def __str__(self) -> str:
        return f"alert {self.alert_id}: decision {self.decision_id}"


def forget_address(email: str) -> int:
    """Every alert and digest of `email`: what "delete all" and the admin's deletion do."""
    deleted, _ = Alert.objects.filter(email__iexact=email).delete()
    Digest.objects.filter(email__iexact=email).delete()
    return deleted

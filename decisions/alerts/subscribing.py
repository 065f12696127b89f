"""A sign-up: the search validated by the same FilterSet as the page, the limits, and
the confirmation email (double opt-in: nothing is sent to an address but that email
until its link is followed).

The limits count with decisions.limits.hit, as the throttles do: confirmation emails
per address and sign-ups per client address, each per hour, so that the form cannot be
used to flood someone's inbox. The page says the same thing whether or not the address
already had an alert: the form does not tell who follows what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac

from decisions import limits
from decisions.alerts import messages
from decisions.alerts.models import Alert
from decisions.search.query import DecisionSearch

HOUR = 3600
# How the rows are shown, not which decisions match: not part of an alert's search.
NOT_THE_SEARCH = ("page", "per_page", "sort")


class LimitReached(Exception):
    """Too many sign-ups: the message says which limit and when to try again."""


def saved_query(params: QueryDict) -> str:
    """The search as an alert stores it: the query string less how rows are shown."""
    kept = params.copy()
    for name in NOT_THE_SEARCH:
        kept.pop(name, None)
    for name in [name for name, values in kept.lists() if not any(values)]:
        kept.pop(name)
    return kept.urlencode()


def normalised(email: str) -> str:
    return email.strip().lower()


def counted_as(value: str) -> str:
    """What a limit counts under: a keyed hash, so that the counters (kept an hour or
    so) hold neither an email address nor a client's IP address."""
    return salted_hmac("decisions.alerts.limits", value).hexdigest()


def check_limits(email: str, client: str) -> None:
    """Count this sign-up; LimitReached when its client or its address is past a limit."""
    if (
        limits.hit("alerts-client", counted_as(client), HOUR)
        > settings.ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR
    ):
        raise LimitReached(
            "Too many alerts have been asked for from your connection in the last hour. "
            f"Try again in {limits.seconds_left(HOUR) // 60 + 1} minutes."
        )
    if (
        limits.hit("alerts-address", counted_as(email), HOUR)
        > settings.ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_HOUR
    ):
        raise LimitReached(
            "This address has been sent enough confirmation emails for now: check its inbox "
            f"(and spam folder), or try again in {limits.seconds_left(HOUR) // 60 + 1} minutes."
        )


@dataclass(frozen=True)
class SignUp:
    alert: Alert
    emailed: bool  # False when the address already had this alert working


def sign_up(email: str, frequency: str, search: DecisionSearch, client: str) -> SignUp:
    """Make or renew a pending alert and send its confirmation; LimitReached past a limit.
    An alert already confirmed keeps working; its frequency changes on its manage page."""
    email = normalised(email)
    query = saved_query(search.filterset.data)
    check_limits(email, client)
    with transaction.atomic():
        alert, created = Alert.objects.select_for_update().get_or_create(
            email=email, query=query, defaults={"frequency": frequency}
        )
        if not created and alert.status == Alert.Status.PENDING:
            alert.frequency = frequency
            alert.created_at = timezone.now()  # a new week to confirm in
            alert.save(update_fields=["frequency", "created_at"])
    if alert.status != Alert.Status.PENDING:
        return SignUp(alert, emailed=False)
    messages.confirmation_message(alert).send()
    return SignUp(alert, emailed=True)


def confirm(alert: Alert) -> bool:
    """Activate a pending alert: its window starts now. False if it was not pending."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status != Alert.Status.PENDING:
            return False
        now = timezone.now()
        alert.status, alert.confirmed_at, alert.since = Alert.Status.ACTIVE, now, now
        alert.save(update_fields=["status", "confirmed_at", "since"])
    return True

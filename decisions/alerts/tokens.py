"""The signed links of the alerts: no account and no password, the link is the key.

Django's signing (HMAC with SECRET_KEY, a salt per purpose so that one kind of link never
opens another): https://docs.djangoproject.com/en/5.2/topics/signing/
- confirm: an alert's id, expiring after ALERTS_UNCONFIRMED_DAYS (double opt-in), when
  the sign-up itself is deleted;
- unsubscribe: alert ids, never expiring: an old email's link must still work;
- manage: one of an address's alerts, never expiring, in every email to it: the page
  shows all the alerts of that alert's address.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "decisions.alerts.confirm"
UNSUBSCRIBE_SALT = "decisions.alerts.unsubscribe"
MANAGE_SALT = "decisions.alerts.manage"


class BadLink(Exception):
    """A link that was altered, cut short, or has expired: the message says which."""


def confirm_days() -> int:
    days: int = settings.ALERTS_UNCONFIRMED_DAYS
    return days


def confirm_token(alert_id: int) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(alert_id))


def confirmed_alert_id(token: str) -> int:
    days = confirm_days()
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=datetime.timedelta(days=days)
        )
    except signing.SignatureExpired as problem:
        raise BadLink(f"This confirmation link has expired: links last {days} days.") from problem
    except signing.BadSignature as problem:
        raise BadLink("This confirmation link is not complete or not right.") from problem
    return int(value)


def unsubscribe_token(alert_ids: list[int]) -> str:
    """One alert's link, or a digest's (every alert in it: its List-Unsubscribe)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign("-".join(str(pk) for pk in alert_ids))


def unsubscribed_alert_ids(token: str) -> list[int]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as problem:
        raise BadLink("This unsubscribe link is not complete or not right.") from problem
    return [int(pk) for pk in value.split("-") if pk.isdigit()]


def manage_token(alert_id: int) -> str:
    """The manage page of the address of alert `alert_id`: an id, not the address, so
    that no email address is ever in a URL (nor in the request log, which keeps paths)."""
    return signing.Signer(salt=MANAGE_SALT).sign(str(alert_id))


def managed_alert_id(token: str) -> int:
    try:
        return int(signing.Signer(salt=MANAGE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as problem:
        raise BadLink("This link to your alerts is not complete or not right.") from problem

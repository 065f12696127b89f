"""The emails of the alerts: the confirmation, and the digest of new decisions.

A digest is plain text plus simple HTML (one column, headings, lists, real links), with
the headers of one-click unsubscribing (RFC 8058): `List-Unsubscribe` with an HTTPS
address that a POST of `List-Unsubscribe=One-Click` acts on, and `List-Unsubscribe-Post`.
https://www.rfc-editor.org/rfc/rfc8058
Its Message-ID and Date are the digest's own, stored: a digest made again after a crash
is the same message, which mail clients recognise and drop.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from decisions.alerts import tokens
from decisions.alerts.models import Alert, Digest
from decisions.models import Decision
from decisions.search.query import DecisionSearch, read_rows


def absolute(path: str) -> str:
    """An address on the site, for an email read far from any request."""
    return settings.SITE_URL.rstrip("/") + path


def new_message_id() -> str:
    domain = settings.ALERTS_MESSAGE_ID_DOMAIN
    return f"<alerts.{uuid.uuid4().hex}@{domain}>"


def describe(query: str) -> str:
    """A search in words: "“care home”; Category: Housing", or every decision."""
    search = DecisionSearch.from_params(QueryDict(query))
    if not search.valid:
        return f"?{query}"
    parts = [f"“{search.text}”"] if search.text else []
    parts += [
        f"{active.label}: {active.value}"
        for active in search.active_filters()
        if active.name != "q"
    ]
    return "; ".join(parts) or "every new decision"


def results_url(query: str) -> str:
    return absolute(reverse("decisions:list") + (f"?{query}" if query else ""))


def manage_url(alert_id: int) -> str:
    return absolute(reverse("alerts:manage", args=[tokens.manage_token(alert_id)]))


def unsubscribe_url(alert_ids: list[int]) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(alert_ids)]))


@dataclass(frozen=True)
class Section:
    """One alert's part of a digest."""

    alert: Alert
    described: str
    decisions: list[tuple[Decision, str]]  # each with its address
    more: int  # matches counted but not listed
    results_url: str
    unsubscribe_url: str
    problem: str


def sections(digest: Digest) -> list[Section]:
    alerts = Alert.objects.in_bulk([item["alert"] for item in digest.items])
    found = []
    for item in digest.items:
        alert = alerts.get(item["alert"])
        if alert is None:  # deleted since: nothing to say about it
            continue
        rows = read_rows(item["decisions"])
        found.append(
            Section(
                alert=alert,
                described=describe(alert.query),
                decisions=[(row, absolute(row.get_absolute_url())) for row in rows],
                more=len(item.get("more", [])),
                results_url=results_url(alert.query),
                unsubscribe_url=unsubscribe_url([alert.pk]),
                problem=item.get("problem", ""),
            )
        )
    return found


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    parts = sections(digest)
    count = sum(len(part.decisions) + part.more for part in parts)
    subject = (
        f"{count} new Ombudsman decision{'s' if count != 1 else ''} for your alerts"
        if count
        else "Your Ombudsman decision alerts need attention"
    )
    unsubscribe = unsubscribe_url([item["alert"] for item in digest.items])
    context = {
        "sections": parts,
        "count": count,
        "frequency": digest.frequency,
        "manage_url": manage_url(parts[0].alert.pk) if parts else absolute("/"),
        "unsubscribe_url": unsubscribe,
        "site_url": absolute("/"),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("alerts/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.email],
        headers={
            "Message-ID": digest.message_id,
            "Date": format_datetime(digest.created_at),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message


def confirmation_message(alert: Alert) -> EmailMultiAlternatives:
    context = {
        "alert": alert,
        "described": describe(alert.query),
        "confirm_url": absolute(reverse("alerts:confirm", args=[tokens.confirm_token(alert.pk)])),
        "days": tokens.confirm_days(),
        "manage_url": manage_url(alert.pk),
    }
    return EmailMultiAlternatives(
        subject="Confirm your Ombudsman decision alert",
        body=render_to_string("alerts/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[alert.email],
        headers={"Auto-Submitted": "auto-generated"},
    )

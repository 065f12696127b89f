"""Email alerts, the whole flow against a real SMTP server on loopback: sign up, confirm,
a digest of the new matching decisions only, one-click unsubscribe, and nothing after."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.alerts.models import Alert, Delivery, Digest
from tests.helpers import make_decision
from tests.smtp_server import body_text, html_text

ADDRESS = "caseworker@example.org"


def link_in(text: str, path: str) -> str:
    found = re.search(rf"http://testserver({re.escape(path)}[^\s\"<]+)", text)
    assert found, text
    return found.group(1)


def sign_up(client, inbox, query: str = "outcome=upheld", frequency: str = "daily") -> Alert:
    """Sign up from a search and follow the confirmation email's link."""
    response = client.post(f"/alerts/?{query}", {"email": ADDRESS, "frequency": frequency})
    assert response.status_code == 200, response.content.decode()
    assert "Check your email" in response.content.decode()
    (confirmation,) = inbox.take()
    assert confirmation["To"] == ADDRESS
    confirmed = client.get(link_in(body_text(confirmation), "/alerts/confirm/"))
    assert confirmed.status_code == 200
    assert "Your alert is confirmed" in confirmed.content.decode()
    return Alert.objects.get(email=ADDRESS, query=query)


def withdrawn(reference: str, **fields):
    decision = make_decision(reference, **fields)
    decision.withdrawn_at = timezone.now()
    decision.withdrawal_reason = "Names the complainant."
    decision.save()
    return decision


def send(frequency: str = "daily") -> None:
    call_command("send_alerts", "--frequency", frequency, stdout=io.StringIO())


def digest_references(message) -> list[str]:
    return re.findall(r"\b\d\d \d\d\d \d\d\d\b", body_text(message))


@pytest.mark.django_db
def test_a_confirmed_alert_emails_new_matching_decisions_only_and_stops_after_one_click(
    client, smtp_inbox
):
    old = make_decision("20 000 001", outcome="upheld")
    Decision = type(old)
    Decision.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    alert = sign_up(client, smtp_inbox)
    assert alert.status == Alert.Status.ACTIVE

    make_decision("20 000 002", outcome="upheld")
    make_decision("20 000 003", outcome="not_upheld")
    withdrawn("20 000 004", outcome="upheld")
    send()

    (digest,) = smtp_inbox.take()
    assert digest["To"] == ADDRESS
    assert digest_references(digest) == ["20 000 002"]
    assert "20 000 002" in html_text(digest)
    assert Delivery.objects.filter(alert=alert).count() == 1

    send()  # nothing new: nothing sent
    assert smtp_inbox.take() == []

    path = urlsplit(digest["List-Unsubscribe"].strip().strip("<>")).path
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Alert.objects.filter(email=ADDRESS).exists()
    assert not Digest.objects.filter(email=ADDRESS).exists()

    make_decision("20 000 005", outcome="upheld")
    send()
    assert smtp_inbox.take() == []


@pytest.mark.django_db
def test_a_digest_has_the_one_click_unsubscribe_headers_and_its_own_message_id(client, smtp_inbox):
    sign_up(client, smtp_inbox)
    make_decision("20 000 002", outcome="upheld")
    send()
    (digest,) = smtp_inbox.take()
    unsubscribe = digest["List-Unsubscribe"].strip()
    assert re.fullmatch(r"<http://testserver/alerts/unsubscribe/[^>]+/>", unsubscribe)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["Message-ID"] == Digest.objects.get().message_id
    assert digest.get_body(preferencelist=("plain",)) is not None
    assert digest.get_body(preferencelist=("html",)) is not None
    text = body_text(digest)
    assert "http://testserver/alerts/manage/" in text
    assert "http://testserver/?outcome=upheld" in text


@pytest.mark.django_db
def test_an_unconfirmed_alert_sends_nothing(client, smtp_inbox):
    client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"})
    smtp_inbox.take()
    make_decision("20 000 002", outcome="upheld")
    send()
    assert smtp_inbox.take() == []

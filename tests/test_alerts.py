"""Email alerts, the whole flow against a real SMTP server on loopback: sign up, confirm,
a digest of the new matching decisions only, one-click unsubscribe, and nothing after."""

from __future__ import annotations

import datetime
import io
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.alerts.models import Alert, Delivery, Digest
from tests.support.helpers import make_decision
from tests.support.smtp_server import body_text, html_text

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
    link = link_in(body_text(confirmation), "/alerts/confirm/")
    opened = client.get(link)  # as a link scanner would: nothing happens
    assert "Confirm and start the emails" in opened.content.decode()
    assert Alert.objects.get(email=ADDRESS, query=query).status == Alert.Status.PENDING
    confirmed = client.post(link)
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
    # No address in any link: paths are written to the request log.
    links = re.findall(r"http\S+", text) + [unsubscribe]
    assert links and not any("caseworker" in link or "%40" in link for link in links)


@pytest.mark.django_db
def test_an_unconfirmed_alert_sends_nothing(client, smtp_inbox):
    client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"})
    smtp_inbox.take()
    make_decision("20 000 002", outcome="upheld")
    send()
    assert smtp_inbox.take() == []


@pytest.mark.django_db
def test_a_search_that_becomes_invalid_is_told_in_the_next_email_once(client, smtp_inbox):
    from decisions.models import Category

    housing = Category.objects.create(name="Housing", slug="housing")
    alert = sign_up(client, smtp_inbox, query="category=housing")
    housing.slug = "housing-and-homes"  # renamed: the saved search no longer works
    housing.save()
    send()
    (told,) = smtp_inbox.take()
    assert "This search no longer works" in body_text(told)
    assert "Category" in body_text(told)
    alert.refresh_from_db()
    assert alert.problem and alert.status == Alert.Status.ACTIVE

    send()  # told once: not every day
    assert smtp_inbox.take() == []


@pytest.mark.django_db
def test_a_sign_up_for_an_invalid_search_is_refused_and_nothing_is_sent(client, smtp_inbox):
    response = client.post(
        "/alerts/?category=no-such-category", {"email": ADDRESS, "frequency": "daily"}
    )
    assert response.status_code == 400
    assert "This search cannot be followed" in response.content.decode()
    assert smtp_inbox.take() == []
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_an_address_gets_a_limited_number_of_confirmations_an_hour(client, smtp_inbox, settings):
    settings.ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_HOUR = 2
    for query in ("outcome=upheld", "outcome=not_upheld"):
        assert (
            client.post(f"/alerts/?{query}", {"email": ADDRESS, "frequency": "daily"}).status_code
            == 200
        )
    refused = client.post("/alerts/?q=care", {"email": ADDRESS.upper(), "frequency": "daily"})
    assert refused.status_code == 429
    assert (
        "This address has been sent enough confirmation emails for now" in refused.content.decode()
    )
    assert len(smtp_inbox.take()) == 2


@pytest.mark.django_db
def test_a_client_address_gets_a_limited_number_of_sign_ups_an_hour(client, smtp_inbox, settings):
    settings.ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR = 2
    for number in range(2):
        response = client.post(
            "/alerts/", {"email": f"p{number}@example.org", "frequency": "weekly"}
        )
        assert response.status_code == 200
    refused = client.post("/alerts/", {"email": "p9@example.org", "frequency": "weekly"})
    assert refused.status_code == 429
    assert "Too many alerts have been asked for from your connection" in refused.content.decode()
    assert len(smtp_inbox.take()) == 2


@pytest.mark.django_db
def test_unconfirmed_sign_ups_are_deleted_after_seven_days(client, smtp_inbox):
    client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"})
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(days=7, minutes=1))
    client.post("/alerts/?outcome=upheld", {"email": "fresh@example.org", "frequency": "daily"})
    send()
    assert list(Alert.objects.values_list("email", flat=True)) == ["fresh@example.org"]


@pytest.mark.django_db
def test_a_confirmation_link_altered_or_expired_does_not_confirm(client, smtp_inbox):
    from django.core import signing

    client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"})
    link = link_in(body_text(smtp_inbox.take()[0]), "/alerts/confirm/")
    assert client.get(link.replace("/confirm/", "/confirm/x")).status_code == 404
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now().timestamp() + 8 * 24 * 3600
        patch.setattr(signing.time, "time", lambda: later)
        expired = client.get(link)
    assert expired.status_code == 404
    assert "expired" in expired.content.decode()
    assert Alert.objects.get().status == Alert.Status.PENDING


@pytest.mark.django_db
def test_an_unsubscribe_link_opened_without_a_post_changes_nothing(client, smtp_inbox):
    sign_up(client, smtp_inbox)
    make_decision("20 000 002", outcome="upheld")
    send()
    (digest,) = smtp_inbox.take()
    path = urlsplit(digest["List-Unsubscribe"].strip().strip("<>")).path
    page = client.get(path)
    assert page.status_code == 200
    assert '<button type="submit">Unsubscribe</button>' in page.content.decode()
    assert Alert.objects.filter(email=ADDRESS).exists()


@pytest.mark.django_db
def test_the_manage_page_changes_frequency_pauses_resumes_and_deletes_everything(
    client, smtp_inbox
):
    alert = sign_up(client, smtp_inbox)
    make_decision("20 000 002", outcome="upheld")
    send()
    manage = link_in(body_text(smtp_inbox.take()[0]), "/alerts/manage/")
    page = client.get(manage).content.decode()
    assert "The email alerts of <strong>caseworker@example.org</strong>" in page

    client.post(manage, {"alert": alert.pk, "action": "frequency", "frequency": "weekly"})
    alert.refresh_from_db()
    assert alert.frequency == "weekly"

    client.post(manage, {"alert": alert.pk, "action": "pause"})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.PAUSED
    make_decision("20 000 003", outcome="upheld")
    send("weekly")
    assert smtp_inbox.take() == []

    client.post(manage, {"alert": alert.pk, "action": "resume"})
    send("weekly")  # what came in while paused comes now
    (resumed,) = smtp_inbox.take()
    assert digest_references(resumed) == ["20 000 003"]

    second = sign_up(client, smtp_inbox, query="outcome=not_upheld")
    deleted = client.post(manage, {"alert": alert.pk, "action": "delete"}).content.decode()
    assert "The alert is deleted." in deleted
    # The link's own alert is gone: the page's forms go on under the other alert's link.
    manage = re.search(r'action="(/alerts/manage/[^"]+)"', deleted).group(1)
    assert str(second.pk) in manage.rsplit("/", 2)[-2].split(":")[0]
    done = client.post(manage, {"action": "delete_all"}).content.decode()
    assert "Every alert of this address is deleted" in done
    assert not Alert.objects.exists() and not Digest.objects.exists()


@pytest.mark.django_db
def test_a_manage_link_for_another_address_cannot_be_made_up(client):
    assert client.get("/alerts/manage/someone@example.org:forged/").status_code == 404


@pytest.mark.django_db
def test_a_digest_lists_at_most_twenty_decisions_an_alert_and_links_to_the_rest(
    client, smtp_inbox, settings
):
    settings.ALERTS_MAX_DECISIONS = 2
    sign_up(client, smtp_inbox)
    for number in range(3):
        make_decision(f"20 000 01{number}", outcome="upheld")
    send()
    (digest,) = smtp_inbox.take()
    assert len(digest_references(digest)) == 2
    assert "And 1 more." in body_text(digest)
    send()
    assert smtp_inbox.take() == []


@pytest.mark.django_db
def test_one_digest_per_address_groups_its_alerts(client, smtp_inbox):
    sign_up(client, smtp_inbox, query="outcome=upheld")
    sign_up(client, smtp_inbox, query="outcome=not_upheld")
    make_decision("20 000 002", outcome="upheld")
    make_decision("20 000 003", outcome="not_upheld")
    send()
    (digest,) = smtp_inbox.take()
    assert sorted(digest_references(digest)) == ["20 000 002", "20 000 003"]


@pytest.mark.django_db
def test_follow_this_search_opens_a_readable_page_offering_email_and_the_feed(client):
    response = client.get("/follow/?outcome=upheld&page=2")
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Follow this search</h1>" in html
    assert 'action="/alerts/?outcome=upheld"' in html
    assert 'value="http://testserver/feed.atom?outcome=upheld"' in html


@pytest.mark.django_db
def test_every_list_page_offers_emails_beside_the_downloads(client, sample_decisions):
    html = client.get("/?outcome=upheld&page=2").content.decode()
    assert "Get emails about new decisions like these" in html
    assert 'action="/alerts/?outcome=upheld"' in html
    assert 'href="/follow/?outcome=upheld">Follow this search</a>' in html
    assert "Set-Cookie" not in str(client.get("/?outcome=upheld").headers)


def test_email_url_sets_django_s_email_settings():
    from config.settings import email_from_url

    assert email_from_url("smtp://user:p%40ss@mail.example.org") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    assert email_from_url("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert email_from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.django_db
def test_the_privacy_page_says_what_alerts_keep_and_for_how_long(client, settings):
    settings.ALERTS_KEEP_DIGESTS_DAYS = 30
    html = client.get("/privacy/").content.decode()
    assert '<h2 id="email-alerts">Email alerts</h2>' in html
    assert "not confirmed within 7 days is deleted with its address" in html
    assert "each email sent, with your address, for 30 days" in html


@pytest.mark.django_db
def test_the_alert_pages_set_no_cookies(client, smtp_inbox):
    for response in (
        client.get("/follow/?outcome=upheld"),
        client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"}),
    ):
        assert not response.cookies and "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_the_limits_count_neither_an_email_address_nor_an_ip_address(client, smtp_inbox):
    from decisions.limits import RateCounter

    client.post("/alerts/?outcome=upheld", {"email": ADDRESS, "frequency": "daily"})
    keys = list(
        RateCounter.objects.filter(scope__startswith="alerts").values_list("key", flat=True)
    )
    assert len(keys) == 2
    assert not any(ADDRESS in key or "127.0.0.1" in key for key in keys)


@pytest.mark.django_db
def test_a_decision_committed_but_not_yet_indexed_goes_in_the_next_run_not_skipped(
    client, smtp_inbox, settings
):
    from decisions.search import syncing

    settings.ALERTS_MARGIN_SECONDS = 0  # the index's position alone must be enough
    sign_up(client, smtp_inbox)
    settings.SEARCH_INDEX_CATCH_UP_ON_READ = False  # the index writer is behind
    syncing.catch_up()
    make_decision("20 000 002", outcome="upheld")
    # The run comes a whole second (the index's `entered_at` resolution) later: a window
    # moved on by the clock would now start after the decision entered, and skip it.
    time.sleep(1.1)
    send()
    assert smtp_inbox.take() == []  # not in the index: not sent, and not passed over

    syncing.catch_up()  # the writer catches up
    send()
    (digest,) = smtp_inbox.take()
    assert digest_references(digest) == ["20 000 002"]


@pytest.mark.django_db
def test_a_search_of_the_longest_words_allowed_can_be_followed(client, smtp_inbox):
    from urllib.parse import quote

    # As long a search as the box takes: SEARCH_MAX_TERMS (32) words, 1,951 characters.
    words = quote(" ".join(["garçon" * 10] * 32))
    response = client.post(f"/alerts/?q={words}", {"email": ADDRESS, "frequency": "weekly"})
    assert response.status_code == 200
    assert len(Alert.objects.get().query) > 2704  # a B-tree entry's limit, in bytes


@pytest.mark.django_db
def test_a_run_reads_from_the_index_only_the_decisions_entered_since_the_oldest_window():
    from decisions.alerts.window import epoch, recent
    from decisions.search import engine, syncing

    old = make_decision("20 000 001")
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    new = make_decision("20 000 002")
    syncing.catch_up()
    since = epoch(timezone.now() - datetime.timedelta(days=1))
    assert list(recent(engine.searcher(), since)) == [new.pk]


def email_settings(**variables: str) -> str:
    """The email settings a child process reads from these variables alone."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Parsed, never connected to: `shell -c` reads the settings only.
        "DATABASE_URL": "postgres://nobody@localhost/nothing",
        **variables,
    }
    code = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own notice


def test_make_run_prints_emails_and_production_sends_them_by_smtp():
    assert email_settings(DEBUG="1").startswith("django.core.mail.backends.console.EmailBackend")
    production = email_settings(
        SECRET_KEY="x" * 10 + "abcdefghij" * 5,
        EMAIL_URL="smtp://alerts:secret@smtp.example.org:2525",
    )
    assert production == "django.core.mail.backends.smtp.EmailBackend smtp.example.org 2525"

"""The alerts in the admin: listed with their address, search, frequency, last send and
status, searchable, and disabled by staff."""

from __future__ import annotations

import pytest
from django.utils import timezone

from decisions.alerts.models import Alert, Digest


def alert(email: str, query: str, **fields) -> Alert:
    now = timezone.now()
    values = {
        "frequency": "weekly",
        "status": Alert.Status.ACTIVE,
        "confirmed_at": now,
        "since": now,
    }
    return Alert.objects.create(email=email, query=query, **(values | fields))


@pytest.fixture
def staff(client):
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("editor", password="a-long-test-password")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_alerts_are_listed_with_their_search_frequency_last_send_and_status(staff):
    alert("one@example.org", "outcome=upheld")
    alert("two@example.org", "q=care+home", frequency="daily")
    html = staff.get("/admin/alerts/alert/").content.decode()
    for heading in ("Email", "Query", "Frequency", "Last sent at", "Status"):
        assert heading in html
    assert "one@example.org" in html and "q=care+home" in html


@pytest.mark.django_db
def test_the_alerts_are_searched_by_address_or_search(staff):
    alert("one@example.org", "outcome=upheld")
    alert("two@example.org", "q=care+home")
    html = staff.get("/admin/alerts/alert/?q=care").content.decode()
    assert "two@example.org" in html and "one@example.org" not in html


@pytest.mark.django_db
def test_staff_can_disable_alerts_and_a_disabled_alert_sends_nothing(staff):
    chosen = alert("one@example.org", "outcome=upheld")
    staff.post(
        "/admin/alerts/alert/",
        {"action": "disable", "_selected_action": [chosen.pk], "index": 0},
    )
    chosen.refresh_from_db()
    assert chosen.status == Alert.Status.DISABLED
    assert not Alert.objects.filter(status=Alert.Status.ACTIVE).exists()


@pytest.mark.django_db
def test_deleting_an_address_s_last_alert_in_the_admin_forgets_its_digests(staff):
    chosen = alert("one@example.org", "outcome=upheld")
    Digest.objects.create(email="one@example.org", frequency="weekly", message_id="<a@b>")
    staff.post(f"/admin/alerts/alert/{chosen.pk}/delete/", {"post": "yes"})
    assert not Alert.objects.exists() and not Digest.objects.exists()

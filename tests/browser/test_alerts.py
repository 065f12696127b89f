"""A caseworker follows a search by email, in a real Chromium on a laptop and a phone:
signs up on the list page, confirms from the email, and manages the alert. Each page
passes axe and fits the screen."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from decisions.alerts.models import Alert
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser


def fits(page: Page) -> None:
    assert check_accessibility(page) == [], page.url
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"{page.url} scrolls sideways"
    expect(page.locator("h1")).to_have_count(1)


def test_a_search_is_followed_by_email_confirmed_and_managed(
    sized_page: Page, live_server, sample_decisions, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    sized_page.goto(live_server.url + "/?outcome=upheld")
    signup = sized_page.locator("form.alert-signup")
    expect(sized_page.get_by_text("Get emails about new decisions like these")).to_be_visible()
    fits(sized_page)
    signup.get_by_label("Email address").fill("caseworker@example.org")
    signup.get_by_label("Daily").check()
    signup.get_by_role("button", name="Get emails").click()
    expect(sized_page.get_by_role("heading", name="Check your email")).to_be_visible()
    fits(sized_page)

    (confirmation,) = mailoutbox
    link = re.search(r"http\S+/alerts/confirm/\S+", confirmation.body).group(0)
    sized_page.goto(link)
    fits(sized_page)
    sized_page.get_by_role("button", name="Confirm and start the emails").click()
    expect(sized_page.get_by_role("heading", name="Your alert is confirmed")).to_be_visible()
    fits(sized_page)

    sized_page.get_by_role("link", name="Manage your alerts").click()
    expect(sized_page.get_by_role("heading", name="Your alerts")).to_be_visible()
    fits(sized_page)
    sized_page.get_by_role("button", name=re.compile("^Pause")).click()
    expect(sized_page.get_by_role("status")).to_contain_text("The alert is paused")
    fits(sized_page)
    assert Alert.objects.get().status == Alert.Status.PAUSED


def test_a_sign_up_with_a_bad_address_says_what_to_fix(
    sized_page: Page, live_server, sample_decisions
):
    sized_page.goto(live_server.url + "/follow/?outcome=upheld")
    fits(sized_page)
    sized_page.get_by_label("Email address").fill("not an address")
    sized_page.get_by_role("button", name="Get emails").click()
    expect(sized_page.get_by_role("alert")).to_contain_text("Enter an email address like")
    fits(sized_page)


def test_a_digest_email_s_html_passes_axe_on_both_screens(
    sized_page: Page, sample_decisions, mailoutbox, settings
):
    from django.utils import timezone

    from decisions.alerts import sending
    from decisions.models import Decision
    from tests.support.helpers import make_decision

    now = timezone.now()
    # The samples entered before the alert, even within the same second (the index's).
    Decision.objects.update(created_at=now - datetime.timedelta(days=1))
    Alert.objects.create(
        email="caseworker@example.org",
        query="outcome=upheld",
        frequency="weekly",
        status=Alert.Status.ACTIVE,
        confirmed_at=now,
        since=now,
    )
    for number in range(5):  # a list: its links must be far enough apart to tap
        make_decision(f"20 000 00{number}", outcome="upheld")
    sending.run("weekly")
    (digest,) = mailoutbox
    ((html, kind),) = digest.alternatives
    assert kind == "text/html"
    assert html.count("<li") == 5
    sized_page.set_content(html)
    fits(sized_page)

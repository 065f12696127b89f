"""A person looks for the statements the Ombudsman no longer publishes: chooses the
filter, finds the one the source removed, opens it and reads since when; the pages pass
axe's WCAG 2.2 AA rules."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from decisions.models import Decision, SourcePage
from tests.browser.axe import check_accessibility

pytestmark = pytest.mark.browser

NORFOLK = "/decisions/19-011-560/"


def test_a_person_finds_a_statement_the_source_removed(page: Page, live_server, sample_decisions):
    decision = Decision.objects.get(reference="19 011 560")
    gone_since = timezone.make_aware(datetime(2026, 11, 20, 6, 15))
    SourcePage.objects.create(
        decision=decision,
        url=decision.url,
        first_seen_at=gone_since - timedelta(days=400),
        gone_since=gone_since,
        gone_reason="HTTP 410",
    )

    page.goto(live_server.url + "/")
    if not page.locator("#filter-panel").evaluate("panel => panel.open"):  # folded
        page.locator("summary", has_text="Filter results").click()
    page.get_by_label("On the Ombudsman’s website").select_option(
        label="No longer published by the Ombudsman"
    )
    page.get_by_role("button", name="Show decisions").click()

    assert "at_source=removed" in page.url
    rows = page.locator("li.decision")
    expect(rows).to_have_count(1)
    assert check_accessibility(page) == []
    rows.first.get_by_role("link").first.click()

    expect(page).to_have_url(re.compile(NORFOLK))
    notice = page.get_by_role("region", name="Removed from the Ombudsman’s website")
    kept = timezone.localtime(min(gone_since - timedelta(days=400), decision.created_at))
    expect(notice).to_contain_text(
        f"No longer published by the Ombudsman since 20 November 2026; kept here since "
        f"{kept.day} {kept:%B %Y}."
    )
    assert check_accessibility(page) == []

"""A scraper record's other keys are kept as provenance: in the decision's capture, and
shown, read-only, in the admin on the capture's page and in the decision's capture list."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from decisions.models import Capture, Decision
from tests.conftest import FIXTURES
from tests.support.helpers import get_html

PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]


@pytest.fixture
def capture(db, tmp_path: Path) -> Capture:
    """A .jsonl scraper record with keys beside `url` and `text`, imported by the command."""
    record = dict(
        PAGES[0],
        scraped_at="2026-11-01T09:30:00Z",
        scraper={"name": "lgo-harvester", "version": "2.1"},
        listing="<b>page 3</b>",
        headers={"ETag": '"5f2a"', "Last-Modified": "Sat, 31 Oct 2026 22:00:00 GMT"},
    )
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    call_command("import_decisions", str(dump), "--no-progress", stdout=StringIO())
    return Decision.objects.get(url=PAGES[0]["url"]).captures.get()


def test_a_records_other_keys_land_in_its_capture(capture):
    assert capture.metadata == {
        "url": PAGES[0]["url"],
        "scraped_at": "2026-11-01T09:30:00Z",
        "scraper": {"name": "lgo-harvester", "version": "2.1"},
        "listing": "<b>page 3</b>",
    }
    assert capture.headers == {"ETag": '"5f2a"', "Last-Modified": "Sat, 31 Oct 2026 22:00:00 GMT"}


def test_the_captures_admin_page_shows_its_provenance_read_only(editor, capture):
    url = reverse("admin:decisions_capture_change", args=[capture.pk])
    html = get_html(editor, url)
    assert "<dt>scraped_at</dt><dd>2026-11-01T09:30:00Z</dd>" in html
    assert "<dt>scraper</dt><dd>{&quot;name&quot;: &quot;lgo-harvester&quot;" in html
    assert "<dd>&lt;b&gt;page 3&lt;/b&gt;</dd>" in html  # a record's markup stays text
    assert "<dt>ETag</dt><dd>&quot;5f2a&quot;</dd>" in html
    assert 'name="_save"' not in html  # nothing to edit
    editor.post(url, {"source": "edited"})
    capture.refresh_from_db()
    assert capture.source.endswith("dump.jsonl:1")
    assert (
        get_html(editor, reverse("admin:decisions_capture_changelist")).count("dump.jsonl:1") == 1
    )


def test_the_decisions_admin_page_lists_its_captures_with_their_provenance(editor, capture):
    html = get_html(editor, reverse("admin:decisions_decision_change", args=[capture.decision_id]))
    capture_url = reverse("admin:decisions_capture_change", args=[capture.pk])
    assert f"<li>{capture.created_at:%Y-%m-%d %H:%M} · command · <a href='{capture_url}'>" in html
    assert "scraped_at: 2026-11-01T09:30:00Z" in html
    assert "listing: &lt;b&gt;page 3&lt;/b&gt;" in html

"""Small helpers the test modules share: crafting a decision, fetching a page."""

from __future__ import annotations

import io
import re
import zipfile

from decisions.models import Decision


def make_decision(reference: str, **fields) -> Decision:
    """A decision made in the test, not imported: only the fields a test cares about."""
    return Decision.objects.create(
        reference=reference, source=f"crafted {reference}", content_hash=reference, **fields
    )


def searched(text: str, **params: str) -> list[Decision]:
    """Every decision the search box's `text` finds (with `params`), in its order: the
    search index's answer, as every door reads it."""
    from decisions.search.query import DecisionSearch

    return DecisionSearch.from_params({"q": text, **params}).window(0, 100_000)


def get_html(client, url: str) -> str:
    """The HTML of `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results_heading(html: str) -> str:
    """The list page's count line ("Showing 1–20 of about 41,000 decisions")."""
    return re.search(r'<h2 id="results-title"[^>]*>(.*?)</h2>', html).group(1)


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive in memory holding `members` (name to bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()

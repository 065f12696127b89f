"""Every source as it came in (a Capture), read-only in the admin: the import's record
that nothing was lost, and its provenance as the decision's page shows it.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from decisions.models import Capture

CAPTURE_FIELDS = (
    "decision",
    "run",
    "origin",
    "source",
    "url",
    "provenance",
    "response_headers",
    "sha256",
    "raw_size",
    "is_text",
    "held",
    "note",
    "created_at",
)


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    """Every source as it came in, with its provenance: read-only, the import's record
    that nothing was lost (decisions.importing.captures writes them)."""

    list_display = ["decision", "created_at", "origin", "source", "held"]
    list_filter = ["held", "origin"]
    search_fields = ["decision__reference", "source", "url"]
    list_select_related = ["decision"]
    show_full_result_count = False
    # One tuple for both: every field shown, none editable.
    fields = CAPTURE_FIELDS
    readonly_fields = CAPTURE_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Capture | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Capture | None = None) -> bool:
        return False

    @admin.display(description="Provenance (the scraper record's other keys)")
    def provenance(self, capture: Capture) -> str:
        return key_value_list(capture.metadata)

    @admin.display(description="Response headers")
    def response_headers(self, capture: Capture) -> str:
        return key_value_list(capture.headers)


def shown(value: object) -> str:
    """A provenance value as text: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def key_value_list(values: dict) -> str:
    if not values:
        return "None"
    # format_html_join escapes keys and values: a scraper's record never becomes markup.
    return format_html(
        "<dl class='provenance'>{}</dl>",
        format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((key, shown(v)) for key, v in values.items())
        ),
    )


def provenance_line(metadata: dict, limit: int = 200) -> str:
    """A capture's provenance on one line for the decision's page, each value cut to
    `limit` characters (the capture's own page has them whole); its URL is left out."""
    return "; ".join(
        f"{key}: {text if len(text := shown(v)) <= limit else text[:limit] + '…'}"
        for key, v in metadata.items()
        if key != "url"
    )

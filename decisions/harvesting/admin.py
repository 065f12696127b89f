"""The admin's record of harvests and source checks, and each decision's source life:
read-only, written by the harvester. Registered from decisions/admin/__init__.py."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from decisions.harvesting.recording import summary
from decisions.models import HarvestRun, SourcePage


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(HarvestRun)
class HarvestRunAdmin(ReadOnly):
    list_display = [
        "started_at",
        "kind",
        "status",
        "requests",
        "pages_fetched",
        "not_modified",
        "created",
        "updated",
        "failed",
        "removed_at_source",
        "finished_at",
    ]
    list_filter = ["kind", "status", "started_at"]
    fields = [
        "kind",
        "status",
        "error",
        "base_url",
        ("started_at", "finished_at"),
        "what_it_did",
        ("requests", "pages_fetched", "not_modified", "disallowed"),
        ("created", "updated", "unchanged", "failed", "removed_at_source"),
        "window_list",
        "failure_list",
        "imports",
    ]
    readonly_fields = ["started_at", "what_it_did", "window_list", "failure_list"]

    @admin.display(description="Summary")
    def what_it_did(self, run: HarvestRun) -> str:
        return summary(run)

    @admin.display(description="Windows walked")
    def window_list(self, run: HarvestRun) -> str:
        if not run.windows:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} ({} listing pages, {} decisions listed)</li>",
                (
                    (w.get("window"), w.get("status"), w.get("pages", 0), w.get("listed", 0))
                    for w in run.windows
                ),
            ),
        )

    @admin.display(description="Failures")
    def failure_list(self, run: HarvestRun) -> str:
        if not run.failures:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: {}</li>", ((f.get("url"), f.get("error")) for f in run.failures)
            ),
        )


@admin.register(SourcePage)
class SourcePageAdmin(ReadOnly):
    list_display = [
        "decision",
        "url",
        "first_seen_at",
        "last_seen_at",
        "last_checked_at",
        "gone_since",
    ]
    list_filter = [("gone_since", admin.EmptyFieldListFilter), "last_checked_at"]
    list_select_related = ["decision__organisation"]
    search_fields = ["decision__reference", "url"]

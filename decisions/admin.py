"""The admin: curation of decisions, withdrawal, and uploads with an audit trail.

Uploads are handled in `decisions.importing.uploads` (a thin shell over the import pipeline);
here are only the pages and actions around it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Count, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from decisions.admin_forms import (
    CuratedFilter,
    DecisionForm,
    ReviewCauseFilter,
    WithdrawForm,
    WithdrawnFilter,
    remedies_total,
)
from decisions.importing.pipeline import mark_interrupted_runs
from decisions.importing.uploads import (
    UploadForm,
    UploadReport,
    can_import_for_real,
    oversized_uploads,
    queue_rerun,
    queue_upload,
    stored_key,
)
from decisions.models import Capture, Category, Decision, ImportRun, Organisation
from decisions.numbers import whole_number

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import WithAnnotations

IMPORT_PERMISSION = "decisions.import_decisions"


class DecisionCount(TypedDict):
    """What OrganisationAdmin.get_queryset annotates."""

    decision_count: int


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "decision_count"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(decision_count=Count("decisions"))

    @admin.display(description="Decisions", ordering="decision_count")
    def decision_count(self, organisation: WithAnnotations[Organisation, DecisionCount]) -> int:
        return organisation.decision_count


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "in_taxonomy"]
    list_filter = ["in_taxonomy", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "parent__name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    form = DecisionForm
    # Django 6 makes https the default scheme for typed-in addresses; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "reference",
        "organisation",
        "category",
        "outcome",
        "decision_date",
        "needs_review",
        "is_public",
    ]
    list_filter = [
        "needs_review",
        ReviewCauseFilter,
        "truncated",
        WithdrawnFilter,
        CuratedFilter,
        "outcome",
        ("category__parent", admin.RelatedOnlyFieldListFilter),
        "decision_date",
    ]
    search_fields = ["reference", "organisation__name", "summary"]
    list_select_related = ["organisation", "category__parent"]
    autocomplete_fields = ["organisation", "category"]
    date_hierarchy = "decision_date"
    show_full_result_count = False  # COUNT(*) over a million rows on every page is not free
    actions = ["withdraw", "restore"]
    readonly_fields = [
        "content_hash",
        "source_hash",
        "parse_warnings_list",
        "source",
        "remedy_total",
        "curated_at",
        "curated_fields",
        "withdrawn_at",
        "withdrawal_reason",
        "created_at",
        "updated_at",
        "capture_list",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "organisation", "category", "decision_date"]}),
        ("Review", {"fields": ["needs_review", "truncated", "parse_warnings_list"]}),
        ("Outcome", {"fields": ["outcome", "outcome_wording", "outcome_inferred"]}),
        ("Text", {"fields": ["summary", "sections", "body_text"]}),
        ("Extracted", {"fields": ["remedies", "remedy_total", "other_bodies", "legislation"]}),
        (
            "Corrections and withdrawal",
            {
                "fields": ["curated_at", "curated_fields", "withdrawn_at", "withdrawal_reason"],
                "description": "A correction made here survives re-imports of the same page; "
                "a changed page replaces it (see README, “Curation”). Withdraw or restore "
                "a decision with the actions on the list of decisions.",
            },
        ),
        (
            "Provenance",
            {
                "fields": [
                    "source",
                    "url",
                    "content_hash",
                    "source_hash",
                    "created_at",
                    "updated_at",
                    "capture_list",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Decision | None = None) -> list:
        # The reference is the import key: changing it would make a re-import a new row.
        return [*self.readonly_fields, "reference"] if obj else self.readonly_fields

    @admin.display(description="Parse warnings")
    def parse_warnings_list(self, decision: Decision) -> str:
        if not decision.parse_warnings:
            return "None"
        # format_html_join escapes every warning: page text never becomes markup.
        return format_html(
            "<ul class='parse-warnings'>{}</ul>",
            format_html_join("", "<li>{}</li>", ((str(w),) for w in decision.parse_warnings)),
        )

    @admin.display(description="Captures (every source it came from)")
    def capture_list(self, decision: Decision) -> str:
        """Read-only, not an inline: a correction's form stays the decision's alone. Each
        capture links to its own page, with its scraper record's other keys in full."""
        rows = decision.captures.order_by("-held", "-created_at").values_list(
            "pk", "created_at", "origin", "source", "held", "note", "raw_size", "metadata"
        )[:50]
        if not rows:
            return "None"
        return format_html(
            "<ul class='capture-list'>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · <a href='{}'>{}</a> · {} bytes{}{}{}</li>",
                (
                    (
                        # Formatted here: format_html escapes its arguments to strings first.
                        f"{created:%Y-%m-%d %H:%M}",
                        origin,
                        reverse("admin:decisions_capture_change", args=[pk]),
                        source,
                        f"{size:,}",
                        " · HELD" if held else "",
                        f" · {note}" if note else "",
                        f" · {line}" if (line := provenance_line(metadata)) else "",
                    )
                    for pk, created, origin, source, held, note, size, metadata in rows
                ),
            ),
        )

    @admin.display(description="Public", boolean=True, ordering="withdrawn_at")
    def is_public(self, decision: Decision) -> bool:
        return decision.withdrawn_at is None

    def save_model(
        self, request: HttpRequest, obj: Decision, form: forms.ModelForm[Decision], change: bool
    ) -> None:
        obj.remedy_total = remedies_total(obj.remedies)
        if change and form.changed_data:
            obj.curated_at = timezone.now()
            obj.curated_fields = sorted(set(obj.curated_fields or []) | set(form.changed_data))
        # The search index and the statistics follow through the change log
        # (decisions.search.syncing): nothing is rebuilt in this request.
        super().save_model(request, obj, form, change)

    @admin.action(description="Withdraw from public view", permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            chosen = list(queryset.filter(withdrawn_at__isnull=True))
            Decision.objects.filter(pk__in=[d.pk for d in chosen]).update(
                withdrawn_at=timezone.now(), withdrawal_reason=reason
            )
            for decision in chosen:
                self.log_change(request, decision, f"Withdrawn from public view: {reason}")
            self.message_user(request, f"{len(chosen)} decision(s) withdrawn from public view.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Withdraw from public view",
            "opts": self.model._meta,
            "decisions": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/decisions/decision/withdraw.html", context)

    @admin.action(description="Restore to public view", permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.filter(withdrawn_at__isnull=False))
        Decision.objects.filter(pk__in=[d.pk for d in chosen]).update(
            withdrawn_at=None, withdrawal_reason=""
        )
        for decision in chosen:
            self.log_change(request, decision, "Restored to public view")
        self.message_user(request, f"{len(chosen)} decision(s) restored to public view.")


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


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only audit trail: runs are recorded by the pipeline, never edited."""

    list_display = [
        "started_at",
        "origin",
        "status_label",
        "started_by",
        "dry_run",
        "created",
        "updated",
        "unchanged",
        "held",
        "failed",
        "file_count",
        "finished_at",
    ]
    list_filter = ["status", "origin", "started_at"]
    list_select_related = ["started_by"]
    actions = ["rerun_imports"]
    fields = [
        "origin",
        "status_label",
        "error",
        "started_by",
        "dry_run",
        "started_at",
        "heartbeat_at",
        "finished_at",
        ("created", "updated", "unchanged", "held", "failed"),
        "sources",
        "stored_files",
        "failure_list",
        "rerun_of",
    ]
    readonly_fields = ["status_label", "stored_files", "failure_list", "started_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="decisions_importrun_upload"),
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="decisions_importrun_progress",
            ),
            path(
                "<int:pk>/import-for-real/",
                wrap(self.import_for_real_view),
                name="decisions_importrun_for_real",
            ),
            path(
                "<int:pk>/files/<int:index>/",
                wrap(self.file_view),
                name="decisions_importrun_file",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        mark_interrupted_runs()  # so a run whose worker died never looks alive here
        extra = {"can_upload": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        mark_interrupted_runs()
        pk = whole_number(object_id)
        run = ImportRun.objects.filter(pk=pk).first() if pk is not None else None
        extra = {
            "can_upload": self.has_import_permission(request),
            "report": UploadReport(run) if run is not None else None,
            "for_real": run is not None and can_import_for_real(run),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def progress_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        """The run's counts as JSON, polled by its page while it is queued or running."""
        run = ImportRun.objects.filter(pk=pk).first()
        if run is None or not self.has_view_permission(request, run):
            raise Http404
        return JsonResponse(
            {
                "status": run.status,
                "status_display": run.status_label,
                "done": run.done,
                "processed": run.processed,
                **{name: getattr(run, name) for name in PROGRESS_COUNTS},
            }
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, run: ImportRun) -> str:
        return run.status_label

    @admin.display(description="Files")
    def file_count(self, run: ImportRun) -> int:
        return len(run.files or [])

    @admin.display(description="Stored files")
    def stored_files(self, run: ImportRun) -> str:
        if not run.files:
            return "None"
        rows = (
            (
                reverse("admin:decisions_importrun_file", args=[run.pk, index]),
                entry.get("name", "?"),
                f"{entry.get('size', 0):,}",
            )
            for index, entry in enumerate(run.files)
        )
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><a href='{}' download>{}</a> ({} bytes)</li>", rows),
        )

    @admin.display(description="Failures")
    def failure_list(self, run: ImportRun) -> str:
        if not run.failures:
            return "None"
        rows = ((f.get("source", ""), f.get("error", "")) for f in run.failures)
        more = run.failed - len(run.failures)
        return format_html(
            "<ul>{}</ul>{}",
            format_html_join("", "<li><strong>{}</strong>: {}</li>", rows),
            f"… and {more} more" if more > 0 else "",
        )

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Store the files and queue their import; the run's page then shows progress."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            files = request.FILES  # parses the upload; only then is `oversized` known
            oversized = oversized_uploads(request)
            form = UploadForm(request.POST, files, oversized=oversized)
            if form.is_valid():
                run = queue_upload(
                    form.cleaned_data["files"],
                    user=signed_in(request),
                    dry_run=form.cleaned_data["dry_run"],
                    oversized=oversized,
                    refused=form.refused,
                )
                self.message_user(
                    request,
                    f"Upload stored as import {run.pk} and queued; this page shows its "
                    "progress and, once it has run, its report.",
                    messages.SUCCESS,
                )
                for name, reason in form.refused:
                    self.message_user(
                        request, f"Not imported: {name} ({reason}).", messages.WARNING
                    )
                return HttpResponseRedirect(
                    reverse("admin:decisions_importrun_change", args=[run.pk])
                )
        else:
            form = UploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload decisions",
            "opts": self.model._meta,
            "form": form,
            "limits": upload_limits(),
        }
        return TemplateResponse(request, "admin/decisions/importrun/upload.html", context)

    def import_for_real_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Import a dry run's kept files for real, as a new run (no upload again)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        dry_run = ImportRun.objects.filter(pk=pk).first()
        if dry_run is None:
            raise Http404
        if request.method != "POST" or not can_import_for_real(dry_run):
            return HttpResponseRedirect(reverse("admin:decisions_importrun_change", args=[pk]))
        run = queue_rerun(dry_run, user=signed_in(request))
        self.message_user(
            request,
            f"The files of dry run {dry_run.pk} are being imported for real as import {run.pk}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:decisions_importrun_change", args=[run.pk]))

    def file_view(self, request: HttpRequest, pk: int, index: int) -> FileResponse:
        """A stored upload, always as a download: never rendered from the site's origin."""
        run = ImportRun.objects.filter(pk=pk).first()
        if run is None or not self.has_view_permission(request, run):
            raise Http404
        entries = run.files or []
        entry = entries[index] if index < len(entries) else None
        key = stored_key(entry) if entry else None
        if not entry or key is None or not default_storage.exists(key):
            raise Http404("That file is no longer stored.")
        response = FileResponse(
            default_storage.open(key, "rb"),
            as_attachment=True,
            filename=entry["name"],
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @admin.action(
        description="Re-run this import (the stored files, as a new run)", permissions=["import"]
    )
    def rerun_imports(self, request: HttpRequest, queryset: QuerySet) -> None:
        for previous in queryset.order_by("started_at"):
            if not previous.files:
                self.message_user(
                    request,
                    f"{previous} has no stored files (only admin uploads keep theirs).",
                    messages.WARNING,
                )
                continue
            run = queue_rerun(previous, user=signed_in(request))
            self.message_user(request, f"Queued {previous}'s files again as import {run.pk}.")


PROGRESS_COUNTS = ("created", "updated", "unchanged", "held", "failed")


def signed_in(request: HttpRequest) -> User:
    """The staff member behind an admin view, who starts a run. admin_view has already
    sent anyone else to the login page; this says so to the type checker."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def upload_limits() -> dict[str, int]:
    return {
        "file_bytes": settings.IMPORT_MAX_FILE_BYTES,
        "files": settings.IMPORT_MAX_FILES,
        "zip_bytes": settings.IMPORT_ZIP_MAX_TOTAL_BYTES,
        "zip_entries": settings.IMPORT_ZIP_MAX_ENTRIES,
        "zip_depth": settings.IMPORT_ZIP_MAX_DEPTH,
    }


# The harvester's runs and the decisions' source pages (their own module, by meaning).
from decisions.harvesting import admin as harvesting_admin  # noqa: E402, F401

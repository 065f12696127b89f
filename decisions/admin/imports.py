"""Import runs in the admin: uploads, their progress and report, dry runs imported for
real and re-runs, with an audit trail (the pipeline records the runs; they are never
edited). Uploads are handled in `decisions.importing.uploads`, a thin shell over the
import pipeline; here are only the pages and actions around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import QuerySet
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
from django.utils.html import format_html, format_html_join

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
from decisions.models import ImportRun
from decisions.numbers import whole_number

if TYPE_CHECKING:
    from django.contrib.auth.models import User


IMPORT_PERMISSION = "decisions.import_decisions"


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

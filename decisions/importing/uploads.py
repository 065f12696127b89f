"""The admin's "Upload decisions" door into the import pipeline.

A thin shell over `decisions.importing.pipeline.run_import`, like the management command, with
one difference: an upload is never imported inside the web request. The files are
kept as uploads/<run id>/ in the uploads' storage (MEDIA_ROOT, or a shared storage:
settings.STORAGES; never under static/, never served by URL),
the run is queued (`import_queued_run`, on the PostgreSQL task queue) and a worker
(`manage.py db_worker`) imports it, while the run's admin page shows its progress.
Every run can be audited and re-run. Limits come from settings (IMPORT_*); a file
over a limit imports nothing and is reported by name with the limit, and the other
files of the upload still import. So is a file that cannot be a decision (empty, an
image, an unknown kind: decisions.importing.screening), refused at upload by name with
the reason. A dry run keeps its files, so that the same files can then be imported
for real without uploading them again (`can_import_for_real`, `queue_rerun`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import get_valid_filename
from django_tasks import task

from decisions.importing.pipeline import run_import
from decisions.importing.results import RecordResult
from decisions.importing.screening import refusal
from decisions.importing.sources import (
    SUPPORTED_SUFFIXES,
    ImportLimits,
    Item,
    SourceFailure,
    file_too_large_message,
    iter_stored_file,
)
from decisions.importing.storable import storable_json, storable_text
from decisions.models import Decision, ImportRun
from decisions.parsing.references import reference_slug

if TYPE_CHECKING:  # the settings' AUTH_USER_MODEL, for annotations only
    from django.contrib.auth.models import User

UPLOADS_DIR = "uploads"


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file once it passes IMPORT_MAX_FILE_BYTES, so an oversized
    upload is never written to disk whole; its name is kept for the report.

    First in FILE_UPLOAD_HANDLERS: it only counts, and passes each chunk on to Django's
    memory and temporary-file handlers.
    https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/#upload-handlers
    """

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_FILE_BYTES:
            rejected = self.request.__dict__.setdefault("oversized_uploads", [])
            rejected.append(self.file_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file object


def oversized_uploads(request: HttpRequest) -> list[str]:
    """Names of the files SizeLimitUploadHandler refused in this request."""
    return list(request.__dict__.get("oversized_uploads", []))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as the Django documentation shows:
    https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/#uploading-multiple-files
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accepted_types()}))
        # An empty file is refused by the form, by name, with the others kept: Django's
        # own check would refuse the whole upload without saying which file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def accepted_types() -> str:
    return ",".join(sorted(SUPPORTED_SUFFIXES))


class UploadForm(forms.Form):
    # The form's metaclass moves declared fields into base_fields, so this does not
    # shadow BaseForm.files (the bound upload data) at run time; django-stubs cannot
    # know that.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files",
        required=False,  # files refused for size never arrive; clean() says which
        help_text="Page text (.txt), saved pages (.html, .htm), scraper records (.jsonl, "
        ".json) or .zip archives of these, each also gzipped (.gz). Choose several files at "
        "once if you like: a file that cannot be a decision (empty, an image, another kind) "
        "is refused by name, and the others still import.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the files and show what would happen, without saving anything",
        required=False,
    )

    def __init__(self, *args: Any, oversized: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = list(oversized)
        # The files that cannot be decisions, as (name, reason): reported, not imported.
        self.refused: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        chosen = cleaned.get("files") or []
        count = len(chosen) + len(self.oversized)
        files = []
        for upload in chosen:
            reason = refusal(upload)
            if reason is None:
                files.append(upload)
            else:
                self.refused.append((upload.name or "", reason))
        cleaned["files"] = files
        if count > settings.IMPORT_MAX_FILES:
            raise forms.ValidationError(
                f"You chose {count} files; the limit is {settings.IMPORT_MAX_FILES} files "
                "per upload. Put them in a .zip, or upload them in parts."
            )
        if not count and "files" not in self.errors:
            self.add_error("files", "Choose at least one file.")
        return cleaned


@dataclass
class UploadReport:
    """What the admin shows of a run: counts, failures, notes and links."""

    run: ImportRun

    @property
    def changed(self) -> list[dict[str, str]]:
        return self.run.changed or []

    @property
    def notes(self) -> list[dict[str, str]]:
        return self.run.notes or []

    @property
    def more_changed(self) -> int:
        return self.run.created + self.run.updated - len(self.changed)

    @property
    def more_failures(self) -> int:
        return self.run.failed - len(self.run.failures)

    def links(self) -> list[dict[str, str]]:
        """Each created or updated decision with its admin and public addresses."""
        if self.run.dry_run:
            return self.changed  # nothing was saved: there is nothing to link to
        pks = dict(
            Decision.objects.filter(
                reference__in=[row["reference"] for row in self.changed]
            ).values_list("reference", "pk")
        )
        return [
            {
                **row,
                "admin_url": reverse("admin:decisions_decision_change", args=[pks[ref]]),
                "public_url": reverse("decisions:detail", args=[reference_slug(ref)]),
            }
            if (ref := row["reference"]) in pks
            else row
            for row in self.changed
        ]


def safe_names(names: Iterable[str]) -> list[str]:
    """File names safe to store and to show: no folders, no odd characters, no repeats."""
    seen: set[str] = set()
    safe = []
    for raw in names:
        name = valid_name(PurePosixPath(raw.replace("\\", "/")).name)[-150:] or "file"
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        seen.add(candidate)
        safe.append(candidate)
    return safe


def valid_name(name: str) -> str:
    """Django's safe file name, or "" where it can derive none (":", "..")."""
    try:
        return get_valid_filename(storable_text(name)[0])
    except SuspiciousFileOperation:
        return ""


def store_files(files: list[UploadedFile], folder: str) -> list[dict]:
    """Save the uploads under `folder` in the uploads' storage (settings.STORAGES
    "default": MEDIA_ROOT, or one every machine reaches); returns the run's `files`."""
    stored = []
    for upload, name in zip(files, safe_names(f.name or "" for f in files), strict=True):
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        # The storage may change the name (a file already there): keep the one it chose.
        key = default_storage.save(f"{folder}/{name}", upload)
        stored.append(
            {"name": name, "path": key, "size": upload.size, "sha256": digest.hexdigest()}
        )
    return stored


def stored_key(entry: dict) -> str | None:
    """The storage name of a run's `files` entry, only if it lies under uploads/."""
    key = str(entry.get("path", ""))
    parts = PurePosixPath(key).parts
    if len(parts) < 2 or parts[0] != UPLOADS_DIR or ".." in parts or "\\" in key:
        return None
    return key


def iter_run_files(entries: list[dict], storage: Storage | None = None) -> Iterator[Item]:
    """Records in a run's stored files, read through the storage API (so a worker on
    another machine reads the same files), all within one budget: the settings' limits,
    the same as the command's (decisions.importing.sources.ImportBudget)."""
    budget = ImportLimits.from_settings(settings).budget()
    storage = storage or default_storage

    def stored() -> Iterator[Item]:
        for entry in entries:
            key = stored_key(entry)
            if key is None:
                name = entry.get("name", "?")
                yield SourceFailure(name, "the stored file is outside the uploads")
                continue
            yield from iter_stored_file(storage, key, entry["name"], budget)

    yield from budget.timed(stored())


TOO_LARGE = "too large"  # a refused entry's reason, spelt out when reported


def refused_failures(entries: Iterable[dict]) -> Iterator[Item]:
    """A failure, by name and with its reason, for each file refused at upload."""
    for entry in entries:
        reason = str(entry.get("refused"))
        if reason == TOO_LARGE:
            reason = file_too_large_message(None, settings.IMPORT_MAX_FILE_BYTES)
        yield SourceFailure(str(entry.get("name", "?")), reason)


def queue_upload(
    files: list[UploadedFile],
    *,
    user: User,
    dry_run: bool,
    oversized: Iterable[str] = (),
    refused: Iterable[tuple[str, str]] = (),
) -> ImportRun:
    """Keep the files and queue their import as one run; a worker imports them.
    `oversized` and `refused` (name, reason) are files not kept: the run reports them."""
    oversized, refused = list(oversized), list(refused)
    names = [f.name or "" for f in files] + oversized + [name for name, _ in refused]
    run = ImportRun.objects.create(
        origin=ImportRun.Origin.ADMIN,
        started_by=user,
        dry_run=dry_run,
        sources=storable_json(names),
        status=ImportRun.Status.QUEUED,
    )
    # The files go under uploads/<run id>/; a refused file is kept as its name only.
    reasons = [TOO_LARGE] * len(oversized) + [reason for _, reason in refused]
    not_kept = safe_names([*oversized, *(name for name, _ in refused)])
    run.files = store_files(files, f"{UPLOADS_DIR}/{run.pk}") + [
        {"name": name, "refused": reason} for name, reason in zip(not_kept, reasons, strict=True)
    ]
    run.save(update_fields=["files"])
    enqueue(run)
    return run


def queue_rerun(previous: ImportRun, *, user: User) -> ImportRun:
    """Queue a run's stored files again, as a new run that points back at it. A dry
    run's files are imported for real this way: no run queued here is a dry run."""
    run = ImportRun.objects.create(
        origin=ImportRun.Origin.ADMIN,
        started_by=user,
        sources=previous.sources,
        files=previous.files,
        rerun_of=previous,
        status=ImportRun.Status.QUEUED,
    )
    enqueue(run)
    return run


def can_import_for_real(run: ImportRun) -> bool:
    """Whether a dry run's files can be imported for real: it has run, and still has
    files (dry runs before files were kept for this deleted theirs)."""
    return run.dry_run and run.done and any(stored_key(entry) for entry in run.files or [])


def enqueue(run: ImportRun) -> None:
    import_queued_run.enqueue(run.pk)


# Work done off the web request, on the PostgreSQL task queue (django-tasks): a worker runs
# it, `manage.py db_worker` (started by `make run`; in production, one or more as their own
# service, README "Running in production"). The task sits beside what queues it, so the
# two never import each other.
@task()
def import_queued_run(run_id: int) -> None:
    """Import an admin upload (or re-run) that was stored and queued."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
    if run is None:
        return  # already imported (a task delivered twice), or the run was deleted
    import_queued(run)


def import_queued(run: ImportRun) -> ImportRun:
    """Import a queued run's stored files: what the worker's task does."""
    refused = [entry for entry in run.files if entry.get("refused")]
    stored = [entry for entry in run.files if not entry.get("refused")]

    def items() -> Iterator[Item]:
        yield from refused_failures(refused)
        yield from iter_run_files(stored)

    def source_of(result: RecordResult) -> str:
        return f"{UPLOADS_DIR}/{run.pk}/{result.source}"

    # A dry run saves no decision, but keeps its files like any upload: its page offers
    # to import them for real (queue_rerun), without uploading them again.
    run_import(items(), run=run, source_of=source_of)
    return run

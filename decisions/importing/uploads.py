"""The admin's "Upload decisions" door into the import pipeline.

A thin shell over `decisions.importing.pipeline.run_import`, like the management command, with
one difference: an upload is never imported inside the web request. The files are
kept as uploads/<run id>/ in the uploads' storage (MEDIA_ROOT, or a shared storage:
settings.STORAGES; never under static/, never served by URL),
the run is queued (decisions.tasks, on the PostgreSQL task queue) and a worker
(`manage.py db_worker`) imports it, while the run's admin page shows its progress.
Every run can be audited and re-run. Limits come from settings (IMPORT_*); a file
over a limit imports nothing and is reported by name with the limit, and the other
files of the upload still import. A dry run's files are deleted once it has run.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import get_valid_filename

from decisions.importing.pipeline import run_import
from decisions.importing.results import RecordResult
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


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The client address for django-axes behind one trusted proxy (BEHIND_PROXY=1):
    the last X-Forwarded-For entry is the one our proxy added; earlier ones are the
    client's to forge."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    return last or request.META.get("REMOTE_ADDR")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as the Django documentation shows:
    https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/#uploading-multiple-files
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accepted_types()}))
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
        "once if you like.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the files and show what would happen, without saving anything",
        required=False,
    )

    def __init__(self, *args: Any, oversized: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = list(oversized)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        files = cleaned.get("files") or []
        count = len(files) + len(self.oversized)
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


def delete_stored(entries: list[dict]) -> None:
    """Delete a run's stored files (a dry run's, once it has run), and their folder
    when the storage is the local one."""
    for entry in entries:
        if key := stored_key(entry):
            default_storage.delete(key)
    folders = {PurePosixPath(key).parent for entry in entries if (key := stored_key(entry))}
    if isinstance(default_storage, FileSystemStorage):
        for folder in folders:
            with contextlib.suppress(OSError):  # not empty, or already gone
                Path(default_storage.path(str(folder))).rmdir()


def too_large(names: Iterable[str]) -> Iterator[Item]:
    for name in safe_names(names):
        yield SourceFailure(name, file_too_large_message(None, settings.IMPORT_MAX_FILE_BYTES))


def queue_upload(
    files: list[UploadedFile], *, user: User, dry_run: bool, oversized: Iterable[str] = ()
) -> ImportRun:
    """Keep the files and queue their import as one run; a worker imports them."""
    oversized = list(oversized)
    run = ImportRun.objects.create(
        origin=ImportRun.Origin.ADMIN,
        started_by=user,
        dry_run=dry_run,
        sources=storable_json([f.name or "" for f in files] + oversized),
        status=ImportRun.Status.QUEUED,
    )
    # The files go under uploads/<run id>/; a refused file is kept as its name only.
    run.files = store_files(files, f"{UPLOADS_DIR}/{run.pk}") + [
        {"name": name, "refused": "too large"} for name in safe_names(oversized)
    ]
    run.save(update_fields=["files"])
    enqueue(run)
    return run


def queue_rerun(previous: ImportRun, *, user: User) -> ImportRun:
    """Queue a run's stored files again, as a new run that points back at it."""
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


def enqueue(run: ImportRun) -> None:
    from decisions.tasks import import_queued_run  # the task module imports this one

    import_queued_run.enqueue(run.pk)


def import_queued(run: ImportRun) -> ImportRun:
    """Import a queued run's stored files: what the worker's task does."""
    refused = [entry["name"] for entry in run.files if entry.get("refused")]
    stored = [entry for entry in run.files if not entry.get("refused")]

    def items() -> Iterator[Item]:
        yield from too_large(refused)
        yield from iter_run_files(stored)

    def source_of(result: RecordResult) -> str:
        return f"{UPLOADS_DIR}/{run.pk}/{result.source}"

    try:
        run_import(items(), run=run, source_of=source_of)
    finally:
        if run.dry_run:
            # A dry run keeps nothing: its files lived only for the length of the run.
            delete_stored(stored)
            ImportRun.objects.filter(pk=run.pk).update(files=[])
    return run

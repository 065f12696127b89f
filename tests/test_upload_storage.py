"""Uploads live in the configured storage (settings.STORAGES "default"), not in a local
folder the worker must share: kept, imported, downloaded and deleted through Django's
storage API. Here the storage is Django's in-memory one, which has no path at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.test import Client

from decisions.importing.sources import SourceFailure
from decisions.importing.uploads import iter_run_files
from decisions.models import Decision, ImportRun
from tests.test_admin_upload import SEED_CLOSED, SEED_UPHELD, post, upload


@pytest.fixture(autouse=True)
def storage_without_paths(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def client(transactional_db) -> Client:
    # Committed, as in tests/test_admin_upload.py: the worker manages its own connection.
    user = User.objects.create_superuser("storage-admin", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


def test_an_upload_is_kept_and_imported_through_the_storage(client, storage_without_paths):
    response = post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (1, 0)
    key = run.files[0]["path"]
    assert key == f"uploads/{run.pk}/upheld.txt"
    with default_storage.open(key, "rb") as stored:
        assert stored.read() == SEED_UPHELD.read_bytes()
    assert not storage_without_paths.exists()  # nothing written to the local folder
    assert Decision.objects.filter(reference="19 011 560").exists()

    download = client.get(f"/admin/decisions/importrun/{run.pk}/files/0/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == SEED_UPHELD.read_bytes()


def test_a_file_gone_from_the_storage_fails_by_name_and_the_rest_import(client):
    post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    first = ImportRun.objects.get()
    default_storage.delete(first.files[0]["path"])

    items = list(iter_run_files(first.files))
    assert [(item.source, item.error) for item in items if isinstance(item, SourceFailure)] == [
        ("upheld.txt", "the stored file is missing")
    ]


def test_a_dry_run_keeps_its_files_in_the_storage_for_the_real_run(client):
    post(client, upload("closed.txt", SEED_CLOSED.read_bytes()), dry_run=True)
    run = ImportRun.objects.get()
    assert [entry["name"] for entry in run.files] == ["closed.txt"]
    assert default_storage.listdir(f"uploads/{run.pk}") == ([], ["closed.txt"])

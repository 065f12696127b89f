"""The admin's "Upload decisions" page: one pipeline with the command, kept files,
limits, dry runs, reports and re-runs."""

from __future__ import annotations

import html
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, ImportRun
from tests.conftest import FIXTURES
from tests.support.helpers import zipped

SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # 19 011 560
SEED_CLOSED = FIXTURES / "seeds" / "001_4607d231c94eb0e8.txt"  # 25 010 721
UPLOAD_URL = "/admin/decisions/importrun/upload/"


# Every test's uploads in its own folder (tests/conftest.py), and committed, not in a
# test transaction: the worker, as in production, manages its own connection and would
# close one left inside a transaction.
pytestmark = [pytest.mark.usefixtures("media_root"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def client(uploader: User) -> Client:
    client = Client()
    client.force_login(uploader)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def run_worker() -> None:
    """What `manage.py db_worker` does in production: run every queued task, here."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def post(client: Client, *files: SimpleUploadedFile, dry_run: bool = False):
    """Upload, let the worker import the queued run, and open the run's page."""
    data = {"files": list(files)}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(UPLOAD_URL, data)
    if response.status_code != 302:
        return response  # the form refused the upload
    run_worker()
    return client.get(response["Location"])


def test_the_upload_page_is_linked_from_the_admin_index_and_the_runs_list(client):
    assert UPLOAD_URL.encode() in client.get("/admin/").content
    assert UPLOAD_URL.encode() in client.get("/admin/decisions/importrun/").content


def test_an_upload_imports_through_the_pipeline_and_records_the_run(client, uploader, media_root):
    response = post(
        client,
        upload("upheld.txt", SEED_UPHELD.read_bytes()),
        upload("closed.txt", SEED_CLOSED.read_bytes()),
    )
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.origin == ImportRun.Origin.ADMIN
    assert run.started_by == uploader
    assert (run.created, run.updated, run.unchanged, run.failed) == (2, 0, 0, 0)
    assert run.sources == ["upheld.txt", "closed.txt"]
    assert [entry["name"] for entry in run.files] == ["upheld.txt", "closed.txt"]
    assert run.files[0]["path"] == f"uploads/{run.pk}/upheld.txt"
    assert (media_root / "uploads" / str(run.pk) / "upheld.txt").read_bytes() == (
        SEED_UPHELD.read_bytes()
    )
    decision = Decision.objects.get(reference="19 011 560")
    assert decision.source == f"uploads/{run.pk}/upheld.txt"
    page = response.content.decode()
    assert '<strong data-count="created">2</strong> created' in page
    assert "Status: <strong data-status>Finished</strong>" in page
    assert reverse("admin:decisions_decision_change", args=[decision.pk]) in page
    assert "/decisions/19-011-560/" in page


def test_every_format_the_command_accepts_is_accepted(client):
    line = json.dumps({"text": SEED_CLOSED.read_text(encoding="utf-8")})
    post(
        client,
        upload("a.jsonl", line.encode() + b"\n"),
        upload("b.json", f"[{line}]".encode()),
        upload("c.htm", (FIXTURES / "html" / "seed_000.html").read_bytes()),
        upload("d.zip", zipped({"inner/e.txt": SEED_UPHELD.read_bytes()})),
    )
    run = ImportRun.objects.get()
    assert run.failed == 0, run.failures
    assert run.created + run.updated + run.unchanged == 4
    assert Decision.objects.count() == 2


def test_a_zip_with_one_bad_file_imports_the_rest_and_reports_the_bad_one(client):
    archive = zipped(
        {
            "good/upheld.txt": SEED_UPHELD.read_bytes(),
            "good/closed.txt": SEED_CLOSED.read_bytes(),
            "bad/notes.txt": b"Shopping list: milk, eggs",
        }
    )
    response = post(client, upload("batch.zip", archive))
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (2, 1)
    assert run.failures[0]["source"] == "batch.zip!bad/notes.txt"
    assert "batch.zip!bad/notes.txt" in response.content.decode()
    assert Decision.objects.count() == 2


def test_a_dry_run_writes_nothing_but_its_report(client, media_root):
    response = post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()), dry_run=True)
    run = ImportRun.objects.get()
    assert run.dry_run and run.status == ImportRun.Status.FINISHED
    assert Decision.objects.count() == 0
    page = response.content.decode()
    assert "Dry run: nothing is saved" in page
    assert '<strong data-count="created">1</strong> created' in page


def test_a_dry_run_offers_to_import_its_files_for_real_without_uploading_them_again(
    client, media_root
):
    response = post(
        client,
        upload("upheld.txt", SEED_UPHELD.read_bytes()),
        upload("closed.txt", SEED_CLOSED.read_bytes()),
        dry_run=True,
    )
    dry_run = ImportRun.objects.get()
    # The dry run keeps its files, for the real run to read.
    assert (media_root / "uploads" / str(dry_run.pk) / "upheld.txt").exists()
    for_real = f"/admin/decisions/importrun/{dry_run.pk}/import-for-real/"
    page = response.content.decode()
    assert f'action="{for_real}"' in page
    assert "Import these files for real" in page

    response = client.post(for_real)
    assert response.status_code == 302
    run = ImportRun.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == f"/admin/decisions/importrun/{run.pk}/change/"
    assert not run.dry_run and run.rerun_of == dry_run and run.files == dry_run.files
    run_worker()
    run.refresh_from_db()
    assert (run.created, run.failed) == (2, 0)
    assert set(Decision.objects.values_list("reference", flat=True)) == {
        "19 011 560",
        "25 010 721",
    }
    # A real run's page offers no such button.
    assert "Import these files for real" not in client.get(response["Location"]).content.decode()


def test_import_for_real_needs_a_post_and_a_dry_run(client):
    post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    real = ImportRun.objects.get()
    for_real = f"/admin/decisions/importrun/{real.pk}/import-for-real/"
    assert client.post(for_real).status_code == 302
    assert client.get(for_real).status_code == 302
    assert ImportRun.objects.count() == 1


def test_an_empty_file_among_several_is_named_and_the_others_import(client):
    response = post(
        client,
        upload("upheld.txt", SEED_UPHELD.read_bytes()),
        upload("empty.txt", b""),
        upload("closed.txt", SEED_CLOSED.read_bytes()),
    )
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (2, 1)
    assert run.failures == [{"source": "empty.txt", "error": "the file is empty"}]
    page = response.content.decode()
    assert "<strong>empty.txt</strong>: the file is empty" in page
    assert "The submitted file is empty." not in page
    assert Decision.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported file type '.png'"),
        ("data.bin", b"\x00\x01\x02 raw bytes", "unsupported file type '.bin'"),
        ("noextension", b"Norfolk County Council (19 011 560)", "unsupported file type '(none)'"),
        ("scan.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "this is a PNG image"),
        ("letter.html", b"%PDF-1.7\n", "this is a PDF document"),
        ("page.txt", b"Decision\x00\x00\x01\x02", "this is binary data, not text"),
        ("batch.zip", b"Norfolk County Council", "the name ends in .zip but this is text"),
        ("page.txt.gz", b"Norfolk County Council", "the name ends in .gz but this is text"),
    ],
)
def test_what_cannot_be_a_decision_is_refused_at_upload_by_name_with_the_reason(
    client, media_root, name, content, reason
):
    response = client.post(
        UPLOAD_URL,
        {"files": [upload("upheld.txt", SEED_UPHELD.read_bytes()), upload(name, content)]},
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    # Refused before the worker: named in the upload's message, and never stored.
    message = html.unescape(client.get(response["Location"]).content.decode())
    assert f"Not imported: {name} ({reason}" in message
    assert [(entry["name"], "path" in entry) for entry in run.files] == [
        ("upheld.txt", True),
        (name, False),
    ]
    run_worker()
    run.refresh_from_db()
    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["source"] == name and reason in run.failures[0]["error"]


def test_a_run_in_which_every_file_failed_says_failed(client):
    response = post(client, upload("notes.txt", b"Shopping list: milk, eggs"))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FINISHED and run.failed == 1
    assert "Status: <strong data-status>Failed</strong>" in response.content.decode()
    progress = client.get(f"/admin/decisions/importrun/{run.pk}/progress/").json()
    assert progress["status_display"] == "Failed"
    assert ">Failed<" in client.get("/admin/decisions/importrun/").content.decode()


def test_a_run_in_which_some_files_failed_says_how_many(client):
    response = post(
        client,
        upload("upheld.txt", SEED_UPHELD.read_bytes()),
        upload("notes.txt", b"Shopping list: milk, eggs"),
        upload("more-notes.txt", b"Remember the bread"),
    )
    page = response.content.decode()
    assert "Status: <strong data-status>Finished with 2 failures</strong>" in page


def test_a_file_over_the_size_limit_is_refused_by_name_and_the_others_import(client, settings):
    settings.IMPORT_MAX_FILE_BYTES = SEED_UPHELD.stat().st_size + 10
    big = SEED_CLOSED.read_bytes() + b"\n" * (settings.IMPORT_MAX_FILE_BYTES + 100_000)
    response = post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()), upload("huge.txt", big))
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["source"] == "huge.txt"
    assert (
        f"the limit for one file is {settings.IMPORT_MAX_FILE_BYTES:,} bytes"
        in (run.failures[0]["error"])
    )
    # Never stored whole: the refused file is kept as its name only.
    assert [(entry["name"], "path" in entry) for entry in run.files] == [
        ("upheld.txt", True),
        ("huge.txt", False),
    ]
    assert "huge.txt" in response.content.decode()


def test_too_many_files_are_refused_with_the_limit_and_nothing_imports(client, settings):
    settings.IMPORT_MAX_FILES = 2
    files = [upload(f"{n}.txt", SEED_UPHELD.read_bytes()) for n in range(3)]
    response = post(client, *files)
    assert "You chose 3 files; the limit is 2 files per upload" in response.content.decode()
    assert ImportRun.objects.count() == 0 and Decision.objects.count() == 0


def test_a_zip_unpacking_past_the_total_size_limit_imports_nothing_from_it(client, settings):
    settings.IMPORT_ZIP_MAX_TOTAL_BYTES = 1000
    archive = zipped({"upheld.txt": SEED_UPHELD.read_bytes()})
    post(client, upload("big.zip", archive), upload("closed.txt", SEED_CLOSED.read_bytes()))
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["source"] == "big.zip"
    assert "the limit is 1,000" in run.failures[0]["error"]
    assert list(Decision.objects.values_list("reference", flat=True)) == ["25 010 721"]


def test_a_zip_with_too_many_entries_imports_nothing_from_it(client, settings):
    settings.IMPORT_ZIP_MAX_ENTRIES = 1
    archive = zipped({"a.txt": SEED_UPHELD.read_bytes(), "b.txt": SEED_CLOSED.read_bytes()})
    post(client, upload("many.zip", archive))
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (0, 1)
    assert run.failures[0] == {"source": "many.zip", "error": "zip has 2 files; the limit is 1"}


def test_a_zip_nested_too_deep_is_refused_and_its_siblings_import(client):
    # One level of nesting is read (closed.txt, in a zip in the zip); the next is refused.
    innermost = zipped({"upheld.txt": SEED_UPHELD.read_bytes()})
    middle = zipped({"deeper.zip": innermost, "closed.txt": SEED_CLOSED.read_bytes()})
    outer = zipped({"middle.zip": middle})
    post(client, upload("outer.zip", outer))
    run = ImportRun.objects.get()
    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["source"] == "outer.zip!middle.zip!deeper.zip"
    assert "nested more than 1 deep" in run.failures[0]["error"]
    assert list(Decision.objects.values_list("reference", flat=True)) == ["25 010 721"]


def test_an_unsafe_file_name_is_stored_under_a_safe_one(client, media_root):
    post(client, upload("../../etc/pass wd.txt", SEED_UPHELD.read_bytes()))
    run = ImportRun.objects.get()
    assert run.files[0]["name"] == "pass_wd.txt"
    assert (media_root / "uploads" / str(run.pk) / "pass_wd.txt").is_file()


def test_a_stored_file_downloads_as_an_attachment_never_as_a_page(client):
    script_page = b"<html><body><script>alert(1)</script></body></html>"
    post(client, upload("evil.html", script_page))
    run = ImportRun.objects.get()
    response = client.get(reverse("admin:decisions_importrun_file", args=[run.pk, 0]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == script_page
    assert client.get(reverse("admin:decisions_importrun_file", args=[run.pk, 1])).status_code == (
        404
    )


def test_the_run_page_lists_the_stored_files_and_offers_a_re_run(client):
    post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    run = ImportRun.objects.get()
    page = client.get(reverse("admin:decisions_importrun_change", args=[run.pk])).content.decode()
    assert reverse("admin:decisions_importrun_file", args=[run.pk, 0]) in page
    assert "Re-run this import" in page


def test_re_running_an_import_reads_the_stored_files_as_a_new_run(client, uploader):
    post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    first = ImportRun.objects.get()
    Decision.objects.all().delete()
    response = client.post(
        "/admin/decisions/importrun/",
        {"action": "rerun_imports", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert second.status == ImportRun.Status.QUEUED
    assert f"as import {second.pk}" in response.content.decode()
    run_worker()
    second.refresh_from_db()
    assert second.rerun_of == first
    assert second.started_by == uploader
    assert second.files == first.files
    assert (second.created, second.failed) == (1, 0)
    assert Decision.objects.filter(reference="19 011 560").exists()


def test_an_upload_is_queued_not_imported_in_the_request(client):
    response = client.post(UPLOAD_URL, {"files": [upload("upheld.txt", SEED_UPHELD.read_bytes())]})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:decisions_importrun_change", args=[run.pk])
    assert run.status == ImportRun.Status.QUEUED
    assert Decision.objects.count() == 0  # nothing imported until a worker runs it
    page = client.get(response["Location"]).content.decode()
    assert "Status: <strong data-status>Queued</strong>" in page
    assert "waiting for a worker" in page
    progress = client.get(reverse("admin:decisions_importrun_progress", args=[run.pk])).json()
    assert progress["status"] == "queued" and progress["done"] is False

    run_worker()
    progress = client.get(reverse("admin:decisions_importrun_progress", args=[run.pk])).json()
    assert progress["done"] is True
    assert (progress["created"], progress["failed"], progress["processed"]) == (1, 0, 1)


def test_a_queued_task_delivered_twice_imports_once(client):
    post(client, upload("upheld.txt", SEED_UPHELD.read_bytes()))
    run = ImportRun.objects.get()
    from decisions.importing.uploads import import_queued_run

    import_queued_run.call(run.pk)  # a second delivery of the same task
    run.refresh_from_db()
    assert (run.created, run.unchanged) == (1, 0)

"""An administrator signs in, uploads a file through the real admin form and reads the
report, in a real Chromium, while a real worker process imports the queued run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from decisions.models import Decision, ImportRun
from tests.browser.axe import check_accessibility
from tests.conftest import FIXTURES, ROOT, STAFF_PASSWORD, child_process_env

pytestmark = pytest.mark.browser

SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # 19 011 560
PASSWORD = STAFF_PASSWORD  # the conftest's `uploader` signs in with it


@pytest.fixture
def uploading_editor(uploader):
    """The conftest's uploader, who may also correct decisions: the report's link to a
    decision opens its change page."""
    for codename in ("view_decision", "change_decision"):
        uploader.user_permissions.add(Permission.objects.get(codename=codename))
    return uploader


@pytest.fixture
def worker(uploader, media_root) -> Iterator[subprocess.Popen]:
    """`manage.py db_worker`, as `make run` starts it, on the test database."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        # The worker reads the stored files where this test's uploads keep them.
        env=child_process_env() | {"MEDIA_ROOT": str(media_root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=10)


def sign_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill("uploader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_an_administrator_uploads_a_file_and_reads_the_report(
    page: Page, live_server, uploading_editor, worker, tmp_path
):
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Upload decisions").click()
    expect(page.get_by_role("heading", name="Upload decisions", level=1)).to_be_visible()
    assert check_accessibility(page) == []

    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list: milk, eggs", encoding="utf-8")
    # Neither an image nor an empty file stops the others: each is refused by name.
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page.get_by_label("Files:", exact=True).set_input_files([SEED_UPHELD, bad, image, empty])
    page.get_by_label("Dry run").check()
    page.get_by_role("button", name="Upload and import").click()
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("Not imported: scan.png (unsupported file type '.png'")
    expect(messages).to_contain_text("Not imported: empty.txt (the file is empty)")

    # The run's page: queued, then (the worker imports it, the page follows) finished,
    # saying that files failed.
    report = page.locator("#upload-report")
    expect(report.get_by_role("heading", level=2)).to_have_text("Dry run: nothing is saved")
    expect(report.locator("[data-status]")).to_have_text("Finished with 3 failures", timeout=20_000)
    expect(report.locator(".report-counts")).to_contain_text(
        "1 created, 0 updated, 0 unchanged, 3 failed"
    )
    expect(report.locator(".report-failures")).to_contain_text("empty.txt: the file is empty")
    assert Decision.objects.count() == 0
    assert check_accessibility(page) == []

    # The same files, for real, without choosing them again.
    page.get_by_role("button", name="Import these files for real").click()
    run = ImportRun.objects.get(dry_run=False)
    expect(report.get_by_role("heading", level=2)).to_have_text(f"Import {run.pk}")
    expect(report.locator("[data-status]")).to_have_text("Finished with 3 failures", timeout=20_000)
    expect(report.locator(".report-counts")).to_contain_text(
        "1 created, 0 updated, 0 unchanged, 3 failed"
    )
    expect(page.get_by_role("button", name="Import these files for real")).to_have_count(0)
    expect(report.locator(".report-failures")).to_contain_text("notes.txt: no LGSCO reference")
    assert check_accessibility(page) == []

    report.get_by_role("link", name="19 011 560").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change decision")
    expect(page.locator(".field-reference")).to_contain_text("19 011 560")
    assert run.started_by == uploading_editor

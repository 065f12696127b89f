"""`make backup` / `make restore` (config/backups.py): an archive backed up, lost and
restored is the same archive: the same counts, search results, captures and uploads."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from decisions.models import Capture, Decision, ImportRun
from decisions.search.query import DecisionSearch
from tests.conftest import import_samples

SEARCHES = ["q=council+tax", "q=care+home&sort=relevance", "category=housing", ""]
UPLOAD = "uploads/7/upheld.txt"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def what_the_archive_holds() -> dict:
    from django.http import QueryDict

    searches = {}
    for query in SEARCHES:
        search = DecisionSearch.from_params(QueryDict(query))
        searches[query] = (
            str(search.total),
            [(row.decision.reference, str(row.snippet)) for row in search.page().rows],
        )
    return {
        "decisions": Decision.objects.count(),
        "published": Decision.objects.published().count(),
        "runs": ImportRun.objects.count(),
        "searches": searches,
        "captures": sorted(
            Capture.objects.values_list("decision__reference", "source", "sha256", "raw")
        ),
    }


# transaction=True: pg_dump and pg_restore are other processes, which see committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_restored_archive_is_the_archive_that_was_backed_up(tmp_path: Path):
    import_samples()
    default_storage.save(UPLOAD, ContentFile(b"An uploaded page."))
    before = what_the_archive_holds()
    assert before["decisions"] == 56 and len(before["captures"]) == 56

    out = io.StringIO()
    call_command("backup_archive", str(tmp_path / "backups"), stdout=out)
    (backup,) = (tmp_path / "backups").glob("archive-*.tar")
    assert "56 decisions, 56 captures, 1 uploaded files" in out.getvalue()

    # Lost: every row and the upload.
    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(UPLOAD)
    assert Decision.objects.count() == 0 and not default_storage.exists(UPLOAD)

    call_command("restore_archive", str(backup), "--no-input", stdout=io.StringIO())
    assert what_the_archive_holds() == before
    with default_storage.open(UPLOAD, "rb") as restored:
        assert restored.read() == b"An uploaded page."


def test_a_file_that_is_not_a_backup_is_refused_by_name(tmp_path: Path):
    not_a_backup = tmp_path / "photo.tar"
    with tarfile.open(not_a_backup, "w") as tar:
        tar.add(__file__, "tests.py")
    with pytest.raises(CommandError, match="photo.tar is not an archive backup"):
        call_command("restore_archive", str(not_a_backup), "--no-input")
    with pytest.raises(CommandError, match="missing.tar: no such file"):
        call_command("restore_archive", str(tmp_path / "missing.tar"), "--no-input")

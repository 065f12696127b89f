"""`make backup` / `make restore` (decisions/backups.py): an archive backed up, lost and
restored is the same archive: the same counts, search results, captures and uploads; on
the embedded server (PostgreSQL 18) and on Debian's PostgreSQL 15, the oldest supported."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from decisions.backups import without_unknown_settings
from decisions.models import Capture, Decision, ImportRun
from decisions.search.query import DecisionSearch
from tests.conftest import ROOT, import_samples
from tests.support.older_postgres import OlderServer, debian_binaries

SEARCHES = ["q=council+tax", "q=care+home&sort=relevance", "category=housing", ""]
UPLOAD = "uploads/7/upheld.txt"


# Every test's uploads in its own folder (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("media_root")


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


def test_settings_the_server_does_not_know_are_left_out_but_never_rows():
    sql = [
        b"SET statement_timeout = 0;\n",
        b"SET transaction_timeout = 0;\n",
        b"SET myapp.custom = 'kept';\n",
        b"COPY public.notes (id, text) FROM stdin;\n",
        b"1\tSET transaction_timeout = 0;\n",
        b"SET transaction_timeout = 0;\n",  # a row's whole text, as COPY gives it
        b"\\.\n",
        b"SET transaction_timeout = 0;\n",
        b"SELECT 1;\n",
    ]
    known = frozenset({"statement_timeout"})
    assert list(without_unknown_settings(sql, known)) == [
        b"SET statement_timeout = 0;\n",
        b"SET myapp.custom = 'kept';\n",
        b"COPY public.notes (id, text) FROM stdin;\n",
        b"1\tSET transaction_timeout = 0;\n",
        b"SET transaction_timeout = 0;\n",
        b"\\.\n",
        b"SELECT 1;\n",
    ]


@pytest.fixture(scope="module")
def postgresql_15():
    if not (debian_binaries(15) / "initdb").exists():
        pytest.skip("Debian's postgresql-15 is not installed (.ci/run installs it)")
    server = OlderServer(15, port=5415)
    yield server
    server.close()


def test_an_archive_on_postgresql_15_is_backed_up_and_restored(postgresql_15, tmp_path: Path):
    # pg_restore 18 starts its SQL with "SET transaction_timeout = 0", which PostgreSQL
    # 15 refused: the restore failed, and changed nothing.
    postgresql_15.execute("CREATE DATABASE archive")
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": postgresql_15.url("archive"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def held() -> tuple | None:
        return postgresql_15.execute(
            "SELECT (SELECT count(*) FROM decisions_decision),"
            " (SELECT count(*) FROM decisions_capture),"
            " (SELECT string_agg(reference, ',' ORDER BY reference) FROM decisions_decision)",
            "archive",
        )

    manage("migrate", "--no-input", "-v0")
    manage("import_decisions", str(ROOT / "samples"))
    before = held()
    assert before is not None and before[:2] == (56, 56)
    manage("backup_archive", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").glob("archive-*.tar")
    manage("flush", "--no-input")
    assert held() == (0, 0, None)

    assert "Restored 56 decisions" in manage("restore_archive", "--no-input", str(backup))
    assert held() == before

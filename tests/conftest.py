"""Shared fixtures. Every test that touches data runs against a real PostgreSQL:
the embedded server (or DATABASE_URL's), with a test database pytest-django creates."""

import contextlib
import os
from pathlib import Path

import pytest

# The harvester's replay site and its options (tests/support/harvest_fixtures.py); the SMTP
# server of the alerts' tests (tests/support/smtp_server.py).
pytest_plugins = ["tests.support.harvest_fixtures", "tests.support.smtp_server"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "samples"


def import_samples():
    """The bundled sample decisions (56 real pages), imported through the real pipeline."""
    from decisions.importing.pipeline import run_import
    from decisions.importing.sources import iter_sources

    run = run_import(iter_sources([SAMPLES]))
    assert run.failed == 0, run.failures
    return run


@pytest.fixture(scope="session")
def imported_sample_rows(django_db_setup, django_db_blocker):
    """The rows the real import of the samples writes, and its run's id: imported once
    per session in a transaction that is rolled back, so the database stays empty."""
    from django.db import transaction

    from tests.support.table_snapshot import DERIVED_TABLES, IMPORT_TABLES, copy_out, row_counts

    class RollBack(Exception):
        pass

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                before = row_counts()
                run = import_samples()
                after = row_counts()
                written = {t for t in after if after[t] != before[t]} - set(DERIVED_TABLES)
                # A table the import starts writing must be copied too, or tests would
                # see only part of an import.
                assert written <= set(IMPORT_TABLES), written - set(IMPORT_TABLES)
                rows = copy_out()
                raise RollBack
        except RollBack:
            pass
    return rows, run.pk


@pytest.fixture
def sample_decisions(db, imported_sample_rows):
    """The bundled sample decisions (56 real pages) as the real pipeline imports them:
    the rows of one import per session, copied into this test's database. Returns the
    import's run. Tests of the import itself (its logs, its queries) use `imported_samples`.
    """
    from decisions.models import ImportRun
    from tests.support.table_snapshot import copy_in

    rows, run_pk = imported_sample_rows
    copy_in(rows)
    return ImportRun.objects.get(pk=run_pk)


@pytest.fixture
def imported_samples(db):
    """The bundled sample decisions, imported through the real pipeline in this test."""
    return import_samples()


# The password of the staff users the tests sign in as (the admin's tests, in a browser too).
STAFF_PASSWORD = "a-long-test-password"


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads kept in this test's own folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uploader(db):
    """A staff user with only the permissions to upload decisions and read the runs (so
    the upload tests show that these are enough). Signs in with STAFF_PASSWORD."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("uploader", password=STAFF_PASSWORD, is_staff=True)
    for codename in ("import_decisions", "view_importrun"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def editor(db):
    """The test client signed in as a superuser: the admin as an editor corrects in it."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.create_superuser("editor", password=STAFF_PASSWORD))
    return client


def database_url() -> str:
    """DATABASE_URL for the database this test uses (the socket folder goes in `host`)."""
    from django.db import connection

    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@localhost:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}?host={settings['HOST']}"
    )


def child_process_env() -> dict[str, str]:
    """Environment for a `manage.py` child process that uses this test's database."""
    from django.conf import settings

    return os.environ | {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only-secret-key",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The test's own search index, never the project's (.search-index/).
        "SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
    }


@pytest.fixture(autouse=True)
def search_index(tmp_path, settings):
    """Each test has its own search index, in its tmp_path. The test settings bring it
    up to date before each search (SEARCH_INDEX_CATCH_UP_ON_READ): the test's writes are
    in a transaction no writer process would see. Returns the index's folder."""
    from decisions.search.engine import OPENED

    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    OPENED.forget()
    yield settings.SEARCH_INDEX_DIR
    OPENED.forget()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached whole-archive figures. The archive's generation
    already changes with every write; this keeps a test from depending on that alone
    (tests/test_whole_archive.py tests the generation itself)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def download_slots_released(django_db_blocker):
    """Django's test client closes a streamed response only once it is read to the end
    (a WSGI server always closes it): a test that reads only a download's status leaves
    its slot (decisions.limits.take_slot, a session advisory lock) on the test's
    connection, where the tests after it would find it taken. Released after each test."""
    yield
    from django.db import DatabaseError, connections

    from decisions.limits import CLIENT_SLOT_SPACE, TOTAL_SLOT_SPACE

    connection = connections["default"]
    if connection.connection is None:
        return
    # A connection that is gone took its locks with it.
    with (
        django_db_blocker.unblock(),
        contextlib.suppress(DatabaseError),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT pg_advisory_unlock(classid::int, objid::bigint::bit(32)::int) "
            "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 "
            "AND pid = pg_backend_pid() AND classid::int IN (%s, %s)",
            [CLIENT_SLOT_SPACE, TOTAL_SLOT_SPACE],
        )

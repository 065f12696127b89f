"""Shared fixtures. Every test that touches data runs against a real PostgreSQL:
the embedded server (or DATABASE_URL's), with a test database pytest-django creates."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "samples"


@pytest.fixture
def sample_decisions(db):
    """The bundled sample decisions (56 real pages), imported through the real pipeline."""
    from decisions.importing.pipeline import run_import
    from decisions.importing.sources import iter_sources

    run = run_import(iter_sources([SAMPLES]))
    assert run.failed == 0, run.failures
    return run


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
    return os.environ | {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "test-only-secret-key",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached whole-archive figures. The archive's generation
    already changes with every write; this keeps a test from depending on that alone
    (tests/test_whole_archive.py tests the generation itself)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

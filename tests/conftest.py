"""Shared fixtures. Every test that touches data runs against a real PostgreSQL:
the embedded server (or DATABASE_URL's), with a test database pytest-django creates."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "samples"


@pytest.fixture
def sample_decisions(db):
    """The bundled sample decisions (56 real pages), imported through the real pipeline."""
    from decisions.importing import run_import
    from decisions.sources import iter_sources

    run = run_import(iter_sources([SAMPLES]))
    assert run.failed == 0, run.failures
    return run

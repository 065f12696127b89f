"""The soak benchmark, run for seconds against this test's database.

Timings belong in bench/, not here: this only checks that the soak starts gunicorn from
the repository's gunicorn.conf.py, that every kind of request of its mix is answered
over HTTP, that it reports each interval with the workers' memory, and stops."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.django_db(transaction=True)
def test_the_soak_serves_its_whole_mix_and_reports_each_interval(sample_decisions):
    from django.db import connection

    command = [sys.executable, "-m", "bench.soak_bench", "--json"]
    command += ["--database", connection.settings_dict["NAME"], "--clients", "3"]
    command += ["--minutes", "0.1", "--report-seconds", "2", "--workers", "1", "--threads", "2"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert finished.returncode in (0, 1), finished.stderr
    result = json.loads(finished.stdout)
    assert result["errors"] == 0, result["first_failure"]
    assert set(result["by_kind"]) == {"page", "search", "api", "download"}
    assert len(result["intervals"]) == 3
    assert all(len(line["worker_memory_mb"]) == 1 for line in result["intervals"])
    assert all(line["requests"] > 0 for line in result["intervals"])
    assert "WEB_WORKERS=1" in result["gunicorn"]


def test_the_soak_refuses_a_missing_database():
    command = [sys.executable, "-m", "bench.soak_bench", "--database", "no_such_database_here"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert finished.returncode != 0
    assert "no_such_database_here" in finished.stderr

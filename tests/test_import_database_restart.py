"""PostgreSQL restarted during an import: the batch it was writing fails clearly, the
batches before it stay, and running the same import again completes it. A real
`manage.py import_decisions` process against an embedded server of this test's own."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg

from decisions.importing.pipeline import parse_record
from decisions.importing.sources import iter_sources
from decisions.importing.writing import REFERENCE_LOCK_SPACE
from tests.conftest import ROOT, SAMPLES
from tests.support.fault_server import FaultServer, database, fault_database

__all__ = ["database", "fault_database"]  # fixtures, used by being imported


def import_command() -> list[str]:
    return [sys.executable, "manage.py", "import_decisions", str(SAMPLES), "--batch-size", "10"]


def command_env(server: FaultServer) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": server.url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "fault-test-" + "k" * 60,
    }


def connect(server: FaultServer) -> psycopg.Connection:
    return psycopg.connect(
        host=server.host, port=server.port, user="postgres", dbname="postgres", autocommit=True
    )


def test_a_restart_during_an_import_fails_the_batch_clearly_and_a_rerun_completes_it(
    database: FaultServer,
):
    third_batch = parse_record(list(iter_sources([SAMPLES]))[20]).parsed.reference
    holder = connect(database)
    # The import waits on this lock inside its third batch: the restart comes then.
    holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [REFERENCE_LOCK_SPACE, third_batch])
    importer = subprocess.Popen(
        import_command(),
        cwd=ROOT,
        env=command_env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            waiting = holder.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
            if waiting[0]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the import never reached its third batch")
        database.stop()
        _, stderr = importer.communicate(timeout=60)
    finally:
        importer.kill()
    assert importer.returncode != 0
    assert "interrupted after 20 records" in stderr
    assert "run the same import again" in stderr

    database.start()
    with connect(database) as check:
        # Nothing half-written: the two whole batches, each decision with its capture,
        # and the run's counts saying so; nothing of the third batch.
        assert check.execute("SELECT count(*) FROM decisions_decision").fetchone()[0] == 20
        assert check.execute("SELECT count(*) FROM decisions_capture").fetchone()[0] == 20
        run = check.execute("SELECT created, failed FROM decisions_importrun").fetchone()
        assert run == (20, 0)
    rerun = subprocess.run(
        import_command(),
        cwd=ROOT,
        env=command_env(database),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "36 created, 0 updated, 20 unchanged, 0 failed" in rerun.stdout
    with connect(database) as check:
        assert check.execute("SELECT count(*) FROM decisions_decision").fetchone()[0] == 56
        statuses = check.execute("SELECT status FROM decisions_importrun ORDER BY id").fetchall()
    # The stopped run could not record its end; the next run's start or its heartbeat does.
    assert [s for (s,) in statuses][-1] == "finished"

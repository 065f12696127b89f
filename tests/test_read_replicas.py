"""Read replicas (config/replicas.py) against a real primary and its streaming replica:
two embedded PostgreSQL servers started for this module (tests/support/replication.py), the
site in processes of its own configured as in production (tests/support/replica_probe.py)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.replication import Replication

ROOT = Path(__file__).resolve().parent.parent
MAX_LAG_SECONDS = 1


@pytest.fixture(scope="module")
def replication():
    servers = Replication()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=site_environment(servers, replicas=False),
            check=True,
            timeout=300,
        )
        yield servers
    finally:
        servers.close()


def site_environment(
    servers: Replication, *, replicas: bool = True, replica_url: str = ""
) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": servers.primary.url,
        "DATABASE_REPLICA_URLS": (replica_url or servers.replica.url) if replicas else "",
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
        "DB_CONNECT_TIMEOUT": "2",
        # The probes' own search index, one per primary server (never the project's).
        "SEARCH_INDEX_DIR": str(
            Path(tempfile.gettempdir())
            / f"replica-probe-index-{hashlib.sha256(servers.primary.url.encode()).hexdigest()[:12]}"
        ),
    }


def probe(servers: Replication, step: str, replica_url: str = "") -> dict:
    return probe_and_log(servers, step, replica_url)[0]


def probe_and_log(servers: Replication, step: str, replica_url: str = "") -> tuple[dict, str]:
    """The probe's answer, and what it logged (JSON lines on stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.replica_probe", step],
        cwd=ROOT,
        env=site_environment(servers, replica_url=replica_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_imports_write_and_read_on_the_primary_and_pages_read_on_the_replica(replication):
    done = probe(replication, "import")["import"]
    imported = done["tables"]
    assert imported["decisions_decision"] == ["default"]
    assert imported["decisions_importrun"] == ["default"]
    # Written on the primary (and read back there straight after, before any replication).
    assert done["captures"]["default"] > 0

    replication.caught_up()
    reads = probe(replication, "read")
    assert reads["list"]["shows"] == 20
    for name, read in reads.items():
        assert read["status"] == 200, name
        assert read["tables"]["decisions_decision"] == ["replica_1"], name


def test_after_a_write_a_client_reads_the_primary(replication):
    replication.caught_up()
    seen = probe(replication, "pinned")
    assert seen["post"]["pin_cookie"]
    assert seen["after post"]["tables"]["decisions_decision"] == ["default"]
    assert seen["without the cookie"]["tables"]["decisions_decision"] == ["replica_1"]


def test_a_lagging_replica_is_left_for_the_primary(replication):
    replication.caught_up()
    replication.replica.execute("SELECT pg_wal_replay_pause()")
    try:
        # A write the paused replica receives but does not replay: it falls behind.
        replication.primary.execute("CREATE TABLE lag_probe (id int)")
        time.sleep(MAX_LAG_SECONDS + 0.5)
        reads = probe(replication, "read")
    finally:
        replication.replica.execute("SELECT pg_wal_replay_resume()")
    for name, read in reads.items():
        assert read["status"] == 200, name
        assert read["tables"]["decisions_decision"] == ["default"], name
    assert reads["list"]["shows"] == 20

    # Caught up again, it serves the reads again.
    replication.caught_up()
    assert probe(replication, "read")["list"]["tables"]["decisions_decision"] == ["replica_1"]


def test_a_stopped_replica_is_left_for_the_primary(replication):
    replication.replica.stop()
    try:
        reads = probe(replication, "read")
    finally:
        replication.replica.start()
    for name, read in reads.items():
        assert read["status"] == 200, name
        assert read["tables"]["decisions_decision"] == ["default"], name
    assert reads["list"]["shows"] == 20


def test_a_replica_named_by_socket_folder_and_port_in_the_query_is_reached(replication):
    # libpq's form for a unix socket: no host in the authority, the folder and the port
    # as parameters. Both must reach the connection, the port included.
    replica = replication.replica
    url = f"postgresql://postgres@/postgres?host={replica.data}&port={replica.port}"
    replication.caught_up()
    reads = probe(replication, "read", replica_url=url)
    for name, read in reads.items():
        assert read["status"] == 200, name
        assert read["tables"]["decisions_decision"] == ["replica_1"], name
    readiness = probe(replication, "readyz", replica_url=url)["readyz"]
    assert "read replica replica_1: usable" in readiness["text"]


def test_readyz_shows_a_replica_that_does_not_answer_and_still_serves(replication):
    url = f"postgresql://postgres@/postgres?host={replication.folder}/nowhere&port=5499"
    answer, log = probe_and_log(replication, "readyz", replica_url=url)
    readiness = answer["readyz"]
    assert readiness["status"] == 200
    assert "read replica replica_1: not answering (OperationalError" in readiness["text"]
    errors = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(
        entry["level"] == "ERROR" and "Read replica replica_1 is not answering" in entry["message"]
        for entry in errors
    ), log[-3000:]
    reads = probe(replication, "read", replica_url=url)
    assert reads["list"]["status"] == 200
    assert reads["list"]["tables"]["decisions_decision"] == ["default"]


def test_readyz_shows_a_replica_url_that_names_a_primary(replication):
    readiness = probe(replication, "readyz", replica_url=replication.primary.url)["readyz"]
    assert readiness["status"] == 200
    assert "read replica replica_1: not a replica" in readiness["text"]

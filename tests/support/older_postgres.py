"""A throwaway PostgreSQL server of Debian's packages (postgresql-15 and the like), for
tests of what must work on servers older than the embedded one (tests/test_backups.py).
Its own folder under /tmp, a unix socket only; as root, run as the embedded server's
system user, since initdb refuses root."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.support.replication import OWNER


def debian_binaries(major: int) -> Path:
    return Path(f"/usr/lib/postgresql/{major}/bin")


class OlderServer:
    """Started by the constructor; `close()` stops it and deletes its folder."""

    def __init__(self, major: int, port: int) -> None:
        self.binaries = debian_binaries(major)
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix=f"postgresql-{major}-", dir="/tmp"))
        if OWNER:
            shutil.chown(self.folder, OWNER, OWNER)
        self.data = self.folder / "data"
        try:
            self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
            options = f"-p {port} -k {self.folder} -c listen_addresses='' -c fsync=off"
            log = str(self.folder / "log")
            self.run("pg_ctl", "-D", str(self.data), "-w", "-l", log, "-o", options, "start")
        except BaseException:
            self.close()
            raise

    def run(self, program: str, *arguments: str) -> None:
        command = [str(self.binaries / program), *arguments]
        subprocess.run(command, check=True, capture_output=True, user=OWNER, timeout=120)

    def url(self, database: str = "postgres") -> str:
        """libpq's URL for the socket: the folder and the port as parameters."""
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def execute(self, sql: str, database: str = "postgres") -> tuple | None:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone() if cursor.description else None

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

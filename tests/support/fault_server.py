"""A PostgreSQL server and a web server of a test's own, to break on purpose.

`FaultServer` is an embedded PostgreSQL (config/embedded_database.py) in a temporary
folder, never the shared `.pgdata/` one: a test may stop it, start it again, freeze it
(SIGSTOP to the postmaster and every backend, as `kill -STOP` would) and thaw it.
`WebServer` is gunicorn serving `config.wsgi` against it, as in production, in a child
process; `DevServer` is `manage.py runserver` with DEBUG on, as `make run` serves. The fixtures `fault_database` (migrated, one per test module) and `web_server`
(one per test) put them together; tests/test_database_outage.py shows them in use.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]

_START = """
import sys
from pathlib import Path
from config.embedded_database import start
settings = start(Path(sys.argv[1]))
print(settings["HOST"], settings["PORT"])
"""
_STOP = """
import sys
from pathlib import Path
from config.embedded_database import stop
stop(Path(sys.argv[1]))
"""


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env or os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@dataclass
class FaultServer:
    """An embedded PostgreSQL in `pgdata`, listening on a Unix socket there."""

    pgdata: Path
    host: str = ""
    port: str = ""

    @property
    def url(self) -> str:
        return f"postgres://postgres:@localhost:{self.port}/postgres?host={self.host}"

    def start(self) -> None:
        # Small buffers: this server holds a test's few rows, and starts faster.
        env = os.environ | {"EMBEDDED_PG_SHARED_BUFFERS": "32MB"}
        self.host, self.port = run_python(_START, str(self.pgdata), env=env).split()

    def stop(self) -> None:
        """A clean, fast shutdown (pg_ctl -m fast): connections are closed at once."""
        self.thaw()
        run_python(_STOP, str(self.pgdata))

    @property
    def running(self) -> bool:
        return bool(self.processes())

    def processes(self) -> list[psutil.Process]:
        """The postmaster and its children (backends, checkpointer, walwriter...)."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
            postmaster = psutil.Process(pid)
            return [postmaster, *postmaster.children(recursive=True)]
        except (FileNotFoundError, ValueError, psutil.Error):
            return []

    def freeze(self) -> None:
        """Every process stops where it is: sockets stay open, nothing answers."""
        for process in self.processes():
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        for process in self.processes():
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGCONT)

    def migrate(self) -> None:
        env = os.environ | {
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebServer:
    """gunicorn serving config.wsgi (DEBUG off, the web's timeouts) against `database_url`.

    Its standard error (the JSON log lines) is kept in `log_path`.
    """

    def __init__(self, database_url: str, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            # The test settings serve static files without collectstatic.
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            "--workers=1",
            "--threads=4",
            "--timeout=60",
            "--no-control-socket",
        ]

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def get(
        self, path: str, timeout: float = 30, headers: dict[str, str] | None = None
    ) -> Response:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                status, headers, body = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, dict(error.headers), error.read()
        return Response(
            status, headers, body.decode("utf-8", "replace"), time.monotonic() - started
        )

    def wait_for(self, path: str, status: int, limit: float = 30) -> Response:
        """Ask for `path` until it answers with `status`; the last answer."""
        deadline = time.monotonic() + limit
        while True:
            response = self.get(path)
            if response.status == status or time.monotonic() > deadline:
                return response
            time.sleep(0.2)


class DevServer(WebServer):
    """`manage.py runserver` (`make run`'s web server) with DEBUG on, in a child process."""

    def __init__(self, database_url: str, log_path: Path, **env: str) -> None:
        super().__init__(database_url, log_path, **{"DEBUG": "1", **env})

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]


@pytest.fixture(scope="module")
def fault_database() -> Iterator[FaultServer]:
    """A migrated PostgreSQL server of this test module's own, stopped and removed at the end.

    Not under pytest's temporary folder: every pytest session (another developer's
    included) makes /tmp/pytest-of-<user> private again, and as root the server runs as
    its own user, which must reach its folder.
    """
    folder = Path(tempfile.mkdtemp(prefix="archive-fault-"))
    folder.chmod(0o711)
    server = FaultServer(folder / "pgdata")
    server.start()
    try:
        server.migrate()
        yield server
    finally:
        if server.running:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database(fault_database: FaultServer) -> Iterator[FaultServer]:
    """The module's server, running and thawed before and after each test."""
    if not fault_database.running:
        fault_database.start()
    yield fault_database
    fault_database.thaw()
    if not fault_database.running:
        fault_database.start()


@pytest.fixture
def web_server(database: FaultServer, tmp_path: Path) -> Iterator[WebServer]:
    server = WebServer(database.url, tmp_path / "gunicorn.log")
    server.start()
    yield server
    server.stop()
